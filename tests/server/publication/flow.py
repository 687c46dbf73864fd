"""A task taken through field sync to submission, for review, deadline and publication tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from tests.server.field import calls
from tests.server.field.factory import FieldTask, field_task

TEAM = {"S1": "SCJG", "S2": "SCJG", "H1": "HBJ"}
ITEMS = {"SC-01": "SCJG", "HB-01": "HBJ"}


@dataclass
class Completed:
    task: FieldTask
    team: dict[str, str]
    results: dict[str, str] = field(default_factory=dict)
    """Item code → result id."""
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    """Badge → bearer headers of that inspector's device."""

    def badge_for(self, item: str) -> str:
        department = self.task.items[item]
        return next(badge for badge, dep in self.team.items() if dep == department)


async def completed_task(
    client: httpx.AsyncClient,
    completed_at: str = "2026-11-20T11:00:00+08:00",
    categories: dict[str, str] | None = None,
    team: dict[str, str] | None = None,
    items: dict[str, str] | None = None,
) -> Completed:
    """A joint task whose every department recorded its item and submitted."""
    team = dict(team or TEAM)
    task = await field_task(team=team, items=dict(items or ITEMS))
    done = Completed(task, team)
    for badge, username in task.users.items():
        done.headers[badge] = await calls.login(client, username, f"device-{badge}")
    for item in task.items:
        result_id = calls.new_id()
        body = calls.result_body(item, category=(categories or {}).get(item, "1"))
        response = await calls.put_result(
            client, done.headers[done.badge_for(item)], task.task_id, result_id, body
        )
        assert response.status_code in (200, 201), response.text
        done.results[item] = result_id
    submitted: set[str] = set()
    for badge, department in team.items():
        if department in submitted:
            continue
        response = await calls.submit(client, done.headers[badge], task.task_id, completed_at)
        assert response.status_code == 200, response.text
        submitted.add(department)
    return done
