"""Signatures: strokes kept at every stroke end, normalised, rendered to a PNG."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from mobile.signatures import REPRESENTATIVE, SignatureService, inspector_key, render_png
from mobile.sync import Store
from shared.errors import SuichaError
from tests.mobile.services.device import device

ZHANG = inspector_key("110001")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with device(tmp_path) as store:
        yield store


def test_signers_are_the_representative_and_every_inspector(store: Store) -> None:
    signers = SignatureService(store).signers(7)
    assert [(s.key, s.role, s.name) for s in signers] == [
        (REPRESENTATIVE, "representative", ""),
        (ZHANG, "inspector", "张三"),
        (inspector_key("220002"), "inspector", "李四"),
    ]
    assert not any(s.signed for s in signers)


def test_each_stroke_is_committed_when_the_finger_lifts(store: Store, tmp_path: Path) -> None:
    service = SignatureService(store)
    service.append_stroke(7, ZHANG, [(0.1, 0.2), (0.5, 0.6)])
    service.append_stroke(7, ZHANG, [(0.3, 0.3)])  # a dot
    other = sqlite3.connect(tmp_path / "device" / "field.db")
    (strokes,) = other.execute("SELECT strokes FROM signature").fetchone()
    other.close()
    assert strokes == "[[[0.1, 0.2], [0.5, 0.6]], [[0.3, 0.3], [0.3, 0.3]]]"
    reopened = SignatureService(Store(tmp_path / "device")).signature(7, ZHANG)
    assert reopened.strokes == [[(0.1, 0.2), (0.5, 0.6)], [(0.3, 0.3), (0.3, 0.3)]]


@pytest.mark.parametrize(
    "stroke",
    [[], [(0.1,)], [(1.2, 0.5)], [(-0.01, 0.5)], [(float("nan"), 0.1)], [(True, 0.1)], "ab"],
)
def test_bad_strokes_are_refused_and_change_nothing(store: Store, stroke: object) -> None:
    service = SignatureService(store)
    with pytest.raises(SuichaError) as caught:
        service.append_stroke(7, ZHANG, stroke)  # type: ignore[arg-type]
    assert caught.value.code == "device.stroke_invalid" and "笔画无效" in caught.value.detail_zh
    assert service.signature(7, ZHANG).strokes == []


def test_unknown_signer_is_refused(store: Store) -> None:
    with pytest.raises(SuichaError) as caught:
        SignatureService(store).append_stroke(7, inspector_key("999"), [(0.1, 0.1)])
    assert caught.value.code == "device.signer_unknown"


def test_finish_needs_a_name_and_strokes_then_files_the_png(store: Store) -> None:
    service = SignatureService(store)
    with pytest.raises(SuichaError) as caught:
        service.finish_signature(7, REPRESENTATIVE, width=800, height=400)
    assert caught.value.code == "device.signer_name_needed"
    service.set_signer_name(7, REPRESENTATIVE, "王五")
    with pytest.raises(SuichaError) as caught:
        service.finish_signature(7, REPRESENTATIVE, width=800, height=400)
    assert caught.value.code == "device.signature_empty"
    service.append_stroke(7, REPRESENTATIVE, [(0.1, 0.5), (0.9, 0.5)])
    state = service.finish_signature(7, REPRESENTATIVE, width=800, height=400)
    assert state.signed and state.name == "王五" and state.signed_at
    data = store.photo_path(state.sha256 or "").read_bytes()
    assert hashlib.sha256(data).hexdigest() == state.sha256
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (800, 400)
    assert state.sha256 in {p.sha256 for p in store.pending_photos()}  # sent as an attachment


def test_a_change_after_finishing_needs_a_new_finish(store: Store) -> None:
    service = SignatureService(store)
    service.append_stroke(7, ZHANG, [(0.1, 0.5), (0.9, 0.5)])
    service.finish_signature(7, ZHANG, width=600, height=300)
    assert [s.key for s in service.unsigned(7)] == [REPRESENTATIVE, inspector_key("220002")]
    service.append_stroke(7, ZHANG, [(0.2, 0.2), (0.3, 0.3)])
    assert ZHANG in [s.key for s in service.unsigned(7)]
    service.clear(7, ZHANG)
    assert service.signature(7, ZHANG).strokes == []


def test_inspector_names_come_from_the_team(store: Store) -> None:
    service = SignatureService(store)
    service.set_signer_name(7, ZHANG, "别人")
    assert service.signature(7, ZHANG).name == "张三"


def test_render_flips_y_and_is_deterministic() -> None:
    # A stroke along the top edge in Kivy coordinates (y = 1) is drawn at the image top.
    png = render_png([[(0.0, 1.0), (1.0, 1.0)]], 200, 100)
    assert png == render_png([[(0.0, 1.0), (1.0, 1.0)]], 200, 100)
    with Image.open(io.BytesIO(png)) as image:
        assert image.getpixel((100, 0))[0] < 100
        assert image.getpixel((100, 99)) == (255, 255, 255)
    with pytest.raises(SuichaError) as caught:
        render_png([], 10, 10)
    assert caught.value.code == "device.signature_pad_size"


def test_strokes_survive_a_rotation_of_the_pad(store: Store) -> None:
    """Normalised points: the same strokes render on a landscape or a portrait pad."""
    service = SignatureService(store)
    service.append_stroke(7, ZHANG, [(0.0, 0.0), (1.0, 1.0)])
    strokes = service.signature(7, ZHANG).strokes
    for width, height in ((1200, 500), (500, 1200)):
        with Image.open(io.BytesIO(render_png(strokes, width, height))) as image:
            assert image.getpixel((width // 2, height // 2))[0] < 100
