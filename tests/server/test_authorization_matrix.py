"""Who may call what: every role × every endpoint group, allowed and refused.

The expectations are written out here, not derived from `PERMISSIONS`, so a
change to the permission table that is not also made here fails. Adding a
group is one line in `MATRIX`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from server.rosters.tables import InspectionItem
from tests.server import factories
from tests.server.rosters.helpers import OBJECT_HEADER, credit_code, csv_text, object_row

ADMIN, LEAD, BACK, INSPECTOR, OBSERVER = (
    "admin",
    "team_lead",
    "back_office",
    "inspector",
    "observer",
)
ROLES = (ADMIN, LEAD, BACK, INSPECTOR, OBSERVER)
EVERYONE = frozenset(ROLES)
STAFF = frozenset({ADMIN, LEAD, BACK, OBSERVER})


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    content: bytes | None = None
    success: int = 200
    params: dict[str, str] = field(default_factory=dict)


OBJECT_CSV = csv_text(OBJECT_HEADER, [object_row(1)]).encode()

# group → (a representative call, the roles allowed to make it)
MATRIX: dict[str, tuple[Call, frozenset[str]]] = {
    "departments.read": (Call("GET", "/api/v1/departments/"), EVERYONE),
    "departments.write": (
        Call("POST", "/api/v1/departments/", json={"code": "NEW", "name": "新部门"}, success=201),
        frozenset({ADMIN}),
    ),
    "risk_classes.read": (Call("GET", "/api/v1/risk-classes"), EVERYONE),
    "risk_classes.write": (
        Call("POST", "/api/v1/risk-classes", json={"code": "E", "name": "E类"}, success=201),
        frozenset({ADMIN}),
    ),
    "items.read": (Call("GET", "/api/v1/items/"), EVERYONE),
    "items.write": (
        Call(
            "POST",
            "/api/v1/items/",
            json={"code": "SC-9", "department": "SCJG", "name": "价格检查"},
            success=201,
        ),
        frozenset({ADMIN, LEAD}),
    ),
    "inspectors.read": (Call("GET", "/api/v1/inspectors/"), STAFF),
    "inspectors.write": (
        Call(
            "POST",
            "/api/v1/inspectors/",
            json={"badge_no": "B-9", "name": "新人", "department": "SCJG"},
            success=201,
        ),
        frozenset({ADMIN, LEAD}),
    ),
    "objects.read": (Call("GET", "/api/v1/objects/"), EVERYONE),
    "objects.write": (
        Call(
            "POST",
            "/api/v1/objects/",
            json={"credit_code": credit_code(2), "name": "乙", "risk_class": "B"},
            success=201,
        ),
        frozenset({ADMIN, LEAD}),
    ),
    "rosters.import": (
        Call(
            "POST", "/api/v1/rosters/objects/import", content=OBJECT_CSV, params={"format": "csv"}
        ),
        frozenset({ADMIN, LEAD}),
    ),
    "rosters.export": (
        Call("GET", "/api/v1/rosters/objects/export", params={"format": "csv"}),
        STAFF,
    ),
    "users.read": (Call("GET", "/api/v1/users/"), frozenset({ADMIN})),
    "users.write": (
        Call(
            "POST",
            "/api/v1/users/",
            json={
                "username": "new-user",
                "display_name": "新用户",
                "password": "a long enough password",
                "role": "back_office",
                "department": "SCJG",
            },
            success=201,
        ),
        frozenset({ADMIN}),
    ),
    "devices.revoke_any": (
        Call("POST", "/api/v1/users/{victim}/devices/victim-tab/revoke"),
        frozenset({ADMIN}),
    ),
    "plans.read": (Call("GET", "/api/v1/plans/"), EVERYONE),
    "plans.write": (
        Call(
            "POST",
            "/api/v1/plans/",
            json={
                "code": "P-MATRIX",
                "name": "价格行为检查",
                "year": 2026,
                "kind": "annual",
                "lead_department": "SCJG",
                "departments": [{"code": "SCJG"}],
                "items": ["SC-M"],
                "ratios": {"all": "0.05"},
                "window_start": "2026-03-01",
                "window_end": "2026-12-31",
            },
            success=201,
        ),
        frozenset({ADMIN, LEAD}),
    ),
    "draws.read": (Call("GET", "/api/v1/draws/P-NONE-D1", success=404), EVERYONE),
    "tasks.read": (Call("GET", "/api/v1/tasks/"), EVERYONE),
    "audit.read": (Call("GET", "/api/v1/audit"), frozenset({ADMIN, OBSERVER})),
    "categories.read": (Call("GET", "/api/v1/categories/"), EVERYONE),
    "categories.write": (
        Call(
            "POST",
            "/api/v1/categories/",
            json={"code": "Z9", "zh": "其他需要说明的情况"},
            success=201,
        ),
        frozenset({ADMIN}),
    ),
    "security.read": (Call("GET", "/api/v1/security/events/"), frozenset({ADMIN})),
    "audit.verify": (Call("GET", "/api/v1/audit/verify"), frozenset({ADMIN, OBSERVER})),
    "field.sync": (Call("GET", "/api/v1/field/tasks"), frozenset({INSPECTOR})),
    "review.conflicts": (Call("GET", "/api/v1/review/conflicts"), frozenset({ADMIN, LEAD, BACK})),
    "reports.read": (Call("GET", "/api/v1/reports/"), frozenset({ADMIN, LEAD, BACK})),
    "reports.generate": (
        Call(
            "POST",
            "/api/v1/reports/",
            json={"kind": "monthly", "period": "2026-10", "department": "SCJG"},
            success=201,
        ),
        frozenset({ADMIN, LEAD, BACK}),
    ),
    "accountability.read": (Call("GET", "/api/v1/accountability/"), STAFF),
}


async def send(client: Any, call: Call, headers: dict[str, str], victim: int) -> Any:
    return await client.request(
        call.method,
        call.path.format(victim=victim),
        json=call.json,
        content=call.content,
        params=call.params,
        headers=headers,
    )


async def prepare(client: Any) -> int:
    """Departments, an item to plan, and another user with a device session to revoke;
    the victim's id."""
    scjg = await factories.department("SCJG")
    await factories.department("WSJ", "卫生健康委员会")
    await InspectionItem.insert(
        InspectionItem(department=scjg, code="SC-M", name="对经营者价格活动的行政检查")
    )
    victim = await factories.user("inspector", "victim")
    await factories.login(client, "victim", device_id="victim-tab")
    return victim


@pytest.mark.parametrize("role", ROLES)
async def test_role_against_every_endpoint_group(client, role: str) -> None:
    """One database per role; every group is called once and checked against the table."""
    victim = await prepare(client)
    department = None if role == ADMIN else "SCJG"
    headers = await factories.login_as(client, role, department)
    mismatches: list[str] = []
    for group, (call, allowed) in MATRIX.items():
        response = await send(client, call, headers, victim)
        if role in allowed:
            expected: tuple[int, str | None] = (call.success, None)
            got: tuple[int, str | None] = (response.status_code, None)
        else:
            body = response.json()
            assert body["detail"]["zh"] and body["detail"]["en"]
            expected = (403, "auth.forbidden_role")
            got = (response.status_code, body.get("code"))
        if got != expected:
            mismatches.append(f"{group}: expected {expected}, got {got}: {response.text[:200]}")
    assert mismatches == []


async def test_every_group_needs_a_login(client) -> None:
    victim = await prepare(client)
    for call, _ in MATRIX.values():
        response = await send(client, call, {}, victim)
        assert (response.status_code, response.json()["code"]) == (401, "auth.token_missing")


# --- department scope: a team lead manages only their own department -----------------------

FOREIGN_CHANGES = [
    Call(
        "POST",
        "/api/v1/items/",
        json={"code": "WS-9", "department": "WSJ", "name": "卫生检查"},
    ),
    Call("PATCH", "/api/v1/items/WS-1", json={"name": "改名"}),
    Call("POST", "/api/v1/items/WS-1/status", json={"status": "inactive"}),
    Call("PATCH", "/api/v1/items/SC-1", json={"department": "WSJ"}),
    Call(
        "POST",
        "/api/v1/inspectors/",
        json={"badge_no": "W-9", "name": "外部门", "department": "WSJ"},
    ),
    Call("PATCH", "/api/v1/inspectors/W-1", json={"name": "改名"}),
    Call("POST", "/api/v1/inspectors/W-1/status", json={"status": "left"}),
    Call(
        "POST",
        "/api/v1/rosters/items/import",
        content=csv_text(["事项编码", "部门", "事项名称"], [["WS-1", "WSJ", "改名"]]).encode(),
        params={"format": "csv"},
    ),
]


async def seed_both_departments(client: Any) -> dict[str, str]:
    await prepare(client)
    admin = await factories.login_as(client, ADMIN, None)
    for code, department in (("SC-1", "SCJG"), ("WS-1", "WSJ")):
        item = {"code": code, "department": department, "name": "事项"}
        assert (await client.post("/api/v1/items/", headers=admin, json=item)).status_code == 201
    for badge, department in (("S-1", "SCJG"), ("W-1", "WSJ")):
        body = {"badge_no": badge, "name": "人员", "department": department}
        response = await client.post("/api/v1/inspectors/", headers=admin, json=body)
        assert response.status_code == 201
    return admin


@pytest.mark.parametrize(
    "call", FOREIGN_CHANGES, ids=[f"{c.method} {c.path}" for c in FOREIGN_CHANGES]
)
async def test_team_lead_cannot_change_another_department(client, call: Call) -> None:
    admin = await seed_both_departments(client)
    before = (await client.get("/api/v1/audit", headers=admin)).json()["total"]
    lead = await factories.login_as(client, LEAD, "SCJG")
    response = await send(client, call, lead, 0)
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "auth.forbidden_department"
    assert (await client.get("/api/v1/audit", headers=admin)).json()["total"] == before + 1
    # the one extra audit entry is the lead's account being created, not a change


async def test_team_lead_changes_their_own_department(client) -> None:
    await seed_both_departments(client)
    lead = await factories.login_as(client, LEAD, "SCJG")
    for call in (
        Call("PATCH", "/api/v1/items/SC-1", json={"name": "改名"}),
        Call("PATCH", "/api/v1/inspectors/S-1", json={"expertise": ["电梯"]}),
        Call("POST", "/api/v1/inspectors/S-1/status", json={"status": "on_leave"}),
    ):
        response = await send(client, call, lead, 0)
        assert response.status_code == 200, response.text
