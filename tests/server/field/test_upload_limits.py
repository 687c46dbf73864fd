"""Bounds on photo uploads (issue 7, item 13): the photo name's full match, 64-bit
headers, each device's quota of bytes in partial uploads, and the expiry of
partial uploads (at an upload's start and by the server's periodic sweep)."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx
import pytest

from server.audit.tables import AuditEntry
from server.field import uploads
from server.field.storage import attachment_storage
from server.field.storage.base import owner_key
from server.settings import get_settings
from shared.errors import SuichaError
from tests.server.field import factory, photos
from tests.server.field.calls import (
    API,
    head,
    login,
    new_id,
    patch_bytes,
    photo_ref,
    put_result,
    result_body,
    snapshot,
)


@pytest.fixture
async def task(db: None, filesystem_store: Path) -> factory.FieldTask:
    return await factory.field_task(team={"S1": "SCJG", "S2": "SCJG"}, items={"SC-01": "SCJG"})


def use_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def age(owner: str, digest: str, seconds: float) -> None:
    """Make a partial upload look untouched for `seconds`."""
    spool = attachment_storage().spool  # type: ignore[attr-defined]
    then = time.time() - seconds
    for suffix in (".part", ".length"):
        os.utime(spool / owner / f"{digest}{suffix}", (then, then))


async def test_a_photo_name_with_a_trailing_newline_is_refused(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    data = photos.jpeg()
    digest = photos.sha(data)
    before = await snapshot()
    for name in (f"{digest}%0a", f"{digest}%0A"):
        sent = await patch_bytes(client, headers, name, data, 0, len(data))
        assert sent.status_code == 400, sent.text
        # The app's parameter bounds may refuse the control character before the
        # upload's own check does; either way a 400 with the standard body.
        assert sent.json()["code"] in ("attachment.bad_sha256", "request.invalid")
        probe = await client.head(f"{API}/field/attachments/{name}", headers=headers)
        assert probe.status_code == 400
    with pytest.raises(SuichaError) as refusal:
        uploads.check_sha(digest + "\n")  # the upload's own check: a full match
    assert refusal.value.code == "attachment.bad_sha256"
    # Nor may a result refer to such a name.
    ref = {**photo_ref(data, digest + "\n"), "question": "q3"}
    refused = await put_result(
        client, headers, task.task_id, new_id(), result_body("SC-01", photos=[ref])
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "field.bad_photo"
    assert await snapshot() == before


@pytest.mark.parametrize("value", [str(2**63), "9" * 40, "１２", "²"])
async def test_offsets_beyond_64_bits_are_bad_headers(
    client: httpx.AsyncClient, task: factory.FieldTask, value: str
) -> None:
    headers = await login(client, task.users["S1"])
    data = photos.jpeg()
    for offset, length in ((value, str(len(data))), ("0", value)):
        sent = await client.patch(
            f"{API}/field/attachments/{photos.sha(data)}",
            content=data,
            headers={
                **headers,
                "Upload-Offset": offset.encode(),
                "Upload-Length": length.encode(),
                "Content-Type": "application/offset+octet-stream",
            },
        )
        assert sent.status_code == 400, sent.text
        assert sent.json()["code"] == "attachment.bad_header"


async def test_each_device_has_a_quota_of_partial_bytes(
    client: httpx.AsyncClient, task: factory.FieldTask, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = (photos.png(120, seed=n) for n in (31, 32, 33))
    use_settings(monkeypatch, SUICHA_DEVICE_UPLOAD_QUOTA_BYTES=str(len(first) + len(second)))
    tablet = await login(client, task.users["S1"], "tablet-1")
    for data in (first, second):
        started = await patch_bytes(client, tablet, photos.sha(data), data[:1000], 0, len(data))
        assert started.status_code == 200, started.text
    before = await snapshot()
    over = await patch_bytes(client, tablet, photos.sha(third), third[:1000], 0, len(third))
    assert over.status_code == 413, over.text
    body = over.json()
    assert body["code"] == "attachment.quota_exceeded"
    assert body["held_bytes"] == len(first) + len(second)
    assert body["detail"]["zh"] and body["detail"]["en"]
    assert await snapshot() == before
    # Resuming a photo already held is within the quota; another device has its own.
    resumed = await patch_bytes(client, tablet, photos.sha(first), first[1000:], 1000, len(first))
    assert resumed.headers["Upload-Complete"] == "?1"
    other = await login(client, task.users["S2"], "tablet-2")
    elsewhere = await patch_bytes(client, other, photos.sha(third), third[:1000], 0, len(third))
    assert elsewhere.status_code == 200
    # The completed photo no longer counts: the device may start the third now.
    now = await patch_bytes(client, tablet, photos.sha(third), third[:1000], 0, len(third))
    assert now.status_code == 200, now.text


async def test_expired_partial_uploads_are_removed_when_an_upload_starts(
    client: httpx.AsyncClient, task: factory.FieldTask, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_settings(
        monkeypatch,
        SUICHA_PARTIAL_UPLOAD_EXPIRY_SECONDS="3600",
        SUICHA_PARTIAL_UPLOAD_SWEEP_SECONDS="0",
    )
    tablet = await login(client, task.users["S1"], "tablet-1")
    stale, fresh, later = (photos.png(100, seed=n) for n in (41, 42, 43))
    for data in (stale, fresh):
        await patch_bytes(client, tablet, photos.sha(data), data[:500], 0, len(data))
    owner = await uploads_owner(task, "tablet-1")
    age(owner, photos.sha(stale), 2 * 3600)
    entries = await AuditEntry.count()
    # Any upload's start sweeps: the stale partial upload and its bytes are gone.
    await patch_bytes(client, tablet, photos.sha(later), later[:500], 0, len(later))
    assert (await head(client, tablet, photos.sha(stale))).status_code == 404
    assert (await head(client, tablet, photos.sha(fresh))).headers["Upload-Offset"] == "500"
    spool = attachment_storage().spool  # type: ignore[attr-defined]
    assert not (spool / owner / f"{photos.sha(stale)}.part").exists()
    expired = await AuditEntry.select().where(
        AuditEntry.action == "field.attachment.partial_expired"
    )
    assert [e["entity_id"] for e in expired] == [photos.sha(stale)]
    assert await AuditEntry.count() == entries + 1
    # The device starts that photo again from 0.
    again = await patch_bytes(client, tablet, photos.sha(stale), stale, 0, len(stale))
    assert again.headers["Upload-Complete"] == "?1"


async def uploads_owner(task: factory.FieldTask, device: str) -> str:
    from server.accounts import queries

    user = await queries.user_by_username(task.users["S1"])
    assert user is not None
    return owner_key(user["id"], device)


async def test_the_periodic_sweep_removes_expired_partial_uploads(
    client: httpx.AsyncClient, task: factory.FieldTask, monkeypatch: pytest.MonkeyPatch
) -> None:
    tablet = await login(client, task.users["S1"], "tablet-1")
    data = photos.png(100, seed=51)
    await patch_bytes(client, tablet, photos.sha(data), data[:500], 0, len(data))
    age(await uploads_owner(task, "tablet-1"), photos.sha(data), 2 * 3600)
    use_settings(
        monkeypatch,
        SUICHA_PARTIAL_UPLOAD_EXPIRY_SECONDS="3600",
        SUICHA_PARTIAL_UPLOAD_SWEEP_SECONDS="0.05",
    )
    # No upload comes: the server's background sweep (its lifespan) removes it.
    async with uploads.partial_upload_sweeper(None):
        deadline = time.monotonic() + 30
        while (await head(client, tablet, photos.sha(data))).status_code != 404:
            assert time.monotonic() < deadline, "the periodic sweep never removed it"
            await asyncio.sleep(0.05)
