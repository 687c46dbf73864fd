"""Who sees which tasks: an inspector only their own (issue 7, item 11)."""

from __future__ import annotations

from server.tasks.tables import Task, TaskInspector
from tests.server import factories
from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff


async def own_task_ids(inspector_id: int) -> set[int]:
    rows = await TaskInspector.select(TaskInspector.task).where(
        (TaskInspector.inspector == inspector_id) & (TaskInspector.active == True)  # noqa: E712
    )
    return {row["task"] for row in rows}


async def test_an_inspector_lists_only_their_own_tasks_and_teams(client) -> None:
    built = await world.build(objects_per_class=3)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead, ratios={"all": "1"})
    await full_draw(client, lead, observer, plan["id"])
    total = await Task.count()

    me = built.inspectors["SC-001"]
    await factories.user("inspector", "sc1", "SCJG", inspector_id=me)
    headers = await factories.login(client, "sc1", device_id="tab-sc1")
    mine = await own_task_ids(me)
    assert 0 < len(mine) < total

    for query in ("", "?mine=false", "?mine=true"):
        answer = await client.get(f"/api/v1/tasks/{query}", headers=headers)
        assert answer.status_code == 200
        page = answer.json()
        assert page["total"] == len(mine)
        assert {t["id"] for t in page["items"]} == mine
        for task in page["items"]:
            assert "SC-001" in {m["badge_no"] for m in task["team"] if m["active"]}

    # Badges that never share a task with SC-001 are never shown to them.
    everyone = await client.get("/api/v1/tasks/?limit=500", headers=lead)
    assert everyone.json()["total"] == total
    seen_by_me = {
        m["badge_no"]
        for t in (await client.get("/api/v1/tasks/?limit=500", headers=headers)).json()["items"]
        for m in t["team"]
    }
    all_badges = {m["badge_no"] for t in everyone.json()["items"] for m in t["team"]}
    assert seen_by_me < all_badges


async def test_an_inspector_account_without_a_roster_entry_sees_no_task(client) -> None:
    await world.build(objects_per_class=2)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead, ratios={"all": "1"})
    await full_draw(client, lead, observer, plan["id"])
    await factories.user("inspector", "unbound", "SCJG")
    headers = await factories.login(client, "unbound")
    answer = await client.get("/api/v1/tasks/", headers=headers)
    assert answer.status_code == 200
    assert answer.json()["total"] == 0 and answer.json()["items"] == []


async def test_staff_still_see_every_task(client) -> None:
    await world.build(objects_per_class=2)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead, ratios={"all": "1"})
    await full_draw(client, lead, observer, plan["id"])
    total = await Task.count()
    for headers in (lead, observer, await factories.login_as(client, "back_office")):
        answer = await client.get("/api/v1/tasks/?limit=500", headers=headers)
        assert answer.json()["total"] == total
