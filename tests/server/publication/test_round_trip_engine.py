"""The review round trip through the real field sync engine and the real app.

return → the device sees it at its next sync → the inspector edits, the engine
sends a new version → approve → publish.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from mobile.sync import HttpTransport, Store, SyncEngine
from mobile.sync.session import login
from server.app import create_app
from server.field.tables import ItemResult
from tests.server import factories
from tests.server.field.factory import field_task

API = "/api/v1"


async def test_returned_result_round_trip(client: httpx.AsyncClient, tmp_path: Path) -> None:
    task = await field_task(team={"S1": "SCJG", "S2": "SCJG"}, items={"SC-01": "SCJG"})
    store = Store(tmp_path / "device")
    transport = HttpTransport("http://device", http=httpx.ASGITransport(app=create_app()))
    engine = SyncEngine(store, transport)
    reply = await login(
        store,
        transport,
        username=task.users["S1"],
        password=factories.PASSWORD,
        device_id="tablet-S1",
    )
    assert reply.ok
    assert (await engine.sync_once()).tasks_received == 1
    result_id = store.record_result(
        task.task_id, "SC-01", answers={"q1": True}, category="1", findings="初次检查"
    )
    store.request_submission(task.task_id, "2026-11-20T11:00:00+08:00")
    report = await engine.sync_once()
    assert report.results_acknowledged == 1 and report.submissions == 1, report

    back = await factories.login_as(client, "back_office", "SCJG")
    returned = await client.post(
        f"{API}/review/tasks/{task.task_id}/items/SC-01/decision",
        json={"decision": "return", "version": 1, "reason": "缺少亮照经营说明"},
        headers=back,
    )
    assert returned.status_code == 201, returned.text

    await engine.sync_once()
    status = store.task(task.task_id)
    assert status is not None
    assert [(r["item"], r["reason"]) for r in status.package["returns"]] == [
        ("SC-01", "缺少亮照经营说明")
    ]
    assert status.package["publication_deadline"] == "2026-12-04"

    store.record_result(
        task.task_id,
        "SC-01",
        answers={"q1": True},
        category="1",
        findings="已补充亮照经营说明",
        result_id=result_id,
    )
    report = await engine.sync_once()
    assert report.results_acknowledged == 1, report
    assert not report.failures, report.failures
    head = await ItemResult.select(ItemResult.version).where(ItemResult.result_uuid == result_id)
    assert head == [{"version": 2}]
    # The return is answered: the next package no longer lists it.
    await engine.sync_once()
    assert store.task(task.task_id).package["returns"] == []  # type: ignore[union-attr]

    approved = await client.post(
        f"{API}/review/tasks/{task.task_id}/items/SC-01/decision",
        json={"decision": "approve", "version": 2},
        headers=back,
    )
    assert approved.status_code == 201, approved.text
    published = await client.post(
        f"{API}/review/tasks/{task.task_id}/publish", json={}, headers=back
    )
    assert published.status_code == 201, published.text
    [item] = published.json()["record"]["items"]
    assert item["result_code"] == "1"
    await transport.client.aclose()
    store.close()
