"""The publication deadline (公示期限): N working (or calendar) days after the inspection ended.

Seed 001: results are published within 10 working days after the inspection
ends; the national rule for enterprise information is 20 working days
(企业信息公示暂行条例 art. 6). The completion day itself is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.calendar import WorkCalendar

MAX_DAYS = 120
"""Upper bound of the setting: no rule in force allows more, and it bounds the count."""


@dataclass(frozen=True)
class DeadlineRule:
    """A jurisdiction's rule: `days` counted as working days (default) or calendar days."""

    days: int = 10
    working_days: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.days <= MAX_DAYS:
            raise ValueError(f"days must be between 1 and {MAX_DAYS}")

    def describe_zh(self) -> str:
        return f"{self.days}个{'工作日' if self.working_days else '自然日'}"


DEFAULT_RULE = DeadlineRule()


@dataclass(frozen=True)
class Deadline:
    """The last day to publish; `provisional` when a counted day lies in a year without data."""

    day: date
    provisional: bool
    unknown_years: tuple[int, ...] = ()


def publication_deadline(completed: date, rule: DeadlineRule, calendar: WorkCalendar) -> Deadline:
    """The Nth working day after `completed` (not counted), or the Nth calendar day.

    A calendar-day rule does not depend on holidays and is never provisional.
    """
    if not rule.working_days:
        return Deadline(completed + timedelta(days=rule.days), provisional=False)
    day = completed
    counted = 0
    unknown: set[int] = set()
    while counted < rule.days:
        day += timedelta(days=1)
        if not calendar.knows(day.year):
            unknown.add(day.year)
        if calendar.is_working_day(day):
            counted += 1
    return Deadline(day, provisional=bool(unknown), unknown_years=tuple(sorted(unknown)))


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def reminder_due(today: date, deadline: date, lead_days: int, calendar: WorkCalendar) -> bool:
    """Whether staff are to be reminded today: at most `lead_days` working days left, not late."""
    return today <= deadline and working_days_between(today, deadline, calendar) <= lead_days
