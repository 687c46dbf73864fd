"""Tasks from a sealed draw, and team changes from its amendments.

Both run inside the draw's write transaction. Every task created and every
team change is written to the per-inspector change feed
(`server.tasks.changes.record`), which field devices read as their cursor.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from server.draws import queries as draw_queries
from server.inspection_codes import service as inspection_codes
from server.plans import queries as plan_queries
from server.tasks import changes, queries


async def create_for_draw(draw_id: int, plan: Mapping[str, Any], record: Mapping[str, Any]) -> int:
    """One task per drawn object, with its team per department and each department's items."""
    assignments = record["assignments"]
    objects = await draw_queries.object_ids([a["object_id"] for a in assignments])
    badges = sorted({i for a in assignments for team in a["inspectors"].values() for i in team})
    inspectors = await draw_queries.inspector_ids(badges)
    departments = {
        d["code"]: d["department"] for d in await plan_queries.plan_departments(plan["id"])
    }
    items = await plan_queries.plan_items(plan["id"])
    now = datetime.now(UTC)
    await queries.insert_tasks(
        (
            draw_id,
            objects[a["object_id"]],
            "assigned",
            plan["window_end"],
            json.dumps(a["understaffed"]),
            1,
            now,
        )
        for a in assignments
    )
    task_ids = await queries.task_ids_of_draw(draw_id)
    members: list[tuple[Any, ...]] = []
    task_items: list[tuple[Any, ...]] = []
    teams: list[tuple[int, list[int]]] = []
    for a in assignments:
        task_id = task_ids[objects[a["object_id"]]]
        team: list[int] = []
        for code in sorted(a["inspectors"]):
            for order, badge in enumerate(a["inspectors"][code]):
                members.append((task_id, inspectors[badge], departments[code], order, True, ""))
                team.append(inspectors[badge])
        task_items.extend((task_id, i["item_id"], i["department_id"]) for i in items)
        teams.append((task_id, team))
    await queries.insert_members(members)
    await queries.insert_items(task_items)
    await changes.record_new_tasks(teams)
    await inspection_codes.issue_for_tasks(list(task_ids.values()))
    return len(assignments)


async def apply_amendment(draw_id: int, entry: Mapping[str, Any]) -> None:
    """Take the removed inspector off the task, put the replacement on (or flag the task
    understaffed), and tell every affected device through the change feed."""
    task = await queries.task_of(draw_id, entry["object_id"])
    assert task is not None, "a sealed draw has a task for every drawn object"
    members = await queries.active_members(task["id"])
    removed = next(
        m
        for m in members
        if m["badge_no"] == entry["removed"] and m["department_code"] == entry["department"]
    )
    await queries.deactivate_member(removed["id"], entry["reason"])
    rest = [m["inspector"] for m in members if m["id"] != removed["id"]]
    await changes.record(task["id"], [removed["inspector"]], "removed")
    if entry["replacement"] is None:
        understaffed = list(task["understaffed"] or [])
        if entry["department"] not in understaffed:
            understaffed.append(entry["department"])
        await queries.set_understaffed(task["id"], understaffed)
    else:
        replacement = (await draw_queries.inspector_ids([entry["replacement"]]))[
            entry["replacement"]
        ]
        department_id = (await draw_queries.department_ids([entry["department"]]))[
            entry["department"]
        ]
        order = 1 + max(
            (m["pick_order"] for m in members if m["department_code"] == entry["department"]),
            default=-1,
        )
        await queries.add_member(task["id"], replacement, department_id, order)
        await changes.record(task["id"], [replacement], "assigned")
    await changes.record(task["id"], rest, "updated")
