"""The item form service: one commit per change, pinned template, validation, finish."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mobile.forms import NO_PROBLEM, FormService, task_categories
from mobile.sync import PhotoUse, Store
from mobile.sync.states import RecordState
from shared.errors import SuichaError
from tests.mobile.services.device import CHECKLIST, device, package, picture


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with device(tmp_path) as store:
        yield store


def fields(problems: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {p.field: p.code for p in problems}


def test_every_answer_is_committed_at_once(store: Store, tmp_path: Path) -> None:
    forms = FormService(store)
    forms.set_answer(7, "ITEM-A", "licence", False)
    forms.set_answer(7, "ITEM-A", "why", "正在办理")
    # Another connection (another process after a kill) sees both answers.
    other = sqlite3.connect(tmp_path / "device" / "field.db")
    (answers,) = other.execute("SELECT answers FROM item_draft").fetchone()
    other.close()
    assert '"licence": false' in answers and "正在办理" in answers
    assert FormService(Store(tmp_path / "device")).form(7, "ITEM-A").answers == {
        "licence": False,
        "why": "正在办理",
    }


def test_conditional_question_shows_and_hides(store: Store) -> None:
    forms = FormService(store)
    assert [q.id for q in forms.form(7, "ITEM-A").visible] == ["licence", "staff", "kind"]
    forms.set_answer(7, "ITEM-A", "licence", False)
    assert [q.id for q in forms.form(7, "ITEM-A").visible] == ["licence", "why", "staff", "kind"]
    forms.set_answer(7, "ITEM-A", "licence", None)
    assert "licence" not in forms.form(7, "ITEM-A").answers


def test_validate_puts_each_problem_next_to_its_field_in_chinese(store: Store) -> None:
    forms = FormService(store)
    forms.set_answer(7, "ITEM-A", "staff", 900)
    forms.set_category(7, "ITEM-A", "B")
    problems = forms.validate(7, "ITEM-A")
    by_field = fields(problems)
    assert by_field["licence"] == "checklist.answer_required"
    assert by_field["staff"] in ("checklist.answer_range", "checklist.photos_missing")
    assert by_field["follow_up"] == "device.follow_up_required"
    assert "category" not in by_field
    follow = next(p for p in problems if p.field == "follow_up")
    assert "后续处置" in follow.zh and "follow-up" in follow.en


def test_follow_up_is_only_needed_when_a_problem_was_found(store: Store) -> None:
    forms = FormService(store)
    forms.set_category(7, "ITEM-A", NO_PROBLEM)
    assert "follow_up" not in fields(forms.validate(7, "ITEM-A"))
    forms.set_category(7, "ITEM-A", "E")
    assert fields(forms.validate(7, "ITEM-A"))["follow_up"] == "device.follow_up_required"
    forms.set_follow_up(7, "ITEM-A", "责令改正，已复查")
    assert "follow_up" not in fields(forms.validate(7, "ITEM-A"))


def test_category_must_be_a_leaf_of_the_packages_list(tmp_path: Path) -> None:
    categories = [
        {"code": "1", "zh": "未发现问题"},
        {"code": "A", "zh": "发现问题待后续处理"},
        {"code": "B", "zh": "未按规定公示", "parent": "A"},
    ]
    with device(tmp_path, categories=categories) as store:
        assert [c.code for c in task_categories(store.task(7).package)] == ["1", "B"]  # type: ignore[union-attr]
        forms = FormService(store)
        with pytest.raises(SuichaError) as caught:
            forms.set_category(7, "ITEM-A", "A")
        assert caught.value.code == "device.category_unknown"
        assert forms.form(7, "ITEM-A").state == "empty"  # nothing changed


def test_any_number_of_photos_per_question_and_per_item(store: Store, tmp_path: Path) -> None:
    forms = FormService(store)
    for n in range(3):
        forms.add_photo(7, "ITEM-A", picture(tmp_path / f"q{n}.jpg", shade=10 * n), "staff")
    forms.add_photo(7, "ITEM-A", picture(tmp_path / "item.jpg", shade=200))
    form = forms.form(7, "ITEM-A")
    assert len(form.question_photos["staff"]) == 3 and len(form.item_photos) == 1
    assert all(p.path.is_file() for p in form.photos)
    assert len(store.pending_photos()) == 4
    forms.remove_photo(7, "ITEM-A", form.item_photos[0].sha256)
    assert forms.form(7, "ITEM-A").item_photos == []
    with pytest.raises(SuichaError) as caught:
        forms.remove_photo(7, "ITEM-A", "0" * 64)
    assert caught.value.code == "device.photo_not_on_item"


def test_finish_refuses_while_invalid_then_records_one_result(store: Store, tmp_path: Path) -> None:
    forms = FormService(store)
    forms.set_answer(7, "ITEM-A", "licence", True)
    forms.set_answer(7, "ITEM-A", "staff", 12)
    forms.set_category(7, "ITEM-A", "E")
    assert forms.finish(7, "ITEM-A")  # photo for staff and follow-up missing
    assert store.results(7) == []
    forms.add_photo(7, "ITEM-A", picture(tmp_path / "s.jpg"), "staff")
    forms.set_follow_up(7, "ITEM-A", "当场责令改正")
    forms.set_findings(7, "ITEM-A", "执照未悬挂，已当场悬挂")
    assert forms.finish(7, "ITEM-A") == []
    assert forms.finish(7, "ITEM-A") == []  # unchanged: not recorded twice
    (result,) = store.results(7)
    assert result.revision == 1 and result.state is RecordState.QUEUED
    body = store.result_body(result.result_id)
    assert body["follow_up"] == "当场责令改正" and body["template_version"] == 3
    assert body["answers"] == {"licence": True, "staff": 12}
    assert [p["question"] for p in body["photos"]] == ["staff"]
    assert forms.form(7, "ITEM-A").state == "done"
    forms.set_findings(7, "ITEM-A", "执照未悬挂，已当场悬挂并拍照")
    assert forms.form(7, "ITEM-A").state == "draft"
    forms.finish(7, "ITEM-A")
    (again,) = store.results(7)
    assert again.result_id == result.result_id and again.revision == 2


def test_the_form_stays_on_the_template_it_started_on(store: Store) -> None:
    forms = FormService(store)
    forms.set_answer(7, "ITEM-A", "licence", True)
    newer = package()
    newer["items"][0]["checklist"] = [
        {"id": "other", "type": "text", "label": {"zh": "新问题", "en": "New"}}
    ]
    newer["items"][0]["template_version"] = 4
    store.save_task_packages([newer], [], "c2")
    form = forms.form(7, "ITEM-A")
    assert form.template_version == 3
    assert [q.id for q in form.template.questions] == [q["id"] for q in CHECKLIST]
    forms.set_answer(7, "ITEM-A", "staff", 3)  # still answerable on version 3


def test_other_departments_items_are_read_only(store: Store) -> None:
    forms = FormService(store)
    assert [(i.code, i.editable) for i in forms.items(7)] == [("ITEM-A", True), ("ITEM-B", False)]
    with pytest.raises(SuichaError) as caught:
        forms.set_answer(7, "ITEM-B", "licence", True)
    assert caught.value.code == "device.item_not_mine" and "卫生健康委" in caught.value.detail_zh
    assert forms.form(7, "ITEM-B").state == "empty"


def test_unknown_question_item_and_unstorable_values_are_refused(store: Store) -> None:
    forms = FormService(store)
    cases = [
        (lambda: forms.set_answer(7, "ITEM-A", "nope", 1), "device.question_unknown"),
        (lambda: forms.set_answer(7, "ITEM-X", "licence", 1), "device.item_unknown"),
        (lambda: forms.set_answer(7, "ITEM-A", "why", "字" * 2001), "device.answer_unstorable"),
        (lambda: forms.set_answer(7, "ITEM-A", "staff", float("nan")), "device.answer_unstorable"),
        (lambda: forms.set_answer(7, "ITEM-A", "kind", {"a": 1}), "device.answer_unstorable"),
        (lambda: forms.set_findings(7, "ITEM-A", "x" * 4001), "device.text_too_long"),
        (lambda: forms.set_answer(99, "ITEM-A", "licence", True), "device.task_unknown"),
    ]
    for call, code in cases:
        with pytest.raises(SuichaError) as caught:
            call()
        assert caught.value.code == code
    assert forms.form(7, "ITEM-A").state == "empty"


def test_submitted_task_closes_the_form(store: Store) -> None:
    forms = FormService(store)
    forms.set_answer(7, "ITEM-A", "licence", True)
    store.request_submission(7)
    with pytest.raises(SuichaError) as caught:
        forms.set_answer(7, "ITEM-A", "licence", False)
    assert caught.value.code == "device.item_closed"


def test_finishing_again_after_a_crash_records_nothing_new(store: Store, tmp_path: Path) -> None:
    """Killed between recording the result and marking the draft finished: the next
    finish finds the same content recorded and makes no second version."""
    forms = FormService(store)
    forms.set_answer(7, "ITEM-A", "licence", True)
    forms.set_answer(7, "ITEM-A", "staff", 0)
    shot = forms.add_photo(7, "ITEM-A", picture(tmp_path / "s.jpg"), "staff")
    forms.set_category(7, "ITEM-A", NO_PROBLEM)
    form = forms.form(7, "ITEM-A")
    forms.store.record_result(  # what finish had committed when the app died
        7,
        "ITEM-A",
        answers=form.answers,
        category=NO_PROBLEM,
        template_version=3,
        photos=[PhotoUse(shot.sha256, "staff")],
        result_id=form.result_id,
    )
    assert forms.form(7, "ITEM-A").state == "draft"
    assert forms.finish(7, "ITEM-A") == []
    (result,) = store.results(7)
    assert result.revision == 1 and forms.form(7, "ITEM-A").state == "done"
