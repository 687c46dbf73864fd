"""Response bodies of the staff task list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

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
    draw_id: str | None
    """None for a directed task (定向检查): it has no draw …"""
    plan_id: str | None
    """… and no plan."""
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
    kind: str = "random"
    """`random` (drawn, 双随机) or `directed` (定向检查, assigned by hand)."""
    reason_category: str = ""
    """For a directed task: complaint / referral / data_monitoring (never the case itself)."""


class TeamIn(msgspec.Struct, forbid_unknown_fields=True):
    """The officers (badge numbers, 执法证号) of a directed task's team."""

    badges: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=32)]], msgspec.Meta(max_length=50)
    ]


class TeamOut(msgspec.Struct):
    task_id: int
    department: str
    team: list[str]
