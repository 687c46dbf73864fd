"""FieldSession without a window: tabs, search, sync badges, unsent count, record states."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mobile.field import FieldSession
from mobile.sync.states import RecordState, SubmissionState
from mobile.sync.store import Problem

TODAY = date(2026, 5, 4)


def package(task_id: int, name: str, code: str, due: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": task_id,
        "version": 1,
        "status": "assigned",
        "due_date": due,
        "plan": {"code": "P-1", "name": "计划"},
        "object": {"credit_code": code, "name": name, "address": "鸡冠区1号", "risk_class": "B"},
        "team": [{"badge_no": "S1", "name": "检查员甲", "department": "SCJG"}],
        "my_department": "SCJG",
        "items": [
            {
                "code": "SC-01",
                "name": "事项一",
                "department": "SCJG",
                "checklist": [
                    {"id": "q1", "type": "yes_no", "label": {"zh": "亮照", "en": "Licence"}}
                ],
            }
        ],
        **extra,
    }


@pytest.fixture
def session(tmp_path: Path) -> FieldSession:
    field = FieldSession(tmp_path, today=TODAY)
    field.store.save_task_packages(
        [
            package(1, "鸡西便利店", "91230302MA0000001X", "2026-05-04"),
            package(2, "鸡冠区饭店", "91230302MA0000002X", "2026-06-30"),
            package(3, "恒山超市", "91230302MA0000003X", "2026-06-01", submitted_at="2026-05-01"),
            package(
                4,
                "城子河药店",
                "91230302MA0000004X",
                "2026-06-01",
                returns=[{"item": "SC-01", "result_id": "r", "version": 1, "reason": "照片不清"}],
            ),
        ],
        [],
        "4",
    )
    return field


def ids(rows: list[Any]) -> list[int]:
    return [r.task_id for r in rows]


def test_tabs_and_search(session: FieldSession) -> None:
    assert ids(session.tasks("today")) == [1]
    assert ids(session.tasks("upcoming")) == [2]
    assert ids(session.tasks("done")) == [3]
    assert ids(session.tasks("returned")) == [4]
    assert ids(session.tasks("upcoming", "饭店")) == [2]
    assert ids(session.tasks("upcoming", "ma0000002")) == [2]  # credit code, any case
    assert session.tasks("today", "饭店") == []
    with pytest.raises(ValueError):
        session.tasks("tomorrow")


def test_a_started_task_is_todays_work_and_badges_follow_the_records(
    session: FieldSession,
) -> None:
    store = session.store
    assert session.tasks("upcoming")[0].badge == "sent"
    result = store.record_result(2, "SC-01", answers={"q1": True}, category="1")
    [row] = session.tasks("today", "饭店")
    assert row.badge == "unsent" and row.unsent == 1
    assert session.unsent_count() == 1

    store.result_answered(result, RecordState.REFUSED, Problem("x.refused", "拒收原因", "why"))
    assert session.tasks("today", "饭店")[0].badge == "problem"
    states = {r.label("zh"): r for r in session.record_states()}
    refused = states["鸡冠区饭店 · 事项一"]
    assert refused.attention and refused.reason("zh") == "拒收原因"
    assert refused.state_text("zh") == "被服务器拒收" and refused.state_text("en")

    store.requeue(result)
    store.result_stored(result, 1, 1)
    store.request_submission(2)
    assert session.tasks("today", "饭店")[0].badge == "waiting"
    assert session.unsent_count() == 1  # the submission itself
    store.submission_answered(2, SubmissionState.SUBMITTED, submitted_at="2026-05-04T10:00")
    assert ids(session.tasks("done")) == [3, 2]  # soonest due first
    assert session.tasks("done")[1].badge == "submitted" and session.unsent_count() == 0


def test_task_view_splits_items_and_names_the_signers(session: FieldSession) -> None:
    view = session.task_view(2)
    assert [i.code for i in view.my_items] == ["SC-01"] and view.other_items == []
    assert [s.role for s in view.signers] == ["representative", "inspector"]
    assert view.credit_class == "B" and view.methods[0] == ("on_site", "实地检查")
    assert session.task_view(2, "en").methods[0][1] == "On-site inspection"
    assert session.submit_problems(2)  # nothing entered yet: refused with reasons
    assert session.submit(2) and not session.submission_requested(2)


def test_return_reason_of_a_returned_item(session: FieldSession) -> None:
    assert session.return_reason(4, "SC-01") == "照片不清"
    assert session.return_reason(2, "SC-01") is None
    assert session.return_reason(99, "SC-01") is None
