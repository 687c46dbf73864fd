"""The attachment storage contract, the same for every backend (filesystem, S3 on loopback)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator

import pytest

from server.field.media import inspect_photo
from server.field.storage import UploadState, attachment_storage
from server.field.storage.base import owner_key
from server.field.storage.s3 import S3Storage
from server.settings import get_settings
from shared.errors import SuichaError
from tests.server.field import photos
from tests.server.field.conftest import s3_client

OWNER = owner_key(1, "device-1")


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def visible_objects(backend: str) -> list[str]:
    """What a reader of the store (not the spool) can see."""
    settings = get_settings().attachments
    if backend == "s3":
        answer = s3_client(settings.s3_endpoint or "").list_objects_v2(Bucket=settings.s3_bucket)
        return [entry["Key"] for entry in answer.get("Contents", [])]
    objects = settings.directory / "objects"
    return sorted(p.name for p in objects.rglob("*") if p.is_file()) if objects.exists() else []


async def test_resumable_append_then_complete(backend: str) -> None:
    store = attachment_storage()
    data = photos.png()
    digest = photos.sha(data)
    third = len(data) // 3
    assert await store.state(digest, OWNER) is None

    state = await store.append(digest, OWNER, 0, len(data), chunks(data[:100], data[100:third]))
    assert state == UploadState(offset=third, length=len(data), complete=False)
    assert await store.state(digest, OWNER) == state
    assert not await store.exists(digest)
    assert await visible_objects(backend) == []  # a partial upload is not an object

    state = await store.append(digest, OWNER, third, len(data), chunks(data[third:]))
    assert state.offset == len(data)
    assert await visible_objects(backend) == []  # nor a full one before it is checked
    assert await store.complete(digest, OWNER, inspect_photo) == "image/png"
    assert await store.exists(digest)
    assert await store.state(digest, OWNER) == UploadState(len(data), len(data), complete=True)
    assert await store.read(digest) == data
    assert len(await visible_objects(backend)) == 1
    # Completing or appending again is harmless (a retry).
    assert await store.complete(digest, OWNER, inspect_photo) == "image/png"
    again = await store.append(digest, OWNER, 0, len(data), chunks(data))
    assert again.complete


async def test_wrong_offset_is_refused_and_changes_nothing(backend: str) -> None:
    store = attachment_storage()
    data = photos.jpeg()
    digest = photos.sha(data)
    await store.append(digest, OWNER, 0, len(data), chunks(data[:50]))
    with pytest.raises(SuichaError) as refusal:
        await store.append(digest, OWNER, 40, len(data), chunks(data[40:80]))
    assert refusal.value.code == "attachment.offset_mismatch"
    assert refusal.value.extra["upload_offset"] == 50
    assert await store.state(digest, OWNER) == UploadState(50, len(data), complete=False)


async def test_more_bytes_than_declared_are_cut_back(backend: str) -> None:
    store = attachment_storage()
    data = photos.jpeg()
    digest = photos.sha(data)
    await store.append(digest, OWNER, 0, len(data), chunks(data[:50]))
    with pytest.raises(SuichaError) as refusal:
        await store.append(digest, OWNER, 50, len(data), chunks(data[50:], b"extra bytes"))
    assert refusal.value.code == "attachment.too_large"
    assert await store.state(digest, OWNER) == UploadState(50, len(data), complete=False)


async def test_changed_length_is_refused(backend: str) -> None:
    store = attachment_storage()
    data = photos.jpeg()
    digest = photos.sha(data)
    await store.append(digest, OWNER, 0, len(data), chunks(data[:50]))
    with pytest.raises(SuichaError) as refusal:
        await store.append(digest, OWNER, 50, len(data) + 1, chunks(data[50:]))
    assert refusal.value.code == "attachment.length_mismatch"
    assert await store.state(digest, OWNER) == UploadState(50, len(data), complete=False)


async def test_hash_mismatch_discards_everything(backend: str) -> None:
    store = attachment_storage()
    data = photos.png()
    claimed = photos.sha(data + b"!")
    await store.append(claimed, OWNER, 0, len(data), chunks(data))
    with pytest.raises(SuichaError) as refusal:
        await store.complete(claimed, OWNER, inspect_photo)
    assert refusal.value.code == "attachment.hash_mismatch"
    assert await store.state(claimed, OWNER) is None
    assert await visible_objects(backend) == []


async def test_wrong_media_type_discards_everything(backend: str) -> None:
    store = attachment_storage()
    data = photos.gif()
    digest = photos.sha(data)
    await store.append(digest, OWNER, 0, len(data), chunks(data))
    with pytest.raises(SuichaError) as refusal:
        await store.complete(digest, OWNER, inspect_photo)
    assert refusal.value.code == "attachment.media_type"
    assert await store.state(digest, OWNER) is None
    assert await visible_objects(backend) == []


async def test_a_cut_connection_keeps_the_bytes_that_arrived(backend: str) -> None:
    store = attachment_storage()
    data = photos.png()
    digest = photos.sha(data)

    async def cut() -> AsyncIterator[bytes]:
        yield data[:700]
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await store.append(digest, OWNER, 0, len(data), cut())
    assert await store.state(digest, OWNER) == UploadState(700, len(data), complete=False)
    await store.append(digest, OWNER, 700, len(data), chunks(data[700:]))
    assert await store.complete(digest, OWNER, inspect_photo) == "image/png"
    assert await store.read(digest) == data


async def test_discard_forgets_a_partial_upload(backend: str) -> None:
    store = attachment_storage()
    data = photos.jpeg()
    digest = photos.sha(data)
    await store.append(digest, OWNER, 0, len(data), chunks(data[:10]))
    await store.discard(digest, OWNER)
    assert await store.state(digest, OWNER) is None


def test_the_s3_backend_is_chosen_by_setting(backend: str) -> None:
    assert isinstance(attachment_storage(), S3Storage) == (backend == "s3")


OTHER = owner_key(2, "device-1")


async def test_each_device_has_its_own_partial_upload(backend: str) -> None:
    store = attachment_storage()
    data = photos.png()
    digest = photos.sha(data)
    await store.append(digest, OWNER, 0, len(data), chunks(data[:300]))
    # Another device sees nothing of it and cannot append to it: it starts its own.
    assert await store.state(digest, OTHER) is None
    with pytest.raises(SuichaError) as refusal:
        await store.append(digest, OTHER, 300, len(data), chunks(b"\0" * 10))
    assert refusal.value.extra["upload_offset"] == 0
    await store.append(digest, OTHER, 0, len(data), chunks(b"\x89PNG\r\n\x1a\n" + b"\0" * 92))
    assert await store.state(digest, OWNER) == UploadState(300, len(data), complete=False)
    assert {(p.owner, p.offset) for p in await store.partial_uploads()} == {
        (OWNER, 300),
        (OTHER, 100),
    }
    assert [p.offset for p in await store.partial_uploads(OWNER)] == [300]
    # The owner completes its photo; the other device's upload then finds it complete.
    await store.append(digest, OWNER, 300, len(data), chunks(data[300:]))
    assert await store.complete(digest, OWNER, inspect_photo) == "image/png"
    assert await store.state(digest, OTHER) == UploadState(len(data), len(data), complete=True)
    assert await store.read(digest) == data


async def test_a_second_request_on_one_upload_is_refused_at_once(backend: str) -> None:
    store = attachment_storage()
    data = photos.png()
    digest = photos.sha(data)
    started = asyncio.Event()
    release = asyncio.Event()

    async def stalled() -> AsyncIterator[bytes]:
        yield data[:400]
        started.set()
        await release.wait()

    first = asyncio.create_task(store.append(digest, OWNER, 0, len(data), stalled()))
    await started.wait()
    await asyncio.sleep(0)  # the first chunk is written
    # Neither a resume at the held offset nor a restart from 0 waits for the first.
    for offset in (400, 0):
        with pytest.raises(SuichaError) as refusal:
            await store.append(digest, OWNER, offset, len(data), chunks(data[offset:]))
        assert refusal.value.code == "attachment.offset_mismatch"
        assert refusal.value.extra["busy"] is True
    # Another device is not held up either.
    other = await store.append(digest, OTHER, 0, len(data), chunks(data[:50]))
    assert other.offset == 50
    release.set()
    assert (await first).offset == 400
    resumed = await store.append(digest, OWNER, 400, len(data), chunks(data[400:]))
    assert resumed.offset == len(data)


async def test_stale_partial_uploads_are_removed(backend: str) -> None:
    store = attachment_storage()
    old, fresh = photos.png(seed=5), photos.png(seed=6)
    await store.append(photos.sha(old), OWNER, 0, len(old), chunks(old[:100]))
    await store.append(photos.sha(fresh), OTHER, 0, len(fresh), chunks(fresh[:100]))
    aged = time.time() - 3600
    for suffix in (".part", ".length"):
        os.utime(store.spool / OWNER / f"{photos.sha(old)}{suffix}", (aged, aged))
    removed = await store.remove_stale(time.time() - 60)
    assert [(p.owner, p.sha256) for p in removed] == [(OWNER, photos.sha(old))]
    assert await store.state(photos.sha(old), OWNER) is None
    assert await store.state(photos.sha(fresh), OTHER) == UploadState(100, len(fresh), False)
    assert await store.remove_stale(time.time() - 60) == []
