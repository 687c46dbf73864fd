"""One stuck photo never holds the rest of a pass: the real engine against a real server.

A request of the device (a raw socket, as a connection that died after a
Wi-Fi/4G switch) sent part of photo A and went quiet. The next pass of the
same device gets its other photo, every result and the submission of the
other task through; photo A waits, with its reason stored and shown, and goes
on a later pass once the server's idle timeout has ended the dead request.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from mobile.sync import HttpTransport, RecordState, RetryPolicy, Store, SubmissionState, SyncEngine
from mobile.sync.session import login
from mobile.sync.store import PhotoUse
from mobile.sync.summary import device_summary, render_summary
from tests.server.factories import PASSWORD
from tests.server.field import factory, photos
from tests.support.live_field import fresh_database, holdings
from tests.support.live_server import ServerProcess

IDLE_SECONDS = 8
DEVICE = "tablet-stuck"
API = "/api/v1"


@pytest.fixture(scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, object]]:
    from tests.conftest import UNUSABLE_REASON

    if UNUSABLE_REASON:
        pytest.skip(UNUSABLE_REASON)
    await fresh_database()
    work = tmp_path_factory.mktemp("stalled-live")
    first = await factory.field_task(team={"ST1": "SCJG"}, items={"ST-01": "SCJG", "ST-02": "SCJG"})
    second = await factory.field_task(team={"ST1": "SCJG"}, items={"ST-03": "SCJG"})
    server = ServerProcess(
        env={
            "SUICHA_DATA_DIR": str(work / "server-data"),
            "SUICHA_ATTACHMENT_DIR": str(work / "attachments"),
            "SUICHA_ATTACHMENT_BACKEND": "filesystem",
            "SUICHA_UPLOAD_IDLE_SECONDS": str(IDLE_SECONDS),
        }
    )
    server.start()
    try:
        yield {"server": server, "first": first, "second": second, "work": work}
    finally:
        server.stop()


def stall(port: int, access: str, digest: str, data: bytes, sent: int) -> socket.socket:
    """A PATCH of the whole photo that sends `sent` bytes and then nothing (socket open)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        (
            f"PATCH {API}/field/attachments/{digest} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {access}\r\n"
            "Content-Type: application/offset+octet-stream\r\n"
            f"Upload-Offset: 0\r\nUpload-Length: {len(data)}\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        ).encode()
        + data[:sent]
    )
    return sock


async def test_a_stuck_photo_does_not_stop_the_pass(live: dict[str, object]) -> None:
    server: ServerProcess = live["server"]  # type: ignore[assignment]
    first: factory.FieldTask = live["first"]  # type: ignore[assignment]
    second: factory.FieldTask = live["second"]  # type: ignore[assignment]
    work: Path = live["work"]  # type: ignore[assignment]
    username = first.users["ST1"]

    store = Store(work / "device")
    transport = HttpTransport(server.url, timeout=20)
    assert (
        await login(store, transport, username=username, password=PASSWORD, device_id=DEVICE)
    ).ok
    engine = SyncEngine(
        store, transport, retry=RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.2)
    )
    await engine.sync_once()  # the task packages
    stuck_bytes, free_bytes = photos.png(180, seed=81), photos.jpeg(200, seed=82)
    stuck, free = store.add_photo(stuck_bytes), store.add_photo(free_bytes)
    results = [
        store.record_result(
            first.task_id,
            "ST-01",
            answers={"q1": True},
            category="1",
            photos=[PhotoUse(stuck.sha256, "q3")],
        ),
        store.record_result(
            first.task_id,
            "ST-02",
            answers={"q1": True},
            category="1",
            photos=[PhotoUse(free.sha256, "q3")],
        ),
        store.record_result(second.task_id, "ST-03", answers={"q1": False}, category="1"),
    ]
    store.request_submission(first.task_id)
    store.request_submission(second.task_id)

    # The device's earlier request for photo A died after 5000 bytes (same account and
    # device, another login session).
    async with httpx.AsyncClient(base_url=server.url + API, timeout=20) as http:
        answer = await http.post(
            "/auth/login", json={"username": username, "password": PASSWORD, "device_id": DEVICE}
        )
        access = answer.json()["access_token"]
        sock = stall(server.port, access, stuck.sha256, stuck_bytes, 5000)
        deadline = time.monotonic() + 60
        while True:
            head = await http.head(
                f"/field/attachments/{stuck.sha256}",
                headers={"Authorization": f"Bearer {access}"},
            )
            if head.status_code == 200 and head.headers["Upload-Offset"] == "5000":
                break
            assert time.monotonic() < deadline, "the server never showed the bytes sent"
            await asyncio.sleep(0.05)
    try:
        report = await engine.sync_once()
        assert report.stopped is None, report.stopped
        by_sha = {p.sha256: p for p in store.photos()}
        assert by_sha[stuck.sha256].state is RecordState.FAILED_RETRYING
        assert by_sha[stuck.sha256].problem is not None
        assert by_sha[stuck.sha256].problem.code == "device.upload_busy"
        assert by_sha[free.sha256].state is RecordState.ACKNOWLEDGED
        assert {r.state for r in store.results()} == {RecordState.ACKNOWLEDGED}, [
            r.problem for r in store.results()
        ]
        assert store.task(second.task_id).submission is SubmissionState.SUBMITTED  # type: ignore[union-attr]
        assert store.task(first.task_id).submission is SubmissionState.WAITING  # type: ignore[union-attr]
        # The reason is stored and shown to the inspector.
        shown = render_summary(device_summary(store))
        assert by_sha[stuck.sha256].problem.zh in shown

        # Once the server's idle timeout has ended the dead request, a later pass
        # resumes photo A where the server holds it and submits the first task.
        deadline = time.monotonic() + IDLE_SECONDS * 10
        while not (report := await engine.sync_once()).complete:
            assert time.monotonic() < deadline, report.failures
            await asyncio.sleep(0.5)
    finally:
        sock.close()
        await transport.aclose()
    assert store.task(first.task_id).submission is SubmissionState.SUBMITTED  # type: ignore[union-attr]
    held = await holdings(results, [stuck.sha256, free.sha256], first.task_id, work / "attachments")
    assert held.photo_hashes == {stuck.sha256: stuck.sha256, free.sha256: free.sha256}
    store.close()
