"""Concurrent ceremony steps on one plan: exactly one wins, the other is refused cleanly."""

from __future__ import annotations

import asyncio

from server.draws.tables import Draw
from server.tasks.tables import Task
from tests.server.draws import world
from tests.server.draws.ceremony import published_plan, staff


async def test_simultaneous_schedule_and_draw_happen_once(client) -> None:
    await world.build(objects_per_class=3)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead)
    url = f"/api/v1/plans/{plan['id']}/draws/"
    responses = await asyncio.gather(*(client.post(url, headers=lead) for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [201, 409, 409]
    assert {r.json().get("code") for r in responses if r.status_code == 409} == {
        "draws.already_scheduled"
    }
    assert await Draw.count() == 1
    draw_id = next(r.json()["draw_id"] for r in responses if r.status_code == 201)
    await client.post(
        f"/api/v1/draws/{draw_id}/witness", json={"witness_input": "2468"}, headers=observer
    )
    drawn = await asyncio.gather(
        *(client.post(f"/api/v1/draws/{draw_id}/draw", headers=lead) for _ in range(3))
    )
    assert sorted(r.status_code for r in drawn) == [200, 409, 409]
    record = next(r.json() for r in drawn if r.status_code == 200)
    assert await Task.count() == len(record["assignments"])
