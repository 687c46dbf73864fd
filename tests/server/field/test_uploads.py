"""Resumable, content-addressed photo uploads over HTTP, on both storage backends."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from server.settings import get_settings
from tests.server import factories
from tests.server.field import factory, photos
from tests.server.field.calls import API, head, login, patch_bytes, snapshot, upload
from tests.server.field.conftest import s3_client


def visible_objects() -> list[str]:
    """Objects a reader of the store sees (S3 bucket or published files)."""
    settings = get_settings().attachments
    if settings.backend == "s3":
        listing = s3_client(settings.s3_endpoint or "").list_objects_v2(Bucket=settings.s3_bucket)
        return [entry["Key"] for entry in listing.get("Contents", [])]
    objects = settings.directory / "objects"
    return sorted(p.name for p in objects.rglob("*") if p.is_file()) if objects.exists() else []


async def state() -> dict[str, Any]:
    return {**await snapshot(), "objects": visible_objects()}


@pytest.fixture
async def inspector(db: None, backend: str, client: httpx.AsyncClient) -> dict[str, str]:
    task = await factory.field_task(team={"S1": "SCJG"}, items={"SC-01": "SCJG"})
    return await login(client, task.users["S1"])


async def test_resumable_upload_in_chunks_with_head_between(
    client: httpx.AsyncClient, inspector: dict[str, str], backend: str
) -> None:
    data = photos.png(200)
    digest = photos.sha(data)
    missing = await head(client, inspector, digest)
    assert missing.status_code == 404

    cuts = [0, 1000, len(data) // 2, len(data) - 10, len(data)]
    for start, end in itertools.pairwise(cuts):
        probe = await head(client, inspector, digest)
        if start:
            assert probe.status_code == 200
            assert probe.headers["Upload-Offset"] == str(start)
            assert probe.headers["Upload-Length"] == str(len(data))
            assert probe.headers["Upload-Complete"] == "?0"
            assert visible_objects() == []  # partial bytes are never an object
        sent = await patch_bytes(client, inspector, digest, data[start:end], start, len(data))
        assert sent.status_code == 200, sent.text
        assert sent.headers["Upload-Offset"] == str(end)

    assert sent.headers["Upload-Complete"] == "?1"
    done = await head(client, inspector, digest)
    assert (done.headers["Upload-Offset"], done.headers["Upload-Complete"]) == (
        str(len(data)),
        "?1",
    )
    assert len(visible_objects()) == 1
    # Sending the photo again (a second result uses it, or a lost answer) is harmless.
    again = await upload(client, inspector, data, digest)
    assert (again.status_code, again.headers["Upload-Complete"]) == (200, "?1")
    reviewer = await factories.login_as(client, "back_office", "SCJG")
    fetched = await client.get(f"{API}/field/photos/{digest}", headers=reviewer)
    assert fetched.status_code == 200
    assert fetched.content == data
    assert fetched.headers["content-type"].startswith("image/png")


async def test_a_body_of_several_megabytes_in_one_patch(
    client: httpx.AsyncClient, inspector: dict[str, str], backend: str
) -> None:
    data = photos.png(1900)  # ~10.8 MB: above the framework's default body limit
    assert len(data) > 10_000_000
    digest = photos.sha(data)
    sent = await upload(client, inspector, data, digest)
    assert sent.status_code == 200, sent.text
    assert sent.headers["Upload-Complete"] == "?1"


async def test_bad_hash_keeps_nothing(
    client: httpx.AsyncClient, inspector: dict[str, str], backend: str
) -> None:
    data = photos.png()
    wrong = photos.sha(data + b"x")
    before = await state()
    response = await upload(client, inspector, data, wrong)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "attachment.hash_mismatch"
    assert await state() == before
    assert (await head(client, inspector, wrong)).status_code == 404


async def test_oversize_photo(
    client: httpx.AsyncClient,
    inspector: dict[str, str],
    backend: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUICHA_MAX_PHOTO_BYTES", "5000")
    get_settings.cache_clear()
    data = photos.png(120)
    assert len(data) > 5000
    digest = photos.sha(data)
    before = await state()
    declared = await upload(client, inspector, data, digest)
    assert declared.status_code == 413
    assert declared.json()["code"] == "attachment.too_large"
    # Declaring a small length and then sending more is caught as the bytes arrive.
    sneaky = await patch_bytes(client, inspector, digest, data, 0, 4000)
    assert sneaky.status_code == 413
    assert sneaky.json()["code"] == "attachment.too_large"
    assert await state() == before


async def test_wrong_media_type(
    client: httpx.AsyncClient, inspector: dict[str, str], backend: str
) -> None:
    before = await state()
    gif = photos.gif()
    response = await upload(client, inspector, gif, photos.sha(gif))
    assert response.status_code == 415
    assert response.json()["code"] == "attachment.media_type"
    # PNG magic on bytes that are no image: caught by the check at completion.
    fake = photos.png()[:8] + b"\x00" * 500
    response = await upload(client, inspector, fake, photos.sha(fake))
    assert response.status_code == 415
    assert response.json()["code"] == "attachment.media_type"
    assert await state() == before


async def test_wrong_offset(
    client: httpx.AsyncClient, inspector: dict[str, str], backend: str
) -> None:
    data = photos.jpeg()
    digest = photos.sha(data)
    assert (
        await patch_bytes(client, inspector, digest, data[:300], 0, len(data))
    ).status_code == 200
    before = await state()
    ahead = await patch_bytes(client, inspector, digest, data[500:], 500, len(data))
    assert ahead.status_code == 409
    assert ahead.json()["code"] == "attachment.offset_mismatch"
    assert ahead.json()["upload_offset"] == 300
    behind = await patch_bytes(client, inspector, digest, data[100:], 100, len(data))
    assert behind.status_code == 409
    assert await state() == before
    resumed = await patch_bytes(client, inspector, digest, data[300:], 300, len(data))
    assert resumed.headers["Upload-Complete"] == "?1"


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({"Content-Type": "image/png"}, 415, "attachment.content_type"),
        ({"Upload-Offset": "-1"}, 400, "attachment.bad_header"),
        ({"Upload-Length": "lots"}, 400, "attachment.bad_header"),
        ({"Upload-Length": "0"}, 400, "attachment.bad_header"),
    ],
)
async def test_malformed_upload_requests(
    client: httpx.AsyncClient,
    inspector: dict[str, str],
    backend: str,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    data = photos.jpeg()
    digest = photos.sha(data)
    before = await state()
    sent = await client.patch(
        f"{API}/field/attachments/{digest}",
        content=data,
        headers={
            **inspector,
            "Upload-Offset": "0",
            "Upload-Length": str(len(data)),
            "Content-Type": "application/offset+octet-stream",
            **headers,
        },
    )
    assert sent.status_code == status, sent.text
    assert sent.json()["code"] == code
    bad_name = await upload(client, inspector, data, "not-a-hash")
    assert bad_name.status_code == 400
    assert bad_name.json()["code"] == "attachment.bad_sha256"
    assert await state() == before


async def test_only_inspectors_upload(client: httpx.AsyncClient, backend: str, db: None) -> None:
    lead = await factories.login_as(client, "team_lead", "SCJG")
    data = photos.jpeg()
    before = await state()
    response = await upload(client, lead, data, photos.sha(data))
    assert response.status_code == 403
    assert response.json()["code"] == "auth.forbidden_role"
    assert await state() == before
