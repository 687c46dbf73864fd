"""A submitted joint task whose SC-01 result is in conflict (a second device sent its own
result after submission) and whose visit record carries two signatures, for the review
page tests over HTTP and in the browser."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image, ImageDraw

from server.settings import get_settings
from tests.server.field import calls, photos
from tests.server.publication.flow import Completed, completed_task


@dataclass
class Conflicted:
    done: Completed
    conflict_id: int
    client_photo: str
    signatures: dict[str, bytes]
    """SHA-256 → PNG of each signature on the visit record."""


@pytest.fixture
def attachment_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private filesystem attachment store (the live server inherits the environment)."""
    directory = tmp_path / "attachments"
    monkeypatch.setenv("SUICHA_ATTACHMENT_DIR", str(directory))
    monkeypatch.setenv("SUICHA_ATTACHMENT_BACKEND", "filesystem")
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()


STROKES = {
    "representative": [
        [(0.08, 0.55), (0.16, 0.78), (0.22, 0.35), (0.3, 0.7), (0.36, 0.4)],
        [(0.42, 0.6), (0.55, 0.62), (0.5, 0.3), (0.62, 0.45), (0.7, 0.7), (0.9, 0.5)],
    ],
    "S1": [
        [(0.1, 0.4), (0.2, 0.7), (0.28, 0.3), (0.4, 0.65), (0.48, 0.35)],
        [(0.55, 0.5), (0.7, 0.75), (0.75, 0.3), (0.92, 0.55)],
    ],
}
"""Pen strokes of each test signature, normalised 0..1 with the origin bottom left."""


def signature_png(strokes: list[list[tuple[float, float]]], width: int = 800) -> bytes:
    """The PNG a signature pad would save for `strokes` (black ink on white)."""
    height = width // 2
    image = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(image)
    for stroke in strokes:
        pen.line([(x * width, (1 - y) * height) for x, y in stroke], fill="black", width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def site_photo() -> bytes:
    """A small JPEG that looks like a picture (a floor, a wall, a puddle) rather than noise."""
    image = Image.new("RGB", (640, 480), (200, 196, 188))
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 300, 640, 480), fill=(120, 110, 100))
    pen.ellipse((220, 340, 470, 430), fill=(90, 120, 160))
    pen.rectangle((60, 80, 200, 300), fill=(230, 230, 225), outline=(60, 60, 60), width=4)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _signature(data: bytes, signer: str, name: str, badge: str | None) -> dict[str, Any]:
    return {
        "signer": signer,
        "role": "inspector" if badge else "representative",
        "name": name,
        "badge": badge,
        "signed_at": "2026-11-20T10:40:00+08:00",
        "sha256": photos.sha(data),
        "size": len(data),
        "media_type": "image/png",
        "width": 800,
        "height": 400,
        "strokes": [[list(point) for point in stroke] for stroke in STROKES[badge or signer]],
    }


async def conflicted_task(client: httpx.AsyncClient) -> Conflicted:
    done = await completed_task(client)
    s1, s2 = done.headers["S1"], done.headers["S2"]
    shot = site_photo()
    uploaded = await calls.upload(client, s2, shot, photos.sha(shot))
    assert uploaded.status_code in (200, 201, 204), uploaded.text
    clash = await calls.put_result(
        client,
        s2,
        done.task.task_id,
        calls.new_id(),
        calls.result_body(
            "SC-01",
            findings="后厨地面湿滑，已当场提醒",
            category="B",
            follow_up="责令当场整改",
            answers={"q1": False, "q2": 4.5},
            photos=[calls.photo_ref(shot, photos.sha(shot), question=None, media="image/jpeg")],
        ),
    )
    assert clash.status_code == 409, clash.text
    pngs = {who: signature_png(strokes) for who, strokes in STROKES.items()}
    for data in pngs.values():
        assert (await calls.upload(client, s1, data, photos.sha(data))).status_code == 200
    visit = {
        "arrival_at": "2026-11-20T09:30:00+08:00",
        "method": "on_site",
        "notes": "企业负责人在场，配合检查",
        "people": [{"name": "王店长", "role": "店长", "id_number": ""}],
        "signatures": [
            _signature(pngs["representative"], "representative", "王店长", None),
            _signature(pngs["S1"], "inspector:S1", "检查员S1", "S1"),
        ],
    }
    sent = await client.put(
        f"{calls.API}/field/tasks/{done.task.task_id}/visit/{calls.new_id()}",
        json=visit,
        headers=s1,
    )
    assert sent.status_code == 201, sent.text
    return Conflicted(
        done=done,
        conflict_id=clash.json()["conflict_id"],
        client_photo=photos.sha(shot),
        signatures={photos.sha(data): data for data in pngs.values()},
    )
