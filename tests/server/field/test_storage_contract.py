"""The attachment storage contract, the same for every backend (filesystem, S3 on loopback)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from server.field.media import inspect_photo
from server.field.storage import UploadState, attachment_storage
from server.field.storage.s3 import S3Storage
from server.settings import get_settings
from shared.errors import SuichaError
from tests.server.field import photos
from tests.server.field.conftest import s3_client


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
    assert await store.state(digest) is None

    state = await store.append(digest, 0, len(data), chunks(data[:100], data[100:third]))
    assert state == UploadState(offset=third, length=len(data), complete=False)
    assert await store.state(digest) == state
    assert not await store.exists(digest)
    assert await visible_objects(backend) == []  # a partial upload is not an object

    state = await store.append(digest, third, len(data), chunks(data[third:]))
    assert state.offset == len(data)
    assert await visible_objects(backend) == []  # nor a full one before it is checked
    assert await store.complete(digest, inspect_photo) == "image/png"
    assert await store.exists(digest)
    assert await store.state(digest) == UploadState(len(data), len(data), complete=True)
    assert await store.read(digest) == data
    assert len(await visible_objects(backend)) == 1
    # Completing or appending again is harmless (a retry).
    assert await store.complete(digest, inspect_photo) == "image/png"
    again = await store.append(digest, 0, len(data), chunks(data))
    assert again.complete


async def test_wrong_offset_is_refused_and_changes_nothing(backend: str) -> None:
    store = attachment_storage()
    data = photos.jpeg()
    digest = photos.sha(data)
    await store.append(digest, 0, len(data), chunks(data[:50]))
    with pytest.raises(SuichaError) as refusal:
        await store.append(digest, 40, len(data), chunks(data[40:80]))
    assert refusal.value.code == "attachment.offset_mismatch"
    assert refusal.value.extra["upload_offset"] == 50
    assert await store.state(digest) == UploadState(50, len(data), complete=False)


async def test_more_bytes_than_declared_are_cut_back(backend: str) -> None:
    store = attachment_storage()
    data = photos.jpeg()
    digest = photos.sha(data)
    await store.append(digest, 0, len(data), chunks(data[:50]))
    with pytest.raises(SuichaError) as refusal:
        await store.append(digest, 50, len(data), chunks(data[50:], b"extra bytes"))
    assert refusal.value.code == "attachment.too_large"
    assert await store.state(digest) == UploadState(50, len(data), complete=False)


async def test_changed_length_is_refused(backend: str) -> None:
    store = attachment_storage()
    data = photos.jpeg()
    digest = photos.sha(data)
    await store.append(digest, 0, len(data), chunks(data[:50]))
    with pytest.raises(SuichaError) as refusal:
        await store.append(digest, 50, len(data) + 1, chunks(data[50:]))
    assert refusal.value.code == "attachment.length_mismatch"
    assert await store.state(digest) == UploadState(50, len(data), complete=False)


async def test_hash_mismatch_discards_everything(backend: str) -> None:
    store = attachment_storage()
    data = photos.png()
    claimed = photos.sha(data + b"!")
    await store.append(claimed, 0, len(data), chunks(data))
    with pytest.raises(SuichaError) as refusal:
        await store.complete(claimed, inspect_photo)
    assert refusal.value.code == "attachment.hash_mismatch"
    assert await store.state(claimed) is None
    assert await visible_objects(backend) == []


async def test_wrong_media_type_discards_everything(backend: str) -> None:
    store = attachment_storage()
    data = photos.gif()
    digest = photos.sha(data)
    await store.append(digest, 0, len(data), chunks(data))
    with pytest.raises(SuichaError) as refusal:
        await store.complete(digest, inspect_photo)
    assert refusal.value.code == "attachment.media_type"
    assert await store.state(digest) is None
    assert await visible_objects(backend) == []


async def test_a_cut_connection_keeps_the_bytes_that_arrived(backend: str) -> None:
    store = attachment_storage()
    data = photos.png()
    digest = photos.sha(data)

    async def cut() -> AsyncIterator[bytes]:
        yield data[:700]
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await store.append(digest, 0, len(data), cut())
    assert await store.state(digest) == UploadState(700, len(data), complete=False)
    await store.append(digest, 700, len(data), chunks(data[700:]))
    assert await store.complete(digest, inspect_photo) == "image/png"
    assert await store.read(digest) == data


async def test_discard_forgets_a_partial_upload(backend: str) -> None:
    store = attachment_storage()
    data = photos.jpeg()
    digest = photos.sha(data)
    await store.append(digest, 0, len(data), chunks(data[:10]))
    await store.discard(digest)
    assert await store.state(digest) is None


def test_the_s3_backend_is_chosen_by_setting(backend: str) -> None:
    assert isinstance(attachment_storage(), S3Storage) == (backend == "s3")
