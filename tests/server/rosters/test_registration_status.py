"""Who may change a business's registration status (存续/注销/吊销): admins and the
registration department's staff only, through every path (status, PATCH, create, import)."""

from __future__ import annotations

from typing import Any

import pytest

from server.rosters.tables import InspectionObject
from server.settings import get_settings
from tests.server import factories
from tests.server.factories import credit_code
from tests.server.rosters.helpers import OBJECT_HEADER, csv_text, object_row


async def _statuses() -> dict[str, str]:
    rows = await InspectionObject.select(InspectionObject.credit_code, InspectionObject.status)
    return {row["credit_code"]: row["status"] for row in rows}


async def _seed(client: Any) -> dict[str, str]:
    admin = await factories.login_as(client, "admin", None)
    response = await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=admin,
        content=csv_text(OBJECT_HEADER, [object_row(n) for n in (1, 2)]).encode(),
    )
    assert response.status_code == 200, response.text
    return admin


async def test_a_lead_of_another_department_cannot_change_the_status(client) -> None:
    await _seed(client)
    await factories.department("WSJK", "卫生健康委员会")
    other = await factories.login_as(client, "team_lead", "WSJK")
    before = await _statuses()
    attempts = [
        ("post", f"/api/v1/objects/{credit_code(1)}/status", {"status": "deregistered"}),
        ("post", f"/api/v1/objects/{credit_code(1)}/status", {"status": "吊销"}),
        ("patch", f"/api/v1/objects/{credit_code(1)}", {"status": "revoked", "name": "改名"}),
        (
            "post",
            "/api/v1/objects/",
            {"credit_code": credit_code(3), "name": "新店", "risk_class": "B", "status": "注销"},
        ),
    ]
    for method, url, body in attempts:
        response = await getattr(client, method)(url, headers=other, json=body)
        assert response.status_code == 403, (url, response.text)
        answer = response.json()
        assert answer["code"] == "rosters.status_forbidden"
        assert "登记机关（SCJG）" in answer["detail"]["zh"]
    assert await _statuses() == before
    # Everything else about a business stays open to them.
    renamed = await client.patch(
        f"/api/v1/objects/{credit_code(1)}", headers=other, json={"name": "鸡西市新名商店"}
    )
    assert renamed.status_code == 200, renamed.text
    created = await client.post(
        "/api/v1/objects/",
        headers=other,
        json={"credit_code": credit_code(3), "name": "新店", "risk_class": "B"},
    )
    assert created.status_code == 201, created.text
    same = await client.post(
        f"/api/v1/objects/{credit_code(1)}/status", headers=other, json={"status": "存续"}
    )
    assert same.status_code == 200  # no change of status: nothing to decide


async def test_an_import_that_changes_a_status_is_refused_for_others(client) -> None:
    await _seed(client)
    await factories.department("WSJK", "卫生健康委员会")
    other = await factories.login_as(client, "team_lead", "WSJK")
    rows = [
        object_row(1, 状态="注销"),
        object_row(2, 名称="改了名字"),
        object_row(3, 状态="吊销"),
        object_row(4),
    ]
    response = await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=other,
        content=csv_text(OBJECT_HEADER, rows).encode(),
    )
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["code"] == "rosters.status_forbidden"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "状态"), (4, "状态")]
    assert await InspectionObject.count() == 2  # the new rows streamed in were rolled back
    assert set((await _statuses()).values()) == {"active"}
    # Without a status change the same lead imports.
    fine = await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=other,
        content=csv_text(OBJECT_HEADER, [object_row(2, 名称="改了名字"), object_row(4)]).encode(),
    )
    assert fine.status_code == 200, fine.text
    assert (fine.json()["inserted"], fine.json()["updated"]) == (1, 1)


@pytest.mark.parametrize(("role", "department"), [("admin", None), ("team_lead", "SCJG")])
async def test_admins_and_registration_staff_change_the_status(
    client, role: str, department: str | None
) -> None:
    await _seed(client)
    headers = await factories.login_as(client, role, department)
    response = await client.post(
        f"/api/v1/objects/{credit_code(1)}/status", headers=headers, json={"status": "注销"}
    )
    assert response.status_code == 200, response.text
    imported = await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=headers,
        content=csv_text(OBJECT_HEADER, [object_row(2, 状态="吊销")]).encode(),
    )
    assert imported.status_code == 200, imported.text
    assert await _statuses() == {credit_code(1): "deregistered", credit_code(2): "revoked"}


async def test_the_registration_departments_are_a_setting(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _seed(client)
    await factories.department("DJJ", "登记局")
    monkeypatch.setenv("SUICHA_REGISTRATION_DEPARTMENTS", "DJJ")
    get_settings.cache_clear()
    try:
        scjg = await factories.login_as(client, "team_lead", "SCJG")
        djj = await factories.login_as(client, "team_lead", "DJJ")
        url = f"/api/v1/objects/{credit_code(1)}/status"
        refused = await client.post(url, headers=scjg, json={"status": "注销"})
        allowed = await client.post(url, headers=djj, json={"status": "注销"})
    finally:
        monkeypatch.delenv("SUICHA_REGISTRATION_DEPARTMENTS")
        get_settings.cache_clear()
    assert refused.status_code == 403 and "登记机关（DJJ）" in refused.json()["detail"]["zh"]
    assert allowed.status_code == 200
