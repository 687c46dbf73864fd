"""`create_demo` end to end on the engine under test."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

import pytest

from server.accounts.tables import User
from server.audit.log import verify_chain
from server.audit.tables import AuditEntry
from server.demo.accounts import DEMO_PASSWORD, STAFF
from server.demo.dataset import create_demo
from server.demo.departments import DEPARTMENTS
from server.demo.items import ITEMS
from server.rosters.tables import Department, InspectionItem, InspectionObject, Inspector
from shared.checklist import parse_template
from shared.credit_code import is_valid_credit_code
from shared.errors import SuichaError
from tests import dbsetup
from tests.server import factories

OBJECTS = 300


async def _reset() -> None:
    """Empty the database again, as the `db` fixture does before each test."""
    if dbsetup.ENGINE == "sqlite":
        dbsetup.restore_sqlite_template()
    else:
        await asyncio.to_thread(dbsetup.truncate_postgres)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _counts() -> dict[str, int]:
    return {
        table.__name__: await table.count()
        for table in (Department, InspectionItem, Inspector, InspectionObject, User, AuditEntry)
    }


async def _snapshot() -> dict[str, list[dict[str, Any]]]:
    objects = await InspectionObject.select(
        *(c for c in InspectionObject._meta.columns if c._meta.name not in {"id", "updated_at"})
    ).order_by(InspectionObject.credit_code)
    inspectors = await Inspector.select(
        *(c for c in Inspector._meta.columns if c._meta.name not in {"id", "department"}),
        Inspector.department.code.as_alias("department_code"),
    ).order_by(Inspector.badge_no)
    items = await InspectionItem.select(
        *(c for c in InspectionItem._meta.columns if c._meta.name not in {"id", "department"})
    ).order_by(InspectionItem.code)
    return {"objects": objects, "inspectors": inspectors, "items": items}


async def test_demo_creates_the_joint_meeting_rosters(db: None) -> None:
    lines: list[str] = []
    await create_demo(objects=OBJECTS, seed=7, report=lines.append)

    counts = await _counts()
    inspectors = await Inspector.select(
        Inspector.status,
        Inspector.qualifications,
        Inspector.department.code.as_alias("department"),
        Inspector.badge_no,
    )
    active = [row for row in inspectors if row["status"] == "active"]
    assert counts["Department"] == len(DEPARTMENTS)
    assert counts["InspectionItem"] == len(ITEMS)
    assert counts["Inspector"] == sum(d.inspectors for d in DEPARTMENTS) == len(inspectors)
    assert counts["InspectionObject"] == OBJECTS
    # The staff, one account per active officer, and the field demo account.
    assert counts["User"] == len(STAFF) + len(active) + 1
    assert any("300" in line for line in lines)
    assert any(line.startswith("完成 / done") for line in lines)

    codes = [
        row["credit_code"] for row in await InspectionObject.select(InspectionObject.credit_code)
    ]
    assert len(set(codes)) == OBJECTS
    assert all(is_valid_credit_code(code) for code in codes)

    risk = Counter(
        row["risk_class"] for row in await InspectionObject.select(InspectionObject.risk_class)
    )
    assert 0.18 < risk["A"] / OBJECTS < 0.42
    assert 0.38 < risk["B"] / OBJECTS < 0.62
    assert 0.06 < risk["C"] / OBJECTS < 0.25
    assert 0 < risk["D"] / OBJECTS < 0.12

    items = await InspectionItem.select(
        InspectionItem.code,
        InspectionItem.checklist,
        InspectionItem.required_qualifications,
        InspectionItem.department.code.as_alias("department"),
    )
    for item in items:
        assert len(parse_template(item["checklist"])) >= 3, item["code"]
        needed = set(_json(item["required_qualifications"]))
        qualified = [
            row
            for row in active
            if row["department"] == item["department"]
            and needed <= set(_json(row["qualifications"]))
        ]
        assert qualified, f"no active inspector of {item['department']} can do {item['code']}"

    actions = {row["action"] for row in await AuditEntry.select(AuditEntry.action)}
    assert {
        "demo.departments",
        "demo.items",
        "demo.objects",
        "demo.inspectors",
        "demo.accounts",
    } <= actions
    assert await verify_chain() == []


async def test_demo_accounts_log_in_with_the_demo_password(client) -> None:
    await create_demo(objects=20, seed=3, report=lambda _: None)
    badge = (
        await Inspector.select(Inspector.badge_no)
        .where((Inspector.status == "active") & (Inspector.badge_no.like("SCJG-%")))
        .order_by(Inspector.badge_no)
        .first()
    )["badge_no"]
    expected = {staff.username: staff.role for staff in STAFF} | {badge: "inspector"}
    for username, role in expected.items():
        response = await client.post(
            "/api/v1/auth/login",
            json={"username": username, "password": DEMO_PASSWORD, "device_id": "demo-tab"},
        )
        assert response.status_code == 200, (username, response.text)
        me = await client.get(
            "/api/v1/auth/me",
            headers={"Authorization": f"Bearer {response.json()['access_token']}"},
        )
        assert me.json()["role"] == role
        if role == "inspector":
            assert me.json()["inspector_id"] is not None
    # Officers who have left the service get no account.
    left = await Inspector.select(Inspector.badge_no).where(Inspector.status == "left").first()
    assert left is not None
    refused = await client.post(
        "/api/v1/auth/login",
        json={"username": left["badge_no"], "password": DEMO_PASSWORD, "device_id": "d"},
    )
    assert refused.status_code == 401


async def test_same_seed_gives_the_same_data(db: None) -> None:
    await create_demo(objects=120, seed=42, report=lambda _: None)
    first = await _snapshot()
    await _reset()
    await create_demo(objects=120, seed=42, report=lambda _: None)
    assert await _snapshot() == first
    await _reset()
    await create_demo(objects=120, seed=43, report=lambda _: None)
    assert (await _snapshot())["objects"] != first["objects"]


async def test_a_second_run_is_refused_and_changes_nothing(db: None) -> None:
    await create_demo(objects=30, seed=1, report=lambda _: None)
    before = await _counts()
    lines: list[str] = []
    with pytest.raises(SuichaError) as refused:
        await create_demo(objects=30, seed=1, report=lines.append)
    assert refused.value.code == "demo.not_empty"
    assert refused.value.detail_zh and refused.value.detail_en
    assert await _counts() == before
    assert lines == []


async def test_a_database_with_any_roster_data_is_refused(db: None) -> None:
    await factories.department("SCJG")
    with pytest.raises(SuichaError) as refused:
        await create_demo(objects=10, seed=1, report=lambda _: None)
    assert refused.value.code == "demo.not_empty"
    assert await InspectionObject.count() == 0
    assert await Department.count() == 1


async def test_a_negative_object_count_is_refused(db: None) -> None:
    with pytest.raises(SuichaError) as refused:
        await create_demo(objects=-1, seed=1, report=lambda _: None)
    assert refused.value.code == "demo.object_count"
    assert await Department.count() == 0


async def test_the_readme_field_account_has_tasks_in_the_demo_draw(client) -> None:
    """The README tells a new user to sign in the field app as `inspector`: it must have work."""
    from pathlib import Path

    from server.demo.accounts import FIELD_USER

    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    assert f"--username {FIELD_USER} " in readme
    lines: list[str] = []
    await create_demo(objects=2_000, seed=2026, report=lines.append)
    assert any(line.startswith("示例检查员") and FIELD_USER in line for line in lines), lines
    response = await client.post(
        "/api/v1/auth/login",
        json={"username": FIELD_USER, "password": DEMO_PASSWORD, "device_id": "readme-tab"},
    )
    assert response.status_code == 200, response.text
    feed = await client.get(
        "/api/v1/field/tasks",
        headers={"Authorization": f"Bearer {response.json()['access_token']}"},
    )
    assert feed.status_code == 200, feed.text
    assert feed.json()["tasks"], "the README's field account has no tasks"
