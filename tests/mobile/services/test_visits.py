"""The visit record: saved per edit, checked before submission, sent with the signatures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mobile.forms import FormService
from mobile.signatures import REPRESENTATIVE, SignatureService, inspector_key
from mobile.sync import Store
from mobile.sync.states import RecordState, SubmissionState
from mobile.sync.store import Problem
from mobile.visits import VisitService, outbox
from mobile.visits.submission import request_submission, submission_problems
from shared.errors import SuichaError
from tests.mobile.services.device import device, picture


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with device(tmp_path) as store:
        yield store


def codes(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [p[0] if isinstance(p, tuple) else p.code for p in problems]


def test_each_edit_is_saved_at_once(store: Store, tmp_path: Path) -> None:
    visits = VisitService(store)
    visits.update(7, arrival="2026-11-30 09:3")  # half typed: kept as typed
    visits.update(7, method="on_site", notes="企业负责人在场")
    visits.update(7, people=[{"name": "王五", "role": "店长", "id_number": "11010119900101123x"}])
    other = sqlite3.connect(tmp_path / "device" / "field.db")
    row = other.execute("SELECT arrival, method, notes, people FROM visit_record").fetchone()
    other.close()
    assert row[0] == "2026-11-30 09:3" and row[1] == "on_site" and "王五" in row[3]
    record = VisitService(Store(tmp_path / "device")).record(7)
    assert record.people[0].id_number == "11010119900101123X"
    assert codes(visits.problems(7)) == ["device.arrival_format"]
    visits.update(7, arrival="2026-11-30 09:30")
    assert visits.problems(7) == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"method": "by_phone"}, "device.method_unknown"),
        ({"notes": "字" * 4001}, "device.visit_text_too_long"),
        ({"people": [{"name": "王五", "id_number": "12-34"}]}, "device.person_invalid"),
        ({"people": [{"name": "x"}] * 21}, "device.too_many_people"),
        ({"colour": "red"}, "device.visit_field_unknown"),
        ({"arrival": "2" * 40}, "device.visit_text_too_long"),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(
    store: Store, changes: dict[str, object], code: str
) -> None:
    visits = VisitService(store)
    visits.update(7, notes="原文")
    with pytest.raises(SuichaError) as caught:
        visits.update(7, **changes)
    assert caught.value.code == code
    assert visits.record(7).notes == "原文" and visits.record(7).method == ""


def _complete(store: Store, tmp_path: Path) -> None:
    forms = FormService(store)
    forms.set_answer(7, "ITEM-A", "licence", True)
    forms.set_answer(7, "ITEM-A", "staff", 4)
    forms.add_photo(7, "ITEM-A", picture(tmp_path / "p.jpg"), "staff")
    forms.set_category(7, "ITEM-A", "1")
    assert forms.finish(7, "ITEM-A") == []
    VisitService(store).update(7, arrival="2026-11-30 09:30", method="on_site", notes="正常")


def _sign_all(store: Store) -> None:
    signatures = SignatureService(store)
    signatures.set_signer_name(7, REPRESENTATIVE, "王五")
    for key in (REPRESENTATIVE, inspector_key("110001"), inspector_key("220002")):
        signatures.append_stroke(7, key, [(0.1, 0.1), (0.8, 0.7)])
        signatures.finish_signature(7, key, width=600, height=300)


def test_submission_is_refused_until_items_visit_and_signatures_are_there(
    store: Store, tmp_path: Path
) -> None:
    missing = submission_problems(store, 7)
    assert "device.item_unfinished" in codes(missing)
    assert codes(missing).count("device.signature_missing") == 3
    assert any("企业代表" in m.zh for m in missing) and any("李四" in m.zh for m in missing)
    assert request_submission(store, 7)
    assert store.task(7).submission is SubmissionState.NOT_REQUESTED  # type: ignore[union-attr]
    _complete(store, tmp_path)
    assert codes(submission_problems(store, 7)) == ["device.signature_missing"] * 3
    _sign_all(store)
    assert request_submission(store, 7) == []
    assert store.task(7).submission is SubmissionState.WAITING  # type: ignore[union-attr]
    with pytest.raises(SuichaError) as caught:
        VisitService(store).update(7, notes="改")
    assert caught.value.code == "device.task_closed"


def test_the_record_is_sent_after_its_signatures_and_only_until_acknowledged(
    store: Store, tmp_path: Path
) -> None:
    _complete(store, tmp_path)
    _sign_all(store)
    assert outbox.pending_visits(store) == []  # not before submission is asked for
    request_submission(store, 7)
    assert outbox.pending_visits(store) == []  # signature PNGs not on the server yet
    for photo in store.pending_photos():
        store.photo_acknowledged(photo.sha256)
    (visit,) = outbox.pending_visits(store)
    body = visit.body
    assert body["method"] == "on_site" and body["arrival_at"].startswith("2026-11-30T09:30")
    assert [s["signer"] for s in body["signatures"]] == [
        REPRESENTATIVE,
        inspector_key("110001"),
        inspector_key("220002"),
    ]
    first = body["signatures"][0]
    assert first["media_type"] == "image/png" and first["strokes"] == [[[0.1, 0.1], [0.8, 0.7]]]
    assert first["size"] == store.photo_path(first["sha256"]).stat().st_size
    assert not outbox.visit_delivered(store, 7)
    outbox.visit_sending(store, visit)
    assert outbox.pending_visits(store)[0].body_hash == visit.body_hash  # resent unchanged
    outbox.visit_stored(store, visit, 1)
    assert outbox.pending_visits(store) == [] and outbox.visit_delivered(store, 7)
    assert outbox.visit_state(store, 7) == (RecordState.ACKNOWLEDGED, None)


def test_a_refused_record_waits_for_a_change(store: Store, tmp_path: Path) -> None:
    _complete(store, tmp_path)
    _sign_all(store)
    request_submission(store, 7)
    for photo in store.pending_photos():
        store.photo_acknowledged(photo.sha256)
    (visit,) = outbox.pending_visits(store)
    outbox.visit_sending(store, visit)
    outbox.visit_problem(store, 7, RecordState.REFUSED, Problem("x", "拒绝", "refused"))
    assert outbox.pending_visits(store) == []
    state, problem = outbox.visit_state(store, 7)  # type: ignore[misc]
    assert state is RecordState.REFUSED and problem is not None and problem.zh == "拒绝"
