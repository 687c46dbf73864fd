"""Request and answer types of the calendar and deadline endpoints."""

from __future__ import annotations

from datetime import date, datetime

import msgspec


class CalendarDayOut(msgspec.Struct):
    day: date
    kind: str
    name: str
    source: str


class CalendarYearOut(msgspec.Struct):
    year: int
    source: str
    completed_at: datetime


class DayMark(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    """holiday / workday / normal."""
    name: str = ""


class MovedOut(msgspec.Struct):
    task: int
    before: date
    after: date
    provisional_before: bool
    provisional_after: bool


class RecomputeOut(msgspec.Struct):
    moved: list[MovedOut]


class DeadlineRuleIn(msgspec.Struct, forbid_unknown_fields=True):
    days: int
    working_days: bool = True
    reminder_days: int = 3


class DeadlineRuleOut(msgspec.Struct):
    department: str | None
    days: int
    working_days: bool
    reminder_days: int
    updated_at: datetime
    updated_by: str
