"""Printed forms: A4, Chinese text that survives extraction, signatures drawn, nothing lost."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from server.records.draw_form import DrawSheet, draw_record_pdf
from server.records.inspection_form import (
    InspectionSheet,
    ItemLine,
    SignatureImage,
    inspection_record_pdf,
)
from shared.draw import run_draw
from tests.conftest import IN_CI
from tests.shared.draw.builders import medium_input


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if IN_CI:
            pytest.fail(f"{name} is missing: scripts/system-deps installs poppler-utils")
        pytest.skip(f"{name} is not installed (apt-get install poppler-utils)")
    return found


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pages(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [_tool("pdftoppm"), "-r", "40", "-png", str(path), str(tmp_path / "p")], check=True
    )
    return [Image.open(p) for p in sorted(tmp_path.glob("p*.png"))]


def _signature_png() -> bytes:
    image = Image.new("RGBA", (800, 400), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(50, 300), (200, 100), (400, 320)], fill=(0, 0, 0, 255), width=8)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_the_inspection_record_prints_every_field_in_chinese(tmp_path: Path) -> None:
    sheet = InspectionSheet(
        issuer="鸡西市市场监督管理局",
        task_code="JX-2026-LH-001-D1-5",
        plan_code="JX-2026-LH-001",
        plan_name="2026年鸡冠区餐饮场所联合抽查",
        business_name="鸡冠区付记米面店",
        credit_code="92230302829443153G",
        address="黑龙江省鸡西市鸡冠区涌新路73号",
        team=[("鸡西市市场监督管理局", "刘华东", "SCJG-0071")],
        visit={
            "arrival_at": "2026-11-20T09:30:00+08:00",
            "method": "on_site",
            "notes": "后厨整洁",
            "people": [{"name": "王店长", "role": "店长"}],
        },
        items=[
            ItemLine(
                "餐饮服务食品安全检查",
                "鸡西市市场监督管理局",
                "B 未按规定公示应当公示的信息",
                "未公示许可证",
                "责令限期改正",
                "刘华东",
            )
        ],
        signatures=[
            SignatureImage(
                "representative", "王店长", None, "2026-11-20T10:40:00+08:00", _signature_png()
            ),
            SignatureImage(
                "inspector", "刘华东", "SCJG-0071", "2026-11-20T10:41:00+08:00", _signature_png()
            ),
        ],
        completed_at="2026-11-20T11:00:00+08:00",
    )
    pdf = inspection_record_pdf(sheet)
    text = _text(pdf, tmp_path)
    for expected in (
        "现场检查笔录",
        "鸡冠区付记米面店",
        "92230302829443153G",
        "实地检查",
        "王店长",
        "责令限期改正",
        "未公示许可证",
        "2026-11-20 09:30",
        "SCJG-0071",
    ):
        assert expected in text, expected
    pages = _pages(pdf, tmp_path)
    assert len(pages) == 1
    width, height = pages[0].size
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait


def test_the_draw_record_lists_every_drawn_business_with_its_team(tmp_path: Path) -> None:
    record = {**run_draw(medium_input()), "draw_id": "P-1-D1", "record_hash": "ab" * 32}
    assignments = record["assignments"]
    names = {a["object_id"]: f"企业{n}号店" for n, a in enumerate(assignments)}
    pdf = draw_record_pdf(
        DrawSheet(
            record=record, plan_name="联合抽查", issuer="市场监督管理局", business_names=names
        )
    )
    text = _text(pdf, tmp_path).replace(" ", "")
    assert "双随机抽查抽签记录" in text and "纪检监察人员（签字）" in text
    for assignment in assignments:
        assert assignment["object_id"] in text
        assert names[assignment["object_id"]] in text
    assert f"共{len(assignments)}户" in text
