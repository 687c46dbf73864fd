"""The check-in outbox on the device, the position source, and the texts shown for them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mobile.app.marks import check_in_text, check_url, directed_mark
from mobile.checkin import location, outbox
from mobile.checkin.arrival import WrongBusiness
from mobile.sync.states import RecordState
from mobile.sync.store import Problem, Store
from tests.server.draws.world import credit_code

BUSINESS = credit_code(3)
AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "tablet")
    yield opened
    opened.close()


def test_another_business_records_nothing(store: Store) -> None:
    with pytest.raises(WrongBusiness) as refused:
        outbox.record(store, 7, BUSINESS, credit_code(4), at=AT)
    assert "不符" in refused.value.zh and "not this task's business" in refused.value.en
    assert outbox.check_in_of(store, 7) is None and outbox.pending(store) == []


def test_a_check_in_is_kept_with_its_position_or_says_there_was_none(store: Store) -> None:
    with_fix = outbox.record(store, 7, BUSINESS, BUSINESS.lower(), at=AT, gps=(45.77, 126.65))
    assert (with_fix.gps, with_fix.latitude, with_fix.state) == ("fix", 45.77, RecordState.QUEUED)
    assert with_fix.body == {
        "credit_code": BUSINESS,
        "at": AT.isoformat(),
        "latitude": 45.77,
        "longitude": 126.65,
    }
    without = outbox.record(store, 8, BUSINESS, BUSINESS, at=AT)
    assert (without.gps, without.latitude, without.longitude) == ("unavailable", None, None)
    assert [c.task_id for c in outbox.pending(store)] == [7, 8]
    # Scanning again before it was sent replaces it: one check-in per task.
    later = outbox.record(store, 8, BUSINESS, BUSINESS, at=AT + timedelta(minutes=5))
    assert outbox.check_in_of(store, 8) == later and outbox.unsent_count(store) == 2


def test_once_the_server_holds_it_no_second_check_in(store: Store) -> None:
    outbox.record(store, 7, BUSINESS, BUSINESS, at=AT)
    outbox._set(store, 7, RecordState.ACKNOWLEDGED, late=True)
    held = outbox.check_in_of(store, 7)
    assert held is not None and held.late is True and outbox.pending(store) == []
    with pytest.raises(outbox.AlreadyCheckedIn):
        outbox.record(store, 7, BUSINESS, BUSINESS, at=AT + timedelta(hours=1))
    assert outbox.check_in_of(store, 7) == held


def test_a_refusal_is_kept_with_its_reason_and_not_sent_again(store: Store) -> None:
    outbox.record(store, 7, BUSINESS, BUSINESS, at=AT)
    outbox._set(
        store, 7, RecordState.REFUSED, problem=Problem("x.refused", "不在检查组", "not on team")
    )
    assert outbox.pending(store) == []
    text = check_in_text(outbox.check_in_of(store, 7), "zh")
    assert "被服务器拒收：不在检查组" in text and "定位不可用" in text


def test_check_in_texts(store: Store) -> None:
    assert check_in_text(None, "zh") == "尚未登记到达（扫码入企）"
    queued = outbox.record(store, 7, BUSINESS, BUSINESS, at=AT, gps=(45.5, 126.25))
    assert "定位 45.50000，126.25000" in check_in_text(queued, "zh")
    assert check_in_text(queued, "zh").endswith("待同步")
    outbox._set(store, 7, RecordState.ACKNOWLEDGED, late=False)
    assert check_in_text(outbox.check_in_of(store, 7), "en").endswith("synced")
    outbox._set(store, 7, RecordState.ACKNOWLEDGED, late=True)
    assert "逾期" in check_in_text(outbox.check_in_of(store, 7), "zh")


def test_directed_mark_and_check_url() -> None:
    directed = {"kind": "directed", "reason_category": "referral"}
    assert directed_mark(directed, "zh") == "定向检查（非随机）· 转办交办"
    assert directed_mark(directed, "en") == "Directed, not random · referral"
    assert directed_mark({"kind": "random"}, "zh") == directed_mark({}, "zh") == ""
    package = {"inspection_code": "2026-SCJG-ABCDEFG", "code_signature": "sig"}
    assert (
        check_url("http://127.0.0.1:8000/", package)
        == "http://127.0.0.1:8000/check/2026-SCJG-ABCDEFG?s=sig"
    )
    assert check_url(None, package) is None and check_url("http://x", {}) is None


def test_position_is_the_fixed_one_or_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(location.FIXED_ENV, "45.77,126.65")
    assert location.current_position() == (45.77, 126.65)
    for bad in ("", "45.7", "north,east", "91,0", "0,181", "nan,0"):
        monkeypatch.setenv(location.FIXED_ENV, bad)
        assert location.current_position() is None, bad  # no pyjnius here: no position
