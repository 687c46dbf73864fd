"""Sync hardening against a real server process on loopback (issue 7, items 17–19).

- A PATCH that sends part of a photo and then goes quiet (a raw socket, as
  after a Wi-Fi/4G switch) must not hold the device: a resumed PATCH and a
  PATCH from 0 are answered at once, the idle timeout ends the dead request
  keeping its bytes, and the device then completes the photo.
- A partial upload is bound to the device that started it: another account
  can neither append to it nor spoil it.
- A result id belongs to its first task, item and device for good, also when
  it was stored only as the losing side of a conflict.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from server.field.tables import ItemResult, ResultConflict, ResultVersion
from tests.server.factories import PASSWORD
from tests.server.field import factory, photos
from tests.server.field.calls import new_id, result_body
from tests.support.live_field import fresh_database
from tests.support.live_server import ServerProcess

IDLE_SECONDS = 15
"""The server's body idle timeout here: long enough that 'answered at once' is not
an answer after the dead request ended, short enough for a test."""
ANSWER_WITHIN = 10.0
"""A request that gets no answer within this is the defect (held behind the dead one)."""
API = "/api/v1"


@dataclass
class Live:
    server: ServerProcess
    task: factory.FieldTask
    other: factory.FieldTask


@pytest.fixture(scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Live]:
    from tests.conftest import UNUSABLE_REASON

    if UNUSABLE_REASON:
        pytest.skip(UNUSABLE_REASON)
    await fresh_database()
    work: Path = tmp_path_factory.mktemp("live-hardening")
    task = await factory.field_task(
        team={"LA": "SCJG", "LB": "SCJG", "LH": "HBJ"}, items={"LS-01": "SCJG", "LH-01": "HBJ"}
    )
    other = await factory.field_task(team={"LA": "SCJG"}, items={"LS-02": "SCJG"})
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
        yield Live(server, task, other)
    finally:
        server.stop()


async def token(live: Live, username: str, device: str) -> str:
    async with httpx.AsyncClient(base_url=live.server.url + API, timeout=30) as http:
        answer = await http.post(
            "/auth/login", json={"username": username, "password": PASSWORD, "device_id": device}
        )
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def client(live: Live, access: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=live.server.url + API,
        headers={"Authorization": f"Bearer {access}"},
        timeout=ANSWER_WITHIN,
    )


async def patch(
    http: httpx.AsyncClient, digest: str, body: bytes, offset: int, length: int
) -> httpx.Response:
    return await http.patch(
        f"/field/attachments/{digest}",
        content=body,
        headers={
            "Upload-Offset": str(offset),
            "Upload-Length": str(length),
            "Content-Type": "application/offset+octet-stream",
        },
    )


def start_stalled_patch(
    port: int, access: str, digest: str, data: bytes, sent: int
) -> socket.socket:
    """A PATCH announcing the whole photo that sends only `sent` bytes, then goes quiet
    (the socket stays open: the server sees no close, as with a dead mobile link)."""
    sock = socket.create_connection(("127.0.0.1", port))
    head = (
        f"PATCH {API}/field/attachments/{digest} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {access}\r\n"
        "Content-Type: application/offset+octet-stream\r\n"
        "Upload-Offset: 0\r\n"
        f"Upload-Length: {len(data)}\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    )
    sock.sendall(head.encode() + data[:sent])
    return sock


async def held_offset(http: httpx.AsyncClient, digest: str) -> int | None:
    answer = await http.head(f"/field/attachments/{digest}")
    return int(answer.headers["Upload-Offset"]) if answer.status_code == 200 else None


async def wait_for_offset(http: httpx.AsyncClient, digest: str, offset: int) -> None:
    deadline = time.monotonic() + 60
    while await held_offset(http, digest) != offset:
        assert time.monotonic() < deadline, "the server never showed the bytes sent"
        await asyncio.sleep(0.05)


def read_answer(sock: socket.socket, limit: float) -> bytes:
    """What the server finally answers on the dead request (it must answer, not hang)."""
    sock.settimeout(limit)
    received = b""
    try:
        while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
            piece = sock.recv(65536)
            if not piece:
                break
            received += piece
    except TimeoutError:
        pass
    return received


async def test_a_stalled_patch_does_not_hold_the_device(live: Live) -> None:
    access = await token(live, live.task.users["LA"], "tablet-a")
    data = photos.png(200, seed=71)
    digest = photos.sha(data)
    sock = start_stalled_patch(live.server.port, access, digest, data, 4000)
    try:
        async with client(live, access) as http:
            await wait_for_offset(http, digest, 4000)
            # The same device resumes at the offset HEAD reports, and from 0: both are
            # answered at once, while the dead request still holds the upload.
            resumed = await patch(http, digest, data[4000:], 4000, len(data))
            assert resumed.status_code == 409, resumed.text
            assert resumed.json()["code"] == "attachment.offset_mismatch"
            assert resumed.json()["upload_offset"] == 4000
            assert resumed.json()["busy"] is True
            restarted = await patch(http, digest, data, 0, len(data))
            assert restarted.status_code == 409, restarted.text
            assert restarted.json()["code"] == "attachment.offset_mismatch"

            # The idle timeout ends the dead request with a clear answer...
            answer = await asyncio.to_thread(read_answer, sock, IDLE_SECONDS * 4)
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
            error = json.loads(answer.split(b"\r\n\r\n", 1)[1])
            assert error["code"] == "attachment.idle_timeout"
            assert error["upload_offset"] == 4000
            assert error["detail"]["zh"] and error["detail"]["en"]
            # ...keeping the bytes that arrived, and the device completes the photo.
            assert await held_offset(http, digest) == 4000
            done = await patch(http, digest, data[4000:], 4000, len(data))
            assert done.status_code == 200, done.text
            assert done.headers["Upload-Complete"] == "?1"
            reviewer = await http.get(f"/field/photos/{digest}")
            assert reviewer.status_code == 200
            assert reviewer.content == data
    finally:
        sock.close()


async def test_another_account_cannot_spoil_a_partial_upload(live: Live) -> None:
    owner_token = await token(live, live.task.users["LA"], "tablet-a")
    intruder_token = await token(live, live.task.users["LH"], "tablet-h")
    data = photos.jpeg(300, seed=72)
    digest = photos.sha(data)
    async with client(live, owner_token) as owner, client(live, intruder_token) as intruder:
        started = await patch(owner, digest, data[:3000], 0, len(data))
        assert started.headers["Upload-Offset"] == "3000"
        # Another account sees nothing of the owner's upload and cannot append to it.
        assert (await intruder.head(f"/field/attachments/{digest}")).status_code == 404
        foreign = await patch(intruder, digest, b"\0" * 10, 3000, len(data))
        assert foreign.status_code == 409, foreign.text
        assert foreign.json()["code"] == "attachment.offset_mismatch"
        assert foreign.json()["upload_offset"] == 0
        # Bytes of its own under that name make its own upload, and only it is refused.
        spoiled = await patch(
            intruder, digest, b"\xff\xd8\xff" + b"\0" * (len(data) - 3), 0, len(data)
        )
        assert spoiled.status_code == 422, spoiled.text
        assert spoiled.json()["code"] == "attachment.hash_mismatch"
        # The owner's upload is untouched and completes with the right bytes.
        assert await held_offset(owner, digest) == 3000
        done = await patch(owner, digest, data[3000:], 3000, len(data))
        assert (done.status_code, done.headers["Upload-Complete"]) == (200, "?1")
        assert (await owner.get(f"/field/photos/{digest}")).content == data
        # Once complete, the photo is content-addressed: anyone's HEAD says so.
        assert (await intruder.head(f"/field/attachments/{digest}")).headers[
            "Upload-Complete"
        ] == "?1"


async def rows() -> tuple[int, int, int]:
    return (
        await ItemResult.count(),
        await ResultVersion.count(),
        await ResultConflict.count(),
    )


async def test_a_result_id_is_never_reused(live: Live) -> None:
    task = live.task.task_id
    first = await token(live, live.task.users["LA"], "tablet-a")
    second = await token(live, live.task.users["LB"], "tablet-b")
    other_department = await token(live, live.task.users["LH"], "tablet-h")
    async with (
        client(live, first) as a,
        client(live, second) as b,
        client(live, other_department) as h,
    ):
        created = await a.put(f"/field/tasks/{task}/results/{new_id()}", json=result_body("LS-01"))
        assert created.status_code == 201, created.text
        # B's result id X is stored only as the losing side of a conflict.
        x = new_id()
        lost = await b.put(f"/field/tasks/{task}/results/{x}", json=result_body("LS-01"))
        assert lost.status_code == 409, lost.text
        assert lost.json()["reason"] == "second_result"
        before = await rows()
        # Another department's inspector PUTs X for their own item: refused, nothing changes.
        reused = await h.put(f"/field/tasks/{task}/results/{x}", json=result_body("LH-01"))
        assert reused.status_code == 422, reused.text
        assert reused.json()["code"] == "field.result_mismatch"
        assert reused.json()["detail"]["zh"] and reused.json()["detail"]["en"]
        # Nor may A use X, for the same item (another device) or on another task.
        same_item = await a.put(f"/field/tasks/{task}/results/{x}", json=result_body("LS-01"))
        assert same_item.json()["code"] == "field.result_mismatch"
        moved = await a.put(
            f"/field/tasks/{live.other.task_id}/results/{x}", json=result_body("LS-02")
        )
        assert moved.json()["code"] == "field.result_mismatch"
        assert await rows() == before
        # B itself goes on editing X: it stays B's, and is kept for review again.
        edited = await b.put(
            f"/field/tasks/{task}/results/{x}",
            json=result_body("LS-01", base_version=1, findings="补充"),
        )
        assert edited.status_code == 409, edited.text
        assert edited.json()["code"] == "sync.conflict"


async def test_a_cut_connection_is_no_server_error(live: Live) -> None:
    access = await token(live, live.task.users["LA"], "tablet-a")
    data = photos.png(150, seed=73)
    digest = photos.sha(data)
    # A PATCH and a PUT whose connections close mid-body (a mobile link lost).
    sock = start_stalled_patch(live.server.port, access, digest, data, 2500)
    async with client(live, access) as http:
        await wait_for_offset(http, digest, 2500)
        sock.close()
        put = socket.create_connection(("127.0.0.1", live.server.port))
        put.sendall(
            (
                f"PUT {API}/field/tasks/{live.task.task_id}/results/{new_id()} HTTP/1.1\r\n"
                f"Host: x\r\nAuthorization: Bearer {access}\r\n"
                "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                '{"item": "LS-01", "answers": {'
            ).encode()
        )
        put.close()
        # The bytes that arrived are kept; the device resumes there.
        deadline = time.monotonic() + 30
        while "client disconnected" not in live.server.log_tail(20000):
            assert time.monotonic() < deadline, live.server.log_tail()
            await asyncio.sleep(0.05)
        assert await held_offset(http, digest) == 2500
        done = await patch(http, digest, data[2500:], 2500, len(data))
        assert done.headers["Upload-Complete"] == "?1"
    log = live.server.log_tail(200_000)
    assert "unhandled error" not in log and "Traceback" not in log, log[-3000:]
