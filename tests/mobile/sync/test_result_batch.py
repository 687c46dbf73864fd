"""The engine sends results in batches when the server offers them (sync-v1.2), and with
one PUT each when it does not (an older server) or when a batch is refused as a whole.
Against the real application in process, with a recording transport in between."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from mobile.sync import HttpTransport, RecordState, RetryPolicy, Store, SyncEngine
from mobile.sync.session import login
from server.audit.log import verify_chain
from server.audit.tables import AuditEntry
from server.field.tables import ItemResult, ResultVersion
from tests.server.factories import PASSWORD
from tests.server.field import factory

Rewrite = Callable[[httpx.Request, httpx.Response], httpx.Response]


class Recording(httpx.AsyncBaseTransport):
    """Forwards to the app; records (method, path); may change or lose answers."""

    def __init__(self, app_transport: httpx.AsyncBaseTransport) -> None:
        self.app = app_transport
        self.calls: list[tuple[str, str]] = []
        self.offer: int | None = None
        """Replace the feed's `result_batch_max` (0: an older server)."""
        self.refuse_batches = False
        """Answer every batch 404, as a proxy that does not know the path would."""
        self.lose_answers = 0
        """Batches whose answer is lost after the server committed them."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        self.calls.append((request.method, path))
        batch = request.method == "POST" and path.endswith("/results")
        if batch and self.refuse_batches:
            return httpx.Response(404, json={"status": 404, "code": "http.not_found"})
        response = await self.app.handle_async_request(request)
        if batch and self.lose_answers:
            await response.aread()
            self.lose_answers -= 1
            raise httpx.ReadError("answer lost", request=request)
        if path == "/field/tasks" and self.offer is not None:
            body = json.loads(await response.aread())
            body["result_batch_max"] = self.offer
            return httpx.Response(response.status_code, json=body)
        return response

    def count(self, method: str, suffix: str) -> int:
        return sum(1 for m, p in self.calls if m == method and p.endswith(suffix))


@pytest.fixture
async def world(db: None, tmp_path: Path) -> tuple[factory.FieldTask, Recording, Store, SyncEngine]:
    from server.app import create_app

    task = await factory.field_task(
        team={"S1": "SCJG"}, items={f"B-{n}": "SCJG" for n in range(1, 6)}
    )
    recording = Recording(httpx.ASGITransport(app=create_app()))
    transport = HttpTransport("http://testserver", http=recording)
    store = Store(tmp_path / "device")
    assert (
        await login(store, transport, username=task.users["S1"], password=PASSWORD, device_id="d1")
    ).ok
    engine = SyncEngine(
        store,
        transport,
        retry=RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05),
    )
    return task, recording, store, engine


def record_all(store: Store, task: factory.FieldTask) -> list[str]:
    return [
        store.record_result(task.task_id, code, answers={"q1": True}, category="1", findings=code)
        for code in sorted(task.items)
    ]


async def held_once(result_ids: list[str]) -> None:
    heads = await ItemResult.select(ItemResult.result_uuid, ItemResult.version).where(
        ItemResult.result_uuid.is_in(result_ids)
    )
    assert sorted(h["result_uuid"] for h in heads) == sorted(result_ids)
    assert {h["version"] for h in heads} == {1}
    assert await ResultVersion.count().where(ResultVersion.result_uuid.is_in(result_ids)) == len(
        result_ids
    )
    stores = await AuditEntry.select(AuditEntry.entity_id).where(
        AuditEntry.action == "field.result.store"
    )
    assert sorted(s["entity_id"] for s in stores) == sorted(result_ids)
    assert await verify_chain() == []


async def test_the_engine_sends_a_batch_when_offered(world: tuple) -> None:
    task, recording, store, engine = world
    await engine.sync_once()  # the task package
    result_ids = record_all(store, task)
    recording.offer = 2  # two results per batch: five results take three batches
    report = await engine.sync_once()
    assert report.results_acknowledged == 5
    assert recording.count("POST", f"/field/tasks/{task.task_id}/results") == 3
    assert recording.count("PUT", "") == 0
    assert {r.state for r in store.results()} == {RecordState.ACKNOWLEDGED}
    assert {r.server_version for r in store.results()} == {1}
    await held_once(result_ids)


async def test_the_engine_puts_each_result_when_no_batch_is_offered(world: tuple) -> None:
    task, recording, store, engine = world
    recording.offer = 0  # an older server
    await engine.sync_once()
    result_ids = record_all(store, task)
    report = await engine.sync_once()
    assert report.results_acknowledged == 5
    assert recording.count("POST", "/results") == 0
    assert recording.count("PUT", "") == 5
    await held_once(result_ids)


async def test_a_batch_refused_as_a_whole_goes_by_put(world: tuple) -> None:
    task, recording, store, engine = world
    await engine.sync_once()
    result_ids = record_all(store, task)
    recording.refuse_batches = True
    report = await engine.sync_once()
    assert report.results_acknowledged == 5
    assert recording.count("POST", "/results") == 1
    assert recording.count("PUT", "") == 5
    await held_once(result_ids)


async def test_a_lost_batch_answer_is_retried_exactly_once(world: tuple) -> None:
    task, recording, store, engine = world
    await engine.sync_once()
    result_ids = record_all(store, task)
    recording.lose_answers = 2  # the batch lands twice without an answer, then a third time
    report = await engine.sync_once()
    assert report.results_acknowledged == 5
    assert recording.count("POST", "/results") == 3
    await held_once(result_ids)


async def test_outcomes_of_a_batch_are_kept_per_result(world: tuple, tmp_path: Path) -> None:
    """In one batch: one result stored, one kept as a conflict (another device of the
    team already holds the item), one refused (an unknown category): each is kept in
    the store as its own PUT's answer would be, and the batch is one request."""
    task, recording, store, engine = world
    await engine.sync_once()
    first = store.record_result(task.task_id, "B-1", answers={"q1": True}, category="1")
    assert (await engine.sync_once()).results_acknowledged == 1

    other = Store(tmp_path / "second-device")
    transport = HttpTransport("http://testserver", http=recording)
    assert (
        await login(other, transport, username=task.users["S1"], password=PASSWORD, device_id="d2")
    ).ok
    second_engine = SyncEngine(other, transport, retry=RetryPolicy(attempts=2, base_delay=0.01))
    await second_engine.sync_once()
    clash = other.record_result(task.task_id, "B-1", answers={"q1": False}, category="1")
    wrong = other.record_result(task.task_id, "B-2", answers={"q1": True}, category="无此类别")
    fine = other.record_result(task.task_id, "B-3", answers={"q1": True}, category="1")
    before = recording.count("POST", "/results")
    report = await second_engine.sync_once()
    assert recording.count("POST", "/results") == before + 1
    assert report.results_acknowledged == 1
    states = {r.result_id: r for r in other.results()}
    assert states[clash].state is RecordState.CONFLICT
    assert states[clash].problem is not None and states[clash].problem.code == "sync.conflict"
    assert states[wrong].state is RecordState.REFUSED
    assert states[wrong].problem is not None and states[wrong].problem.code == "categories.unknown"
    assert (states[fine].state, states[fine].server_version) == (RecordState.ACKNOWLEDGED, 1)
    assert await ResultVersion.count().where(ResultVersion.result_uuid == wrong) == 0
    assert first in {r.result_id for r in store.results()}
    other.close()
