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
    """SHA-256 → the bytes the device sent (photos and signature PNGs)."""
    signatures: list[str]
    """SHA-256 of the two signature PNGs."""


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
    # The visit record (现场检查笔录) with the representative's and the inspector's signatures.
    pngs = [photos.png(120, seed=21), photos.png(130, seed=22)]
    for data in pngs:
        assert (await calls.upload(client, headers, data, photos.sha(data))).status_code == 200
    signers = [
        ("representative", "representative", "王店长", None),
        (f"inspector:{task['my_badge']}", "inspector", "检查员", task["my_badge"]),
    ]
    visit = {
        "arrival_at": "2026-11-20T09:30:00+08:00",
        "method": "on_site",
        "notes": "企业负责人在场，配合检查；后厨整洁。",
        "people": [{"name": "王店长", "role": "店长", "id_number": ""}],
        "signatures": [
            {
                "signer": signer,
                "role": role,
                "name": name,
                "badge": badge,
                "signed_at": "2026-11-20T10:40:00+08:00",
                "sha256": photos.sha(data),
                "size": len(data),
                "media_type": "image/png",
                "width": 800,
                "height": 400,
                "strokes": [[[0.1, 0.2], [0.5, 0.6], [0.8, 0.3]]],
            }
            for (signer, role, name, badge), data in zip(signers, pngs, strict=True)
        ],
    }
    sent = await client.put(
        f"/api/v1/field/tasks/{task['id']}/visit/{calls.new_id()}", json=visit, headers=headers
    )
    assert sent.status_code == 201, sent.text
    shots.update({photos.sha(data): data for data in pngs})
    return Inspected(
        plan_code=task["plan"]["code"],
        draw_id=task["draw_id"],
        task_id=task["id"],
        result_id=result_id,
        photos=shots,
        signatures=[photos.sha(data) for data in pngs],
    )
