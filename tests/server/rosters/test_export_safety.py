"""Exports a spreadsheet opens safely: formulas neutralised, never a 500 for odd text,
no temporary file left behind; control characters refused on every write."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from server.rosters import queries
from server.rosters.tables import InspectionObject, Inspector
from shared.spreadsheet import neutralise, restore
from tests.server import factories
from tests.server.factories import credit_code
from tests.server.rosters.helpers import OBJECT_HEADER, csv_text, object_row

FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", [*FORMULAS, "'=already quoted", "'quoted", "普通文字", ""])
def test_neutralise_and_restore_are_inverse(text: str) -> None:
    shown = neutralise(text)
    assert not shown.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore(shown) == text


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every temporary file of the process (ours and openpyxl's) goes to its own folder."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


async def _objects_with_formulas(client: Any, headers: dict[str, str]) -> None:
    for n, text in enumerate(FORMULAS[:4], start=1):
        response = await client.post(
            "/api/v1/objects/",
            headers=headers,
            json={"credit_code": credit_code(n), "name": text, "risk_class": "B", "tags": [text]},
        )
        assert response.status_code == 201, response.text


async def test_csv_export_neutralises_formulas_and_round_trips(client, private_tmp) -> None:
    headers = await factories.login_as(client, "admin", None)
    await _objects_with_formulas(client, headers)
    exported = await client.get(
        "/api/v1/rosters/objects/export", params={"format": "csv"}, headers=headers
    )
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    names = {row[1] for row in rows[1:]}
    assert names == {"'" + text for text in FORMULAS[:4]}
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    again = await client.post(
        "/api/v1/rosters/objects/import?format=csv", headers=headers, content=exported.content
    )
    assert again.status_code == 200, again.text
    assert (again.json()["unchanged"], again.json()["updated"]) == (4, 0)
    stored = {row["name"] for row in await InspectionObject.select(InspectionObject.name)}
    assert stored == set(FORMULAS[:4])
    assert list(private_tmp.iterdir()) == []


async def test_xlsx_export_neutralises_formulas_the_same_way(client, private_tmp) -> None:
    headers = await factories.login_as(client, "admin", None)
    await _objects_with_formulas(client, headers)
    exported = await client.get(
        "/api/v1/rosters/objects/export", params={"format": "xlsx"}, headers=headers
    )
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert {cell.value for cell in names} == {"'" + text for text in FORMULAS[:4]}
    assert all(cell.data_type == "s" for cell in names)
    again = await client.post(
        "/api/v1/rosters/objects/import?format=xlsx", headers=headers, content=exported.content
    )
    assert again.status_code == 200, again.text
    assert (again.json()["unchanged"], again.json()["updated"]) == (4, 0)
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
async def test_an_old_row_with_a_control_character_never_breaks_the_export(
    client, private_tmp, file_format: str
) -> None:
    """Rows stored before writes were checked: the export answers, with U+FFFD in place."""
    headers = await factories.login_as(client, "admin", None)
    created = await client.post(
        "/api/v1/objects/",
        headers=headers,
        json={"credit_code": credit_code(1), "name": "旧数据", "risk_class": "B"},
    )
    assert created.status_code == 201
    await InspectionObject.update({InspectionObject.name: "旧\x01数据\x0b"}).where(
        InspectionObject.credit_code == credit_code(1)
    )
    exported = await client.get(
        "/api/v1/rosters/objects/export", params={"format": file_format}, headers=headers
    )
    assert exported.status_code == 200
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
        assert sheet.cell(row=2, column=2).value == "旧\ufffd数据\ufffd"
    else:
        assert "旧\ufffd数据\ufffd" in exported.content.decode("utf-8-sig")
    assert list(private_tmp.iterdir()) == []


async def test_a_failed_export_leaves_no_temporary_file(
    client, private_tmp, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await factories.login_as(client, "admin", None)
    for n in (1, 2):
        await client.post(
            "/api/v1/objects/",
            headers=headers,
            json={"credit_code": credit_code(n), "name": f"商店{n}", "risk_class": "B"},
        )

    original = queries.all_objects

    async def broken(fields: Any) -> Any:
        async for batch in original(fields):
            yield batch  # one batch is written, then the database goes away
            break
        raise ConnectionError("the database went away mid-export")

    monkeypatch.setattr(queries, "all_objects", broken)
    exported = await client.get(
        "/api/v1/rosters/objects/export", params={"format": "xlsx"}, headers=headers
    )
    assert exported.status_code == 500
    assert exported.json()["code"]
    assert list(private_tmp.iterdir()) == []


BAD_CHARACTERS = ["\x01", "\x1b", "\x7f", "\x85", "\u2028", "\ufffe"]


@pytest.mark.parametrize("bad", BAD_CHARACTERS)
async def test_api_writes_refuse_control_characters(client, bad: str) -> None:
    headers = await factories.login_as(client, "admin", None)
    attempts: list[tuple[str, str, dict[str, Any]]] = [
        (
            "post",
            "/api/v1/objects/",
            {"credit_code": credit_code(1), "name": f"商{bad}店", "risk_class": "B"},
        ),
        (
            "post",
            "/api/v1/objects/",
            {
                "credit_code": credit_code(1),
                "name": "商店",
                "risk_class": "B",
                "tags": [f"餐{bad}饮"],
            },
        ),
        (
            "post",
            "/api/v1/inspectors/",
            {"badge_no": "230300-001", "name": f"张{bad}三", "department": "SCJG"},
        ),
        ("post", "/api/v1/departments/", {"code": "WSJK", "name": f"卫{bad}健委"}),
        ("post", "/api/v1/risk-classes", {"code": "E", "name": f"E{bad}类"}),
        (
            "post",
            "/api/v1/items/",
            {"code": "SC-001", "department": "SCJG", "name": f"食品{bad}检查"},
        ),
    ]
    await factories.department("SCJG")
    for method, url, body in attempts:
        response = await getattr(client, method)(url, headers=headers, json=body)
        assert response.status_code == 422, (url, response.text)
        assert response.json()["code"] == "rosters.field_invalid"
        assert response.json()["errors"][0]["code"] == "rosters.control_character"
        assert "U+" in response.json()["detail"]["zh"]
    assert await InspectionObject.count() == 0
    assert await Inspector.count() == 0
    # An update is refused the same way and changes nothing.
    created = await client.post(
        "/api/v1/objects/",
        headers=headers,
        json={"credit_code": credit_code(1), "name": "商店", "risk_class": "B"},
    )
    assert created.status_code == 201
    patched = await client.patch(
        f"/api/v1/objects/{credit_code(1)}", headers=headers, json={"address": f"路{bad}1号"}
    )
    assert patched.status_code == 422
    assert patched.json()["errors"][0]["code"] == "rosters.control_character"
    row = await InspectionObject.select(InspectionObject.address).first()
    assert row is not None and row["address"] == ""


async def test_line_breaks_only_in_the_multi_line_field(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    await factories.department("SCJG")
    item = {"code": "SC-001", "department": "SCJG", "name": "食品检查"}
    kept = await client.post(
        "/api/v1/items/",
        headers=headers,
        json={
            **item,
            "legal_basis": "《食品安全法》第一百一十条\n《食品经营许可和备案管理办法》\t",
        },
    )
    assert kept.status_code == 201, kept.text
    assert "\n" in kept.json()["legal_basis"]
    refused = await client.patch(
        "/api/v1/items/SC-001", headers=headers, json={"name": "食品\n检查"}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "rosters.control_character"


async def test_an_import_with_a_control_character_is_refused_whole(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    rows = [object_row(1), object_row(2, 名称="鸡西\x00商店"), object_row(3, 地址="路\x1b1号")]
    response = await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=headers,
        content=csv_text(OBJECT_HEADER, rows).encode(),
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "rosters.import_invalid"
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (3, "名称", "rosters.control_character"),
        (4, "地址", "rosters.control_character"),
    ]
    assert body["errors"][0]["reason"]["zh"] == "含有空字符（U+0000），不能保存"
    assert await InspectionObject.count() == 0
