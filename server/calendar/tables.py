"""Piccolo tables of the working-day calendar and the publication deadlines.

Queries over them live in `server.calendar.queries`.
"""

from __future__ import annotations

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.rosters.tables import Department
from server.tasks.tables import Task


class CalendarDay(Table):
    """An exception to the Monday–Friday week: a holiday (节假日) or a make-up workday (调休)."""

    day = Date(unique=True, index=True)
    kind = Varchar(length=8)
    """holiday / workday."""
    name = Varchar(length=60, default="")
    source = Varchar(length=16, default="admin")
    """chinesecalendar (seeded) / admin."""
    updated_at = Timestamptz()
    updated_by = Varchar(length=64, default="")


class CalendarYear(Table):
    """A year whose official holidays are complete in the calendar (deadlines are final)."""

    year = Integer(unique=True, index=True)
    source = Varchar(length=16, default="admin")
    completed_at = Timestamptz()
    completed_by = Varchar(length=64, default="")


class DeadlineSetting(Table):
    """A jurisdiction's publication rule; the row without department is the default."""

    department = ForeignKey(Department, null=True, unique=True, on_delete=OnDelete.restrict)
    days = Integer(default=10)
    working_days = Boolean(default=True)
    reminder_days = Integer(default=3)
    """Back-office staff are reminded this many working days before the deadline."""
    updated_at = Timestamptz()
    updated_by = Varchar(length=64, default="")


class TaskDeadline(Table):
    """The publication deadline of a completed task, recomputed when calendar or rule change."""

    task = ForeignKey(Task, unique=True, index=True, on_delete=OnDelete.restrict)
    department = ForeignKey(Department, on_delete=OnDelete.restrict)
    """The jurisdiction whose rule applies (the plan's lead department)."""
    completed_on = Date()
    """The day the inspection ended, in China Standard Time."""
    deadline = Date(index=True)
    provisional = Boolean(default=False, index=True)
    days = Integer()
    working_days = Boolean()
    computed_at = Timestamptz()
    published_on = Date(null=True, default=None)
    """The day of first publication: the deadline is then settled and no longer recomputed."""
