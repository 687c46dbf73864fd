"""A drawn plan whose tasks carry inspection codes, driven through the HTTP API."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff


async def drawn_task_code(client: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(draw record, the first task's code as the staff endpoint gives it, lead headers)."""
    await world.build(objects_per_class=4)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead)
    record = await full_draw(client, lead, observer, plan["id"])
    tasks = await client.get(f"/api/v1/tasks/?draw={record['draw_id']}", headers=lead)
    assert tasks.status_code == 200, tasks.text
    task_id = tasks.json()["items"][0]["id"]
    code = await client.get(f"/api/v1/tasks/{task_id}/inspection-code/", headers=lead)
    assert code.status_code == 200, code.text
    return record, code.json(), lead


def path_of(url: str) -> str:
    """`/check/{code}?s=…` of the QR's URL, for any server."""
    parts = urlsplit(url)
    assert parse_qs(parts.query)["s"]
    return f"{parts.path}?{parts.query}"
