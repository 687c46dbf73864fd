"""检查通知书: a PDF per task and per plan, with the QR of the check URL and an access code."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from server.tasks.tables import Task
from tests.server.inspection_codes.helpers import drawn_task_code, path_of


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout


def _first_page(pdf: Path, prefix: Path) -> Path:
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True
    )
    return next(prefix.parent.glob(f"{prefix.name}*.png"))


async def test_a_task_notice_carries_its_qr_and_a_working_access_code(client, tmp_path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    _, code, lead = await drawn_task_code(client)
    answer = await client.post(
        f"/api/v1/tasks/{code['task_id']}/inspection-notice.pdf", headers=lead
    )
    assert answer.status_code == 201, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(answer.content)
    text = _text(pdf)
    assert "检查通知书" in text and code["code"] in text and "可以拒绝检查" in text
    access = re.search(r"访问码\s+(\d{10})", text)
    assert access, text
    page = _first_page(pdf, tmp_path / "p")
    with Image.open(page) as image:
        found = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert [path_of(u) for u in found] == [path_of(code["url"])]
    # The printed access code is the live one: the business can rate with it.
    await Task.update({Task.status: "submitted"}).where(Task.id == code["task_id"])
    rated = await client.post(
        f"/api/v1/public/check/{code['code']}/rating/",
        json={"access_code": access.group(1), "score": 5},
    )
    assert rated.status_code == 201, rated.text


async def test_a_plan_prints_one_notice_per_task(client, tmp_path) -> None:
    record, _, lead = await drawn_task_code(client)
    answer = await client.post("/api/v1/plans/2026-LH-001/inspection-notices.pdf", headers=lead)
    assert answer.status_code == 201, answer.text
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(answer.content)
    assert _text(pdf).count("检查码") >= len(record["assignments"])
    missing = await client.post("/api/v1/plans/NOPE/inspection-notices.pdf", headers=lead)
    assert missing.status_code == 404
    anonymous = await client.post("/api/v1/plans/2026-LH-001/inspection-notices.pdf")
    assert anonymous.status_code == 401
