"""Tasks from draws: two officers for single-department plans, understaffed flags, big draws."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from server.rosters.bulk import insert_objects
from server.rosters.tables import Inspector
from server.tasks.tables import Task, TaskChange, TaskInspector, TaskItem
from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff


async def test_single_department_plan_sends_two_officers(client) -> None:
    await world.build(objects_per_class=2)
    lead, observer = await staff(client)
    plan = await published_plan(
        client,
        lead,
        code="SC-2026-01",
        kind="annual",
        departments=[{"code": "SCJG", "per_task": 1}],
        items=["SC-SP-01"],
        ratios={"all": "1"},
    )
    record = await full_draw(client, lead, observer, plan["id"])
    assert len(record["assignments"]) == 8
    for assignment in record["assignments"]:
        assert len(assignment["inspectors"]["SCJG"]) == 2
        assert assignment["understaffed"] == []
    assert await TaskInspector.count() == 16
    assert await TaskChange.count().where(TaskChange.kind == "assigned") == 16
    assert await TaskItem.count() == 8


async def test_a_dry_pool_is_flagged_never_filled(client) -> None:
    built = await world.build(objects_per_class=1)
    target = built.objects[0]
    await Inspector.update({Inspector.conflicts: [{"object": target, "reason": "亲属"}]}).where(
        Inspector.badge_no == "YJ-001"
    )
    lead, observer = await staff(client)
    plan = await published_plan(
        client,
        lead,
        departments=[
            {"code": "SCJG", "per_task": 1},
            {"code": "WSJK", "per_task": 1},
            {"code": "YJGL", "per_task": 2},
        ],
        ratios={"all": "1"},
    )
    record = await full_draw(client, lead, observer, plan["id"])
    flagged = {a["object_id"]: a for a in record["assignments"]}
    assert flagged[target]["understaffed"] == ["YJGL"]
    assert flagged[target]["inspectors"]["YJGL"] == ["YJ-002"]
    assert record["conflicts"] == [{"object_id": target, "inspector_id": "YJ-001"}]
    task = (
        await Task.select(Task.id, Task.understaffed)
        .where(Task.object.credit_code == target)
        .output(load_json=True)
        .first()
    )
    assert task["understaffed"] == ["YJGL"]

    # removing the only YJGL officer leaves no replacement: flagged, fed to devices
    response = await client.post(
        f"/api/v1/draws/{record['draw_id']}/amendments",
        json={"object_id": target, "department": "YJGL", "removed": "YJ-002", "reason": "生病"},
        headers=lead,
    )
    assert response.status_code == 201, response.text
    assert response.json()["replacement"] is None
    feed = await TaskChange.select(TaskChange.inspector.badge_no, TaskChange.kind).where(
        (TaskChange.task == task["id"]) & (TaskChange.kind != "assigned")
    )
    assert ("YJ-002", "removed") in {(f["inspector.badge_no"], f["kind"]) for f in feed}
    assert {f["kind"] for f in feed} == {"removed", "updated"}


async def test_a_large_draw_creates_every_task_in_bulk(client) -> None:
    await world.build(objects_per_class=0)
    now = datetime.now(UTC)
    codes = [world.credit_code(100_000 + n) for n in range(3000)]
    await insert_objects(
        (
            code,
            f"企业{n}",
            "enterprise",
            "5211",
            "[]",
            "230302",
            "",
            "ABCD"[n % 4],
            "active",
            False,
            0,
            json.dumps([]),
            now,
        )
        for n, code in enumerate(codes)
    )
    lead, observer = await staff(client)
    plan = await published_plan(client, lead, ratios={"all": "1"}, general_cap=None)
    record = await full_draw(client, lead, observer, plan["id"])
    assert len(record["assignments"]) == 3000
    assert await Task.count() == 3000
    assert await TaskInspector.count() == 9000
    assert await TaskItem.count() == 9000
    assert await TaskChange.count() == 9000
    # loads are balanced: 3000 tasks over the SCJG pool of four
    loads: dict[str, int] = {}
    for assignment in record["assignments"]:
        for badge in assignment["inspectors"]["SCJG"]:
            loads[badge] = loads.get(badge, 0) + 1
    assert sorted(loads.values()) == [750, 750, 750, 750]
