"""Task packages by cursor (`GET /field/tasks?since=`)."""

from __future__ import annotations

from datetime import date

import httpx

from server.tasks import changes
from server.tasks.tables import Task
from shared.sync.protocol import RESULT_BATCH_MAX
from tests.server.field import factory
from tests.server.field.calls import API, login


async def test_packages_by_cursor(client: httpx.AsyncClient) -> None:
    task = await factory.field_task()
    other = await factory.field_task(team={"S9": "SCJG"}, items={"SC-09": "SCJG"})
    headers = await login(client, task.users["S1"])

    everything = await client.get(f"{API}/field/tasks", headers=headers)
    assert everything.status_code == 200, everything.text
    feed = everything.json()
    assert [t["id"] for t in feed["tasks"]] == [task.task_id]  # never another inspector's task
    assert other.task_id not in feed["removed"]
    package = feed["tasks"][0]
    assert package["my_department"] == "SCJG"
    assert package["draw_id"].startswith("D-")
    assert package["plan"]["code"].startswith("P-")
    assert package["object"]["name"].startswith("企业")
    assert {m["badge_no"]: m["department"] for m in package["team"]} == {
        "S1": "SCJG",
        "S2": "SCJG",
        "H1": "HBJ",
    }
    assert {i["code"]: i["department"] for i in package["items"]} == {
        "SC-01": "SCJG",
        "HB-01": "HBJ",
    }
    assert package["items"][0]["checklist"][0]["id"] == "q1"
    assert package["due_date"] == "2026-12-31"
    assert package["submitted_at"] is None
    cursor = feed["cursor"]

    unchanged = await client.get(f"{API}/field/tasks", params={"since": cursor}, headers=headers)
    assert unchanged.json() == {
        "cursor": cursor,
        "tasks": [],
        "removed": [],
        "more": False,
        "result_batch_max": RESULT_BATCH_MAX,
    }

    # A change to the task (its deadline moved) brings the whole new package.
    await Task.update({Task.due_date: date(2026, 12, 15)}).where(Task.id == task.task_id)
    await changes.record(task.task_id, task.inspectors.values(), "updated")
    updated = (
        await client.get(f"{API}/field/tasks", params={"since": cursor}, headers=headers)
    ).json()
    assert [t["due_date"] for t in updated["tasks"]] == ["2026-12-15"]
    assert updated["tasks"][0]["version"] > package["version"]

    # Taken off the task: its id is listed as removed, and no package comes.
    await factory.take_off(task, "S1")
    removed = (
        await client.get(f"{API}/field/tasks", params={"since": updated["cursor"]}, headers=headers)
    ).json()
    assert removed["tasks"] == []
    assert removed["removed"] == [task.task_id]
    assert int(removed["cursor"]) > int(updated["cursor"])
