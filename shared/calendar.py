"""The working-day calendar (工作日历): official holidays and make-up working days (调休).

Plain data, loaded by the server from its own table. Nothing here calls a
holiday library: a year is "known" only when the calendar holds its official
days, and a date in an unknown year falls back to the weekend rule, which the
caller must mark provisional.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

DayKind = Literal["holiday", "workday"]
"""`holiday`: a weekday off (法定节假日); `workday`: a weekend day worked (调休上班)."""

DAY_KINDS: tuple[DayKind, ...] = ("holiday", "workday")


@dataclass(frozen=True)
class WorkCalendar:
    """Exceptions to the Monday–Friday week, and the years whose exceptions are official."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    known_years: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls,
        days: Iterable[tuple[date, DayKind]],
        known_years: Iterable[int],
    ) -> WorkCalendar:
        holidays: set[date] = set()
        workdays: set[date] = set()
        for day, kind in days:
            (holidays if kind == "holiday" else workdays).add(day)
        return cls(frozenset(holidays), frozenset(workdays), frozenset(known_years))

    def knows(self, year: int) -> bool:
        """Whether the official holidays of `year` are in the calendar."""
        return year in self.known_years

    def is_working_day(self, day: date) -> bool:
        """A working day: Monday–Friday unless a holiday, or a make-up working weekend day.

        Exceptions entered for a year not yet complete count too: an admin who
        has marked 1 January 2027 a holiday wants it honoured at once.
        """
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5
