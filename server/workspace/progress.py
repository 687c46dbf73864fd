"""The progress dashboard of a plan (进度看板), as plain Python over the rows the
queries return: tasks by status, understaffed tasks, days left to each publication
deadline (overdue and provisional marked), filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

TASK_STATUS_ZH = {
    "assigned": "已分派",
    "submitted": "已提交",
    "closed": "已办结",
}


@dataclass(frozen=True)
class TaskLine:
    task_id: int
    credit_code: str
    business: str
    status: str
    status_zh: str
    team: list[str]
    """"部门：姓名（编号）" per active member."""
    understaffed: list[str]
    deadline: date | None
    days_left: int | None
    overdue: bool
    provisional: bool
    published: bool


@dataclass(frozen=True)
class Progress:
    lines: list[TaskLine]
    by_status: dict[str, int]
    understaffed: int
    overdue: int
    total: int


def summarise(
    tasks: Sequence[Mapping[str, Any]],
    members: Sequence[Mapping[str, Any]],
    deadlines: Mapping[int, Mapping[str, Any]],
    today: date,
    *,
    status: str = "",
    understaffed_only: bool = False,
    overdue_only: bool = False,
) -> Progress:
    """Counts over every task, lines for those the filters keep."""
    teams: dict[int, list[str]] = {}
    for m in members:
        if m["active"]:
            teams.setdefault(m["task"], []).append(
                f"{m['department_code']}：{m['name']}（{m['badge_no']}）"
            )
    lines = []
    for t in tasks:
        d = deadlines.get(t["id"])
        deadline = d["deadline"] if d else None
        published = bool(d and d.get("published_on"))
        days = (deadline - today).days if deadline else None
        lines.append(
            TaskLine(
                task_id=t["id"],
                credit_code=t["object_id"],
                business=t["object_name"],
                status=t["status"],
                status_zh=TASK_STATUS_ZH.get(t["status"], t["status"]),
                team=teams.get(t["id"], []),
                understaffed=list(t["understaffed"] or []),
                deadline=deadline,
                days_left=days,
                overdue=days is not None and days < 0 and not published,
                provisional=bool(d and d.get("provisional")),
                published=published,
            )
        )
    kept = [
        line
        for line in lines
        if (not status or line.status == status)
        and (not understaffed_only or line.understaffed)
        and (not overdue_only or line.overdue)
    ]
    return Progress(
        lines=kept,
        by_status=dict(Counter(line.status for line in lines)),
        understaffed=sum(1 for line in lines if line.understaffed),
        overdue=sum(1 for line in lines if line.overdue),
        total=len(lines),
    )
