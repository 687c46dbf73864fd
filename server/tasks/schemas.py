"""Response bodies of the staff task list."""

from __future__ import annotations

from datetime import date

import msgspec


class TeamMemberOut(msgspec.Struct):
    badge_no: str
    name: str
    department: str
    pick_order: int
    active: bool
    removed_reason: str


class TaskItemOut(msgspec.Struct):
    code: str
    name: str
    department: str


class TaskOut(msgspec.Struct):
    id: int
    draw_id: str
    plan_id: str
    object_id: str
    object_name: str
    status: str
    due_date: date
    understaffed: list[str]
    version: int
    team: list[TeamMemberOut]
    items: list[TaskItemOut]
    publication_deadline: date | None = None
    """Last day to publish the results (公示期限), once the inspection is completed."""
    deadline_provisional: bool = False
    """The deadline counts days of a year whose official holidays are not yet entered."""
