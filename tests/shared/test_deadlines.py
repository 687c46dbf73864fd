"""Publication deadlines across the 2026 holidays and into 2027 (a year without data)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.calendar.official import official_days
from shared.calendar import WorkCalendar
from shared.deadlines import DeadlineRule, publication_deadline, working_days_between

OFFICIAL = WorkCalendar.of(
    ((day, kind) for day, kind, _ in official_days(2025, 2026)), known_years=[2025, 2026]
)
TEN = DeadlineRule()


def test_mid_autumn_and_national_day_2026_count_the_make_up_saturday() -> None:
    # Completed Thu 24 Sep: 25–27 Sep (中秋) and 1–7 Oct (国庆) are off;
    # Sat 10 Oct is a make-up working day and counts as the 6th day.
    deadline = publication_deadline(date(2026, 9, 24), TEN, OFFICIAL)
    assert deadline.day == date(2026, 10, 15)
    assert not deadline.provisional
    assert OFFICIAL.is_working_day(date(2026, 10, 10))
    assert not OFFICIAL.is_working_day(date(2026, 10, 5))
    # Without the make-up Saturday the deadline would be one working day later.
    no_make_up = WorkCalendar(
        OFFICIAL.holidays, OFFICIAL.workdays - {date(2026, 10, 10)}, OFFICIAL.known_years
    )
    assert publication_deadline(date(2026, 9, 24), TEN, no_make_up).day == date(2026, 10, 16)


def test_completion_on_the_make_up_saturday_is_not_counted() -> None:
    # The completion day itself never counts, even when it is a working day.
    assert publication_deadline(date(2026, 10, 10), DeadlineRule(days=1), OFFICIAL).day == date(
        2026, 10, 12
    )


def test_spring_festival_2026() -> None:
    # Completed Thu 12 Feb: Fri 13 and make-up Sat 14 Feb count, 15–23 Feb are off,
    # Sat 28 Feb is a make-up working day.
    deadline = publication_deadline(date(2026, 2, 12), TEN, OFFICIAL)
    assert deadline.day == date(2026, 3, 4)
    assert not deadline.provisional


def test_late_december_2026_runs_into_2027_provisional_then_corrected() -> None:
    deadline = publication_deadline(date(2026, 12, 24), TEN, OFFICIAL)
    # 25, 28–31 Dec count (5), then 2027 on the weekend rule: Fri 1 Jan, 4–7 Jan.
    assert deadline.day == date(2027, 1, 7)
    assert deadline.provisional
    assert deadline.unknown_years == (2027,)

    marked = WorkCalendar(
        OFFICIAL.holidays | {date(2027, 1, 1)}, OFFICIAL.workdays, OFFICIAL.known_years
    )
    corrected = publication_deadline(date(2026, 12, 24), TEN, marked)
    assert corrected.day == date(2027, 1, 8)
    assert corrected.provisional  # 2027 is not complete yet

    filled = WorkCalendar(marked.holidays, marked.workdays, marked.known_years | {2027})
    final = publication_deadline(date(2026, 12, 24), TEN, filled)
    assert final == publication_deadline(date(2026, 12, 24), TEN, filled)
    assert final.day == date(2027, 1, 8)
    assert not final.provisional


def test_a_deadline_inside_a_known_year_is_not_provisional_even_near_its_end() -> None:
    deadline = publication_deadline(date(2026, 12, 1), TEN, OFFICIAL)
    assert deadline.day == date(2026, 12, 15)
    assert not deadline.provisional


def test_calendar_days_rule_ignores_holidays() -> None:
    rule = DeadlineRule(days=20, working_days=False)
    deadline = publication_deadline(date(2026, 9, 24), rule, OFFICIAL)
    assert deadline.day == date(2026, 10, 14)
    assert not deadline.provisional


def test_national_rule_of_twenty_working_days() -> None:
    deadline = publication_deadline(date(2026, 9, 24), DeadlineRule(days=20), OFFICIAL)
    assert deadline.day == date(2026, 10, 29)


@pytest.mark.parametrize("days", [0, -1, 121])
def test_rule_out_of_bounds_is_refused(days: int) -> None:
    with pytest.raises(ValueError):
        DeadlineRule(days=days)


@given(
    completed=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 11, 30)),
    days=st.integers(min_value=1, max_value=30),
)
def test_deadline_is_exactly_n_working_days_later(completed: date, days: int) -> None:
    deadline = publication_deadline(completed, DeadlineRule(days=days), OFFICIAL)
    assert OFFICIAL.is_working_day(deadline.day)
    assert working_days_between(completed, deadline.day, OFFICIAL) == days
    assert working_days_between(completed, deadline.day - timedelta(days=1), OFFICIAL) == days - 1
