"""Import and export over HTTP: CSV and XLSX round trips, one answer listing every bad row."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from server.rosters.tables import InspectionObject
from tests.server import factories
from tests.server.rosters.helpers import OBJECT_HEADER, csv_text, object_row, wrong_check


async def seed_rosters(client, headers: dict[str, str]) -> None:
    await factories.department("SCJG")
    objects = [object_row(n) for n in range(1, 6)]
    objects[2] = object_row(3, 标签="", 许可证="", 经营异常="是", 投诉数="4", 状态="吊销")
    response = await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=headers,
        content=csv_text(OBJECT_HEADER, objects).encode(),
    )
    assert response.status_code == 200, response.text
    inspector = {
        "badge_no": "230300-001",
        "name": "张三",
        "department": "SCJG",
        "qualifications": ["食品", "特种设备"],
        "conflicts": [{"object": object_row(1)[0], "reason": "亲属"}],
    }
    assert (
        await client.post("/api/v1/inspectors/", headers=headers, json=inspector)
    ).status_code == 201
    item = {
        "code": "SC-001",
        "department": "SCJG",
        "name": "食品经营检查",
        "ratio_cap": "5%",
        "methods": ["onsite"],
        "checklist": [
            {"id": "q1", "type": "yes_no", "label": {"zh": "是否亮照", "en": "Licence"}},
            {
                "id": "q2",
                "type": "number",
                "label": {"zh": "温度", "en": "Temperature"},
                "unit": "℃",
                "show_if": {"question": "q1", "equals": True},
            },
        ],
    }
    assert (await client.post("/api/v1/items/", headers=headers, json=item)).status_code == 201


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["objects", "inspectors", "items"])
async def test_export_then_import_changes_nothing(client, kind: str, file_format: str) -> None:
    headers = await factories.login_as(client, "admin", None)
    await seed_rosters(client, headers)
    before = await client.get(
        f"/api/v1/rosters/{kind}/export", params={"format": "csv"}, headers=headers
    )
    exported = await client.get(
        f"/api/v1/rosters/{kind}/export", params={"format": file_format}, headers=headers
    )
    assert exported.status_code == 200
    assert exported.headers["content-disposition"].endswith(f'{kind}.{file_format}"')
    response = await client.post(
        f"/api/v1/rosters/{kind}/import",
        headers=headers,
        files={"file": (f"{kind}.{file_format}", exported.content)},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["inserted"] == 0 and body["updated"] == 0
    assert body["unchanged"] == body["rows"] > 0
    after = await client.get(
        f"/api/v1/rosters/{kind}/export", params={"format": "csv"}, headers=headers
    )
    assert after.content == before.content


async def test_xlsx_export_has_chinese_headers_and_values(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    await seed_rosters(client, headers)
    exported = await client.get(
        "/api/v1/rosters/objects/export", params={"format": "xlsx"}, headers=headers
    )
    sheet = load_workbook(io.BytesIO(exported.content), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == OBJECT_HEADER
    assert rows[1][0] == object_row(1)[0]
    assert rows[1][11] == "餐饮;学校周边"
    assert len(rows) == 6


async def test_an_xlsx_file_made_by_hand_imports(client) -> None:
    from openpyxl import Workbook

    headers = await factories.login_as(client, "admin", None)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(OBJECT_HEADER)
    row: list[object] = object_row(1)
    row[10] = 3  # a number cell, as Excel stores it
    sheet.append(row)
    sheet.append([None] * len(OBJECT_HEADER))  # trailing blank row
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = await client.post(
        "/api/v1/rosters/objects/import",
        headers=headers,
        files={"file": ("objects.xlsx", buffer.getvalue())},
    )
    assert response.status_code == 200, response.text
    assert response.json()["inserted"] == 1
    stored = await InspectionObject.select().first()
    assert stored["complaints"] == 3


async def test_bad_rows_come_back_in_one_answer_and_nothing_changes(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    rows = [
        object_row(1),
        object_row(2, 统一社会信用代码=wrong_check(object_row(2)[0]), 风险分类=""),
    ]
    response = await client.post(
        "/api/v1/rosters/objects/import",
        headers=headers,
        files={"file": ("objects.csv", csv_text(OBJECT_HEADER, rows).encode())},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "rosters.import_invalid"
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (3, "统一社会信用代码", "credit_code.check_digit"),
        (3, "风险分类", "rosters.required"),
    ]
    assert body["detail"]["zh"] and body["detail"]["en"]
    assert await InspectionObject.count() == 0


async def test_team_lead_cannot_import_another_departments_inspectors(client) -> None:
    await factories.department("WSJ", "卫生健康委员会")
    headers = await factories.login_as(client, "team_lead", "SCJG")
    text = csv_text(
        ["执法证号", "姓名", "部门"],
        [["230300-001", "张三", "SCJG"], ["230300-002", "李四", "WSJ"]],
    )
    response = await client.post(
        "/api/v1/rosters/inspectors/import?format=csv", headers=headers, content=text.encode()
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "auth.forbidden_department"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "部门")]

    own = csv_text(["执法证号", "姓名", "部门"], [["230300-001", "张三", "SCJG"]])
    response = await client.post(
        "/api/v1/rosters/inspectors/import?format=csv", headers=headers, content=own.encode()
    )
    assert response.status_code == 200


async def test_import_history_lists_changes(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    await seed_rosters(client, headers)
    rows = [object_row(1, 名称="改名"), object_row(9)]
    await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=headers,
        content=csv_text(OBJECT_HEADER, rows).encode(),
    )
    imports = (await client.get("/api/v1/rosters/imports", headers=headers)).json()
    assert imports["total"] == 2
    latest = imports["items"][0]
    assert (latest["inserted"], latest["updated"], latest["unchanged"]) == (1, 1, 0)
    changes = (
        await client.get(f"/api/v1/rosters/imports/{latest['id']}/changes", headers=headers)
    ).json()["items"]
    assert {c["action"]: c["fields"] for c in changes} == {
        "insert": {"inserted": [object_row(9)[0]]},
        "update": {"name": ["鸡西市第1商店", "改名"]},
    }
    audit = (
        await client.get("/api/v1/audit", params={"action": "roster.import"}, headers=headers)
    ).json()
    assert audit["total"] == 2
    assert audit["items"][0]["change"]["changes_digest"] == latest["changes_digest"]


async def test_unknown_kind_and_format_are_refused(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    response = await client.get("/api/v1/rosters/cats/export", headers=headers)
    assert (response.status_code, response.json()["code"]) == (404, "rosters.import_kind")
    response = await client.get(
        "/api/v1/rosters/objects/export", params={"format": "pdf"}, headers=headers
    )
    assert (response.status_code, response.json()["code"]) == (400, "rosters.import_format")
    response = await client.post(
        "/api/v1/rosters/objects/import?format=xlsx", headers=headers, content=b"not a workbook"
    )
    assert (response.status_code, response.json()["code"]) == (400, "rosters.import_format")
    assert json.loads(response.text)["detail"]["en"]
