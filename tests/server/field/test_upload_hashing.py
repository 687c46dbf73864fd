"""Photos are hashed while they stream in: the hash of the bytes held is carried from
one PATCH of an upload to the next, so completion does not read the photo again to
hash it; after a restart (or when another process wrote the last bytes) it is
computed again from the partial file, and a partial file changed behind the kept
hash is never trusted. Each answered offset is fsynced; the last PATCH's bytes are
fsynced once, with the published photo."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.field.storage import base, build_storage
from server.field.storage.base import owner_key
from server.field.storage.filesystem import FilesystemStorage
from server.settings import get_settings
from tests.server.field import factory, photos
from tests.server.field.calls import API, login, patch_bytes


@pytest.fixture
async def inspector(db: None, filesystem_store: Path, client: httpx.AsyncClient) -> dict[str, Any]:
    task = await factory.field_task(team={"S1": "SCJG"}, items={"SC-01": "SCJG"})
    headers = await login(client, task.users["S1"])
    me = (await client.get(f"{API}/auth/me", headers=headers)).json()
    return {"headers": headers, "owner": owner_key(me["id"], "device-1")}


@pytest.fixture
def hashing(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Records every re-hash of a partial file and the digest each completion used."""
    seen: dict[str, list[Any]] = {"rehashed": [], "verified_with": []}
    rehash, verify = base._hash_prefix, base._verify

    def counting_rehash(path: Path, length: int) -> Any:
        seen["rehashed"].append(length)
        return rehash(path, length)

    def recording_verify(path: Path, sha256: str, inspect: Any, digest: str | None) -> str:
        seen["verified_with"].append(digest)
        return verify(path, sha256, inspect, digest)

    monkeypatch.setattr(base, "_hash_prefix", counting_rehash)
    monkeypatch.setattr(base, "_verify", recording_verify)
    return seen


def storage() -> base.SpooledStorage:
    return build_storage(get_settings().attachments)  # type: ignore[return-value]


async def test_completion_uses_the_hash_made_while_streaming(
    client: httpx.AsyncClient, inspector: dict[str, Any], hashing: dict[str, list[Any]]
) -> None:
    data = photos.png(300)
    digest = photos.sha(data)
    cuts = [0, len(data) // 3, 2 * len(data) // 3, len(data)]
    for start, end in itertools.pairwise(cuts):
        reply = await patch_bytes(
            client, inspector["headers"], digest, data[start:end], start, len(data)
        )
        assert reply.status_code == 200, reply.text
    assert reply.headers["Upload-Complete"] == "?1"
    assert hashing["rehashed"] == []  # nothing read back to hash
    assert hashing["verified_with"] == [digest]
    assert storage().local_path(digest).read_bytes() == data  # type: ignore[union-attr]


async def test_after_a_restart_the_hash_is_computed_from_the_partial_file(
    client: httpx.AsyncClient, inspector: dict[str, Any], hashing: dict[str, list[Any]]
) -> None:
    data = photos.png(300)
    digest = photos.sha(data)
    half = len(data) // 2
    assert (
        await patch_bytes(client, inspector["headers"], digest, data[:half], 0, len(data))
    ).status_code == 200
    storage()._hashes.clear()  # what a restarted server holds: no running hash
    done = await patch_bytes(client, inspector["headers"], digest, data[half:], half, len(data))
    assert done.headers["Upload-Complete"] == "?1", done.text
    assert hashing["rehashed"] == [half]
    assert hashing["verified_with"] == [digest]


async def test_bytes_written_by_another_process_are_hashed_from_the_file(
    client: httpx.AsyncClient, inspector: dict[str, Any], hashing: dict[str, list[Any]]
) -> None:
    """Three PATCHes of one upload landing in two workers: the one that did not write the
    middle bytes does not use its (older) running hash."""
    data = photos.png(300)
    digest = photos.sha(data)
    a, b = len(data) // 3, 2 * len(data) // 3
    assert (
        await patch_bytes(client, inspector["headers"], digest, data[:a], 0, len(data))
    ).status_code == 200
    other = FilesystemStorage(get_settings().attachments.directory)  # another worker

    async def middle() -> AsyncIterator[bytes]:
        yield data[a:b]

    assert (await other.append(digest, inspector["owner"], a, len(data), middle())).offset == b
    done = await patch_bytes(client, inspector["headers"], digest, data[b:], b, len(data))
    assert done.headers["Upload-Complete"] == "?1", done.text
    # The other worker hashed the first third from the file, this one the first two.
    assert hashing["rehashed"] == [a, b]


async def test_a_partial_file_changed_behind_the_kept_hash_is_not_trusted(
    client: httpx.AsyncClient, inspector: dict[str, Any], hashing: dict[str, list[Any]]
) -> None:
    data = photos.png(300)
    digest = photos.sha(data)
    half = len(data) // 2
    assert (
        await patch_bytes(client, inspector["headers"], digest, data[:half], 0, len(data))
    ).status_code == 200
    part = storage()._part(digest, inspector["owner"])
    spoiled = bytearray(part.read_bytes())
    spoiled[100] ^= 0xFF  # a byte spoiled on disk; the size is unchanged
    part.write_bytes(bytes(spoiled))
    refused = await patch_bytes(client, inspector["headers"], digest, data[half:], half, len(data))
    assert refused.status_code == 422
    assert refused.json()["code"] == "attachment.hash_mismatch"
    assert storage().local_path(digest).exists() is False  # type: ignore[union-attr]


async def test_one_fsync_for_a_photo_sent_in_one_patch(
    client: httpx.AsyncClient, inspector: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real = os.fsync

    def counting(fd: int) -> None:
        synced.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    data = photos.png(300)
    digest = photos.sha(data)
    half = len(data) // 2
    # Two PATCHes: the first one's answered offset is fsynced, then the photo once.
    assert (
        await patch_bytes(client, inspector["headers"], digest, data[:half], 0, len(data))
    ).status_code == 200
    assert len(synced) == 1 and synced[0].endswith(".part")
    done = await patch_bytes(client, inspector["headers"], digest, data[half:], half, len(data))
    assert done.headers["Upload-Complete"] == "?1"
    assert len(_files(synced[1:])) == 1  # the whole photo, once, before it is published
    # One PATCH with the whole photo: one fsync of its bytes (plus its directory's).
    synced.clear()
    other = photos.png(310, seed=7)
    whole = await patch_bytes(client, inspector["headers"], photos.sha(other), other, 0, len(other))
    assert whole.headers["Upload-Complete"] == "?1"
    assert len(_files(synced)) == 1


def _files(paths: list[str]) -> list[str]:
    """The fsynced paths that are files (a published photo's directory is fsynced too)."""
    return [path for path in paths if not Path(path).is_dir()]
