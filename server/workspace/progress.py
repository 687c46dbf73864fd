"""The progress dashboard of a plan (进度看板), as plain Python over the rows the
queries return: tasks by status, understaffed tasks, days left to each publication
deadline (overdue and provisional marked), filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
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


# --- directed tasks (定向检查) created by hand on the dashboard

DIRECTED_FIELDS = ("business", "department", "reason_category", "reference_no")
DIRECTED_DATES = ("window_start", "window_end")
MAX_DIRECTED_DAYS = 92
"""As `server.inspection_codes.directed`: a directed inspection is prompt."""


@dataclass(frozen=True)
class DirectedLine:
    task_id: int
    code: str
    credit_code: str
    business: str
    department: str
    reason_zh: str
    reference_no: str
    window: str
    status: str
    status_zh: str
    team: list[str]


def directed_lines(
    rows: Sequence[Mapping[str, Any]],
    members: Sequence[Mapping[str, Any]],
    reasons_zh: Mapping[str, str],
) -> list[DirectedLine]:
    teams: dict[int, list[str]] = {}
    for m in members:
        if m["active"]:
            teams.setdefault(m["task"], []).append(f"{m['name']}（{m['badge_no']}）")
    return [
        DirectedLine(
            task_id=r["id"],
            code=r["code"],
            credit_code=r["object_id"],
            business=r["object_name"],
            department=r["department_code"],
            reason_zh=reasons_zh.get(r["reason_category"], r["reason_category"]),
            reference_no=r["reference_no"],
            window=f"{r['window_start']} 至 {r['window_end']}",
            status=r["status"],
            status_zh=TASK_STATUS_ZH.get(r["status"], r["status"]),
            team=teams.get(r["id"], []),
        )
        for r in rows
    ]


def read_directed_form(
    values: Mapping[str, str],
    items: Sequence[str],
    badges: Sequence[str],
    reasons: Collection[str],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The typed values (kept for the form) and an error per field, before any lookup."""
    typed: dict[str, Any] = {k: values.get(k, "").strip()[:200] for k in DIRECTED_FIELDS}
    typed.update({k: values.get(k, "").strip()[:10] for k in DIRECTED_DATES})
    typed["items"] = [i for i in dict.fromkeys(items) if i][:50]
    typed["badges"] = [b for b in dict.fromkeys(badges) if b][:11]
    errors = {k: "必填" for k in (*DIRECTED_FIELDS, *DIRECTED_DATES) if not typed[k]}
    if typed["reason_category"] and typed["reason_category"] not in reasons:
        errors["reason_category"] = "请选择原因类别"
    if len(typed["reference_no"]) > 64:
        errors["reference_no"] = "最多64个字符"
    if not typed["items"]:
        errors["items"] = "至少选择一项检查事项"
    if len(typed["badges"]) < 2:
        errors["badges"] = "现场检查至少需要2名执法人员"
    days = {}
    for k in DIRECTED_DATES:
        try:
            days[k] = date.fromisoformat(typed[k]) if typed[k] else None
        except ValueError:
            errors[k] = "日期格式应为YYYY-MM-DD"
    start, end = days.get("window_start"), days.get("window_end")
    if start and end and not start <= end:
        errors["window_end"] = "结束日期不能早于开始日期"
    elif start and end and (end - start).days > MAX_DIRECTED_DAYS:
        errors["window_end"] = f"检查时段最长{MAX_DIRECTED_DAYS}天"
    return typed, errors
