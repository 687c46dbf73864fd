"""The full ceremony over HTTP: commit → witness and sign → draw, reveal, seal → tasks."""

from __future__ import annotations

import hashlib
from typing import Any

from server.audit.log import verify_chain
from server.audit.tables import AuditEntry
from server.draws.service import without_status
from server.draws.tables import Draw, DrawAmendment
from server.plans.tables import Plan
from server.tasks.tables import Task, TaskChange, TaskInspector, TaskItem
from shared.canonical import canonical_json
from shared.draw import DepartmentSpec, DrawInput, StratumSpec, run_draw, verify_record
from tests.server.draws import world
from tests.server.draws.ceremony import published_plan, staff


async def _state() -> dict[str, Any]:
    return {
        "draws": await Draw.select().order_by(Draw.id),
        "plans": await Plan.select(Plan.id, Plan.status).order_by(Plan.id),
        "tasks": await Task.count(),
        "members": await TaskInspector.select().order_by(TaskInspector.id),
        "changes": await TaskChange.count(),
        "amendments": await DrawAmendment.count(),
        "audit": await AuditEntry.count(),
    }


def recompute(record: dict[str, Any]) -> dict[str, Any]:
    """Run the algorithm again from nothing but the published record."""
    return run_draw(
        DrawInput(
            plan_id=record["plan_id"],
            server_secret=bytes.fromhex(record["server_secret"]),
            witness_input=record["witness_input"],
            strata={
                name: StratumSpec(s["ratio"], s["cap"], s["population"])
                for name, s in record["strata"].items()
            },
            exclusions=record["exclusions"],
            departments=[
                DepartmentSpec(d["code"], d["per_task"], d["pool"], d["required_qualifications"])
                for d in record["departments"]
            ],
            conflicts=[(c["object_id"], c["inspector_id"]) for c in record["conflicts"]],
            drawn_at=record["drawn_at"],
            witness=record["witness"],
            signatures=record["signatures"],
        )
    )


async def test_ceremony_publishes_a_record_anyone_can_recompute(client) -> None:
    built = await world.build(objects_per_class=5)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead)

    scheduled = await client.post(f"/api/v1/plans/{plan['id']}/draws/", headers=lead)
    assert scheduled.status_code == 201, scheduled.text
    pending = scheduled.json()
    draw_id = pending["draw_id"]
    assert pending["status"] == "scheduled"
    assert pending["server_secret"] is None and pending["seed"] is None
    assert len(pending["commitment"]) == 64
    assert sum(len(s["population"]) for s in pending["strata"].values()) == len(built.objects)
    assert pending["departments"][0] == {
        "code": "SCJG",
        "per_task": 1,
        "pool": ["SC-001", "SC-002", "SC-003", "SC-004"],  # not SC-009 (unqualified), SC-010
        "required_qualifications": ["food"],
    }

    # the commitment is public before anyone witnesses, without login
    public = await client.get(f"/api/v1/public/draws/{draw_id}")
    assert public.status_code == 200
    assert public.json()["commitment"] == pending["commitment"]

    before = await _state()
    not_witnessed = await client.post(f"/api/v1/draws/{draw_id}/draw", headers=lead)
    assert not_witnessed.json()["code"] == "draws.not_witnessed"
    lead_signs = await client.post(
        f"/api/v1/draws/{draw_id}/witness", json={"witness_input": "999"}, headers=lead
    )
    assert lead_signs.status_code == 403
    assert lead_signs.json()["code"] == "draws.not_observer"
    empty = await client.post(
        f"/api/v1/draws/{draw_id}/witness", json={"witness_input": "  "}, headers=observer
    )
    assert empty.json()["code"] == "draws.witness_empty"
    assert await _state() == before

    witnessed = await client.post(
        f"/api/v1/draws/{draw_id}/witness", json={"witness_input": "73519"}, headers=observer
    )
    assert witnessed.status_code == 200, witnessed.text
    [signature] = witnessed.json()["signatures"]
    assert signature["role"] == "observer" and signature["signer"] == "observer-SCJG"
    before = await _state()
    again = await client.post(
        f"/api/v1/draws/{draw_id}/witness", json={"witness_input": "11111"}, headers=observer
    )
    assert again.json()["code"] == "draws.already_witnessed"
    assert await _state() == before

    drawn = await client.post(f"/api/v1/draws/{draw_id}/draw", headers=lead)
    assert drawn.status_code == 200, drawn.text
    record = drawn.json()
    assert record["status"] == "sealed" and record["seal_intact"] is True
    secret = bytes.fromhex(record["server_secret"])
    assert hashlib.sha256(secret).hexdigest() == pending["commitment"]
    assert record["population_digest"] == pending["population_digest"]
    assert record["witness_input"] == "73519"

    # A ratio 0.2 of 5 → 1, B 0.4 → 2, C 0.6 → 3, D 1 → 5
    assert {k: len(v) for k, v in record["selected"].items()} == {"A": 1, "B": 2, "C": 3, "D": 5}

    # the published record re-verifies and matches an independent re-run
    published = (await client.get(f"/api/v1/public/draws/{draw_id}")).json()
    assert verify_record(without_status(published)) == []
    again_run = recompute(published)
    for key in ("seed", "selected", "assignments", "population_digest", "commitment"):
        assert again_run[key] == published[key], key

    # sealed: canonical JSON, its hash stored and in the audit chain
    row = await Draw.select().where(Draw.public_id == draw_id).first()
    assert row["record_hash"] == hashlib.sha256(row["record"].encode()).hexdigest()
    assert row["record"] == canonical_json(without_status(published))
    seal = await AuditEntry.select().where(AuditEntry.action == "draw.seal").first()
    assert row["record_hash"] in seal["change"]
    assert await verify_chain() == []
    assert (await Plan.select(Plan.status).where(Plan.id == plan["id"]).first())["status"] == (
        "drawn"
    )

    # tasks: one per drawn object, the team per department, each department's items
    tasks = await Task.select(Task.id, Task.object.credit_code, Task.due_date, Task.understaffed)
    assert len(tasks) == 11
    assert {str(t["due_date"]) for t in tasks} == {"2026-12-31"}
    by_object = {a["object_id"]: a for a in record["assignments"]}
    for task in tasks:
        members = (
            await TaskInspector.select(
                TaskInspector.inspector.badge_no, TaskInspector.department.code
            )
            .where(TaskInspector.task == task["id"])
            .order_by(TaskInspector.pick_order)
        )
        team: dict[str, list[str]] = {}
        for m in members:
            team.setdefault(m["department.code"], []).append(m["inspector.badge_no"])
        assert team == by_object[task["object.credit_code"]]["inspectors"]
        items = await TaskItem.select(TaskItem.item.code, TaskItem.department.code).where(
            TaskItem.task == task["id"]
        )
        assert {(i["item.code"], i["department.code"]) for i in items} == {
            ("SC-SP-01", "SCJG"),
            ("WS-GG-01", "WSJK"),
            ("YJ-XF-01", "YJGL"),
        }
        feed = await TaskChange.select(TaskChange.inspector.badge_no, TaskChange.kind).where(
            TaskChange.task == task["id"]
        )
        assert sorted((f["inspector.badge_no"], f["kind"]) for f in feed) == sorted(
            (badge, "assigned") for badges in team.values() for badge in badges
        )

    # the staff task list shows the same
    listed = await client.get(f"/api/v1/tasks/?draw={draw_id}", headers=lead)
    assert listed.json()["total"] == 11
    assert {i["department"] for i in listed.json()["items"][0]["items"]} == {
        "SCJG",
        "WSJK",
        "YJGL",
    }

    # nothing changes a sealed draw
    before = await _state()
    for response in (
        await client.post(f"/api/v1/draws/{draw_id}/draw", headers=lead),
        await client.post(
            f"/api/v1/draws/{draw_id}/witness", json={"witness_input": "1"}, headers=observer
        ),
    ):
        assert response.json()["code"] == "draws.already_drawn", response.text
    twice = await client.post(f"/api/v1/plans/{plan['id']}/draws/", headers=lead)
    assert twice.json()["code"] == "draws.already_scheduled"
    assert await _state() == before


async def test_amendment_replaces_an_inspector_and_is_published(client) -> None:
    await world.build(objects_per_class=5)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead)
    from tests.server.draws.ceremony import full_draw

    record = await full_draw(client, lead, observer, plan["id"])
    draw_id = record["draw_id"]
    sealed_before = await Draw.select(Draw.record, Draw.record_hash).first()
    task = record["assignments"][0]
    removed = task["inspectors"]["SCJG"][0]
    others = [i for team in task["inspectors"].values() for i in team if i != removed]

    before = await _state()
    no_reason = await client.post(
        f"/api/v1/draws/{draw_id}/amendments",
        json={
            "object_id": task["object_id"],
            "department": "SCJG",
            "removed": removed,
            "reason": " ",
        },
        headers=lead,
    )
    assert no_reason.json()["code"] == "draws.amend_reason_required"
    wrong = await client.post(
        f"/api/v1/draws/{draw_id}/amendments",
        json={
            "object_id": task["object_id"],
            "department": "SCJG",
            "removed": "SC-999",
            "reason": "生病",
        },
        headers=lead,
    )
    assert wrong.json()["code"] == "draw.amend_not_assigned"
    assert await _state() == before

    response = await client.post(
        f"/api/v1/draws/{draw_id}/amendments",
        json={
            "object_id": task["object_id"],
            "department": "SCJG",
            "removed": removed,
            "reason": "回避：亲属关系",
            "conflict": True,
        },
        headers=lead,
    )
    assert response.status_code == 201, response.text
    amendment = response.json()
    replacement = amendment["replacement"]
    assert replacement and replacement != removed and replacement.startswith("SC-")
    assert amendment["conflicts"] == [{"object_id": task["object_id"], "inspector_id": removed}]

    published = (await client.get(f"/api/v1/public/draws/{draw_id}")).json()
    assert published["amendments"] == [amendment]
    current = next(
        a for a in published["current_assignments"] if a["object_id"] == task["object_id"]
    )
    assert current["inspectors"]["SCJG"] == [replacement]
    assert published["assignments"] == record["assignments"]  # the draw's result stays
    assert verify_record(without_status(published)) == []
    assert published["seal_intact"] is True
    assert await Draw.select(Draw.record, Draw.record_hash).first() == sealed_before

    task_row = (
        await Task.select(Task.id).where(Task.object.credit_code == task["object_id"]).first()
    )
    members = await TaskInspector.select(
        TaskInspector.inspector.badge_no, TaskInspector.active, TaskInspector.removed_reason
    ).where(TaskInspector.task == task_row["id"])
    state = {m["inspector.badge_no"]: (bool(m["active"]), m["removed_reason"]) for m in members}
    assert state[removed] == (False, "回避：亲属关系")
    assert state[replacement] == (True, "")
    feed = (
        await TaskChange.select(TaskChange.inspector.badge_no, TaskChange.kind)
        .where(
            (TaskChange.task == task_row["id"]) & (TaskChange.kind != "assigned")
            | ((TaskChange.task == task_row["id"]) & (TaskChange.inspector.badge_no == replacement))
        )
        .order_by(TaskChange.id)
    )
    kinds = [(f["inspector.badge_no"], f["kind"]) for f in feed]
    assert (removed, "removed") in kinds
    assert (replacement, "assigned") in kinds
    assert sorted(b for b, k in kinds if k == "updated") == sorted(others)
    assert await AuditEntry.exists().where(AuditEntry.action == "draw.amend")
