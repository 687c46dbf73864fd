"""A drawn demo plan with one task's result and photos sent through the real sync API."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from server.demo.accounts import DEMO_PASSWORD, FIELD_USER
from server.demo.dataset import create_demo
from tests.server.field import calls, photos

ITEM = "SCJG-012"
"""餐饮服务食品安全: the lead department's item of the demo plan."""


@dataclass
class Inspected:
    plan_code: str
    draw_id: str
    task_id: int
    result_id: str
    photos: dict[str, bytes]
    """SHA-256 → the bytes the device sent."""


async def inspected_demo_task(client: httpx.AsyncClient) -> Inspected:
    """The demo (2,000 objects), then `inspector` records SCJG-012 on one task with 3 photos."""
    lines: list[str] = []
    await create_demo(objects=2_000, seed=2026, report=lines.append)
    login = await client.post(
        "/api/v1/auth/login",
        json={"username": FIELD_USER, "password": DEMO_PASSWORD, "device_id": "records-tab"},
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    feed = (await client.get("/api/v1/field/tasks", headers=headers)).json()
    # A task the demo's inspection cycle left untouched (it records and submits some).
    task = next(t for t in feed["tasks"] if t["submitted_at"] is None and not t["returns"])
    shots = {photos.sha(data): data for data in (photos.jpeg(seed=s) for s in (11, 12, 13))}
    refs = []
    for n, (digest, data) in enumerate(shots.items()):
        uploaded = await calls.upload(client, headers, data, digest)
        assert uploaded.status_code in (200, 201, 204), uploaded.text
        question = "tableware_disinfected" if n == 0 else "site_photos"
        refs.append(calls.photo_ref(data, digest, question=question, media="image/jpeg"))
    body = calls.result_body(
        ITEM,
        answers={
            "licence_displayed": True,
            "bright_kitchen": True,
            "tableware_disinfected": True,
            "additives": "compliant",
            "samples_kept": True,
        },
        photos=refs,
    )
    result_id = calls.new_id()
    stored = await calls.put_result(client, headers, task["id"], result_id, body)
    assert stored.status_code in (200, 201), stored.text
    return Inspected(
        plan_code=task["plan"]["code"],
        draw_id=task["draw_id"],
        task_id=task["id"],
        result_id=result_id,
        photos=shots,
    )
