"""Credit feedback over HTTP: propose, an admin applies, the next draw uses the class."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from server.audit.tables import AuditEntry
from server.draws.tables import Draw
from server.plans.tables import Plan
from server.publication.tables import Publication, PublicEntry
from server.records.tables import CreditProposal
from server.rosters.tables import InspectionObject
from server.tasks.tables import Task
from tests.server import factories
from tests.server.draws import world
from tests.server.draws.ceremony import published_plan, staff

API = "/api/v1/records/credit"


async def _publish(credit_code: str, results: list[str], n: int) -> None:
    """A published inspection of `credit_code` in 2026 whose items got these result codes."""
    now = datetime.now(UTC)
    business = (
        await InspectionObject.select(InspectionObject.id)
        .where(InspectionObject.credit_code == credit_code)
        .first()
    )
    department = await factories.department("SCJG", "市场监督管理局")
    plan = await Plan.insert(
        Plan(
            code=f"OLD-{n}",
            name="上年计划",
            year=2025,
            lead_department=department,
            status="closed",
            window_start=date(2025, 1, 1),
            window_end=date(2025, 12, 31),
            created_at=now,
            updated_at=now,
        )
    ).returning(Plan.id)
    draw = await Draw.insert(
        Draw(
            public_id=f"OLD-{n}-D1",
            plan=plan[0]["id"],
            status="sealed",
            commitment="0" * 64,
            server_secret="1" * 64,
            scheduled_at=now,
        )
    ).returning(Draw.id)
    task = await Task.insert(
        Task(draw=draw[0]["id"], object=business["id"], due_date=date(2025, 12, 31), updated_at=now)
    ).returning(Task.id)
    record = {
        "items": [{"item_code": f"X-{i}", "result_code": code} for i, code in enumerate(results)]
    }
    publication = await Publication.insert(
        Publication(
            task=task[0]["id"],
            version=1,
            published_at=now,
            published_by="office",
            record=record,
            record_hash="a" * 64,
        )
    ).returning(Publication.id)
    await PublicEntry.insert(
        PublicEntry(
            publication=publication[0]["id"],
            task=task[0]["id"],
            version=1,
            credit_code=credit_code,
            name="企业",
            authority="市场监督管理局",
            department_code="SCJG",
            plan_code=f"OLD-{n}",
            plan_name="上年计划",
            inspected_on=date(2026, 5, n),
            published_on=date(2026, 5, n + 1),
            result_codes=",".join(results),
        )
    )


async def _class_of(code: str) -> str:
    row = (
        await InspectionObject.select(InspectionObject.risk_class)
        .where(InspectionObject.credit_code == code)
        .first()
    )
    return row["risk_class"]


async def test_two_findings_move_b_to_c_once_an_admin_applies_and_the_next_draw_uses_it(
    client: httpx.AsyncClient,
) -> None:
    built = await world.build(objects_per_class=5)
    twice, once = built.objects[5], built.objects[6]  # both class B
    await _publish(twice, ["3"], 1)
    await _publish(twice, ["B", "1"], 2)
    await _publish(once, ["3"], 3)
    admin = await factories.login_as(client, "admin", None)

    proposed = await client.post(f"{API}/2026/propose", headers=admin)
    assert proposed.status_code == 200, proposed.text
    assert proposed.json() == {"year": 2026, "businesses": 2, "proposals": 1}
    assert await _class_of(twice) == "B"  # nothing changes silently

    listed = (await client.get(f"{API}/2026/proposals", headers=admin)).json()["items"]
    assert [(p["credit_code"], p["current_class"], p["proposed_class"]) for p in listed] == [
        (twice, "B", "C")
    ]
    assert any("发现问题" in reason for reason in listed[0]["reasons"])

    lead, _ = await staff(client)
    refused = await client.post(f"{API}/apply", json={"ids": [listed[0]["id"]]}, headers=lead)
    assert refused.status_code == 403 and await _class_of(twice) == "B"

    applied = await client.post(f"{API}/apply", json={"ids": [listed[0]["id"]]}, headers=admin)
    assert applied.status_code == 200, applied.text
    assert await _class_of(twice) == "C" and await _class_of(once) == "B"
    entry = await AuditEntry.select().where(AuditEntry.action == "credit.apply").first()
    assert entry["entity_id"] == twice and '"C"' in entry["change"]

    audit_before = await AuditEntry.count()
    again = await client.post(f"{API}/apply", json={"ids": [listed[0]["id"]]}, headers=admin)
    assert again.status_code == 409 and again.json()["code"] == "records.proposal_closed"
    assert await AuditEntry.count() == audit_before

    # The next plan's strata use the applied class.
    plan = await published_plan(client, lead, code="2027-LH-001")
    scheduled = await client.post(f"/api/v1/plans/{plan['id']}/draws/", headers=lead)
    assert scheduled.status_code == 201, scheduled.text
    strata: dict[str, Any] = scheduled.json()["strata"]
    assert twice in strata["C"]["population"] and twice not in strata["B"]["population"]


async def test_a_new_run_supersedes_open_proposals_and_bad_requests_change_nothing(
    client: httpx.AsyncClient,
) -> None:
    built = await world.build(objects_per_class=2)
    target = built.objects[2]
    await _publish(target, ["8"], 1)  # refusal to cooperate
    await _publish(target, ["6"], 2)  # unreachable: an abnormal-list candidate
    admin = await factories.login_as(client, "admin", None)
    for _ in range(2):
        assert (await client.post(f"{API}/2026/propose", headers=admin)).status_code == 200
    statuses = [r["status"] for r in await CreditProposal.select().order_by(CreditProposal.id)]
    assert statuses == ["superseded", "proposed"]
    open_one = (await client.get(f"{API}/2026/proposals?status=proposed", headers=admin)).json()
    proposal = open_one["items"][0]
    assert proposal["abnormal_candidate"] and proposal["proposed_class"] == "D"

    for body in ({"ids": []}, {"ids": [0]}, {"ids": [999_999]}, {"ids": [1], "x": 1}):
        answer = await client.post(f"{API}/apply", json=body, headers=admin)
        assert 400 <= answer.status_code < 500, body
    assert (await client.post(f"{API}/1999/propose", headers=admin)).status_code == 400
    assert await _class_of(target) == "B"

    applied = await client.post(
        f"{API}/apply", json={"ids": [proposal["id"]], "mark_abnormal": True}, headers=admin
    )
    assert applied.status_code == 200
    row = (
        await InspectionObject.select(InspectionObject.risk_class, InspectionObject.abnormal)
        .where(InspectionObject.credit_code == target)
        .first()
    )
    assert row == {"risk_class": "D", "abnormal": True}
