"""Piccolo tables of tasks. Queries over them live in `server.tasks.queries`."""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Date, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.table import Table

from server.draws.tables import Draw
from server.rosters.tables import Department, InspectionItem, InspectionObject, Inspector


class Task(Table):
    """One inspection of one drawn object (检查任务)."""

    draw = ForeignKey(Draw, index=True)
    object = ForeignKey(InspectionObject, index=True)
    status = Varchar(length=16, default="assigned", index=True)
    """assigned → submitted → closed."""
    due_date = Date()
    """Last day of the inspection window."""
    understaffed = JSON(default=[])
    """Department codes whose pool ran dry for this task (never silently filled)."""
    version = Integer(default=1)
    """Raised on every change a device must see (team, items, deadline)."""
    updated_at = Timestamptz()
    submitted_at = Timestamptz(null=True, default=None)
    completed_at_device = Timestamptz(null=True, default=None)
    """When the device says the inspection ended: starts the publication deadline clock."""


class TaskInspector(Table):
    """An inspector on a task's team, for one department. Removed members stay, inactive."""

    task = ForeignKey(Task, index=True)
    inspector = ForeignKey(Inspector, index=True)
    department = ForeignKey(Department)
    pick_order = Integer(default=0)
    active = Boolean(default=True)
    removed_reason = Varchar(length=300, default="")


class TaskItem(Table):
    """An item a department inspects on a task."""

    task = ForeignKey(Task, index=True)
    item = ForeignKey(InspectionItem)
    department = ForeignKey(Department)


class TaskChange(Table):
    """The change feed of tasks per inspector: what `GET /field/tasks?since=` reads.

    The row id is the cursor. `kind` is `assigned` (task is new to the
    inspector), `updated` (something on the task changed) or `removed` (the
    inspector was taken off the task).
    """

    task = ForeignKey(Task, index=True)
    inspector = ForeignKey(Inspector, index=True)
    kind = Varchar(length=16)
    at = Timestamptz()
