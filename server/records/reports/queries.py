"""Every query of reports (报表) and the accountability view (问责): facts, rosters, stored files.

Facts are read per year of plan (a report never spans two years) in chunks of
task ids, so no `IN (…)` list passes SQLite's variable limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import msgspec
from piccolo.columns import Column

from server.accounts.tables import User
from server.calendar.tables import TaskDeadline
from server.field.tables import ItemResult, ResultVersion, TaskSubmission
from server.inspection_codes.tables import DirectedTask, InspectionCode, Objection, Rating
from server.plans.tables import Plan, PlanItem
from server.publication.tables import Publication, ReviewDecision
from server.records.reports.tables import Report
from server.rosters.tables import Department, InspectionItem, InspectionObject, Inspector
from server.tasks.tables import TaskInspector, TaskItem

_IN_CHUNK = 900
PUBLISHED_PLAN = ("published", "drawn", "closed")
"""A plan in force: approved and made public (draft and approved are not yet rules in place)."""


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


async def _by_task(
    columns: Sequence[Column], task_column: Column, task_ids: Sequence[int]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(task_ids):
        rows.extend(
            await task_column._meta.table.select(*columns).where(task_column.is_in(list(chunk)))
        )
    return rows


async def departments() -> list[dict[str, Any]]:
    return await Department.select(Department.id, Department.code, Department.name).order_by(
        Department.code
    )


async def department_by_code(code: str) -> dict[str, Any] | None:
    return (
        await Department.select(Department.id, Department.code, Department.name)
        .where(Department.code == code)
        .first()
    )


async def task_items(year: int, department_id: int | None) -> list[dict[str, Any]]:
    """Every inspection item on a task of a drawn plan of the year (or the year before)."""
    query = TaskItem.select(
        TaskItem.task.as_alias("task"),
        TaskItem.item.code.as_alias("item_code"),
        TaskItem.item.name.as_alias("item_name"),
        TaskItem.department.code.as_alias("department"),
        TaskItem.task.draw.drawn_at.as_alias("drawn_at"),
        TaskItem.task.completed_at_device.as_alias("completed_at"),
        TaskItem.task.submitted_at.as_alias("submitted_at"),
        TaskItem.task.due_date.as_alias("due_date"),
        TaskItem.task.draw.plan.year.as_alias("year"),
    ).where(TaskItem.task.draw.plan.year.is_in([year - 1, year]))
    if department_id is not None:
        query = query.where(TaskItem.department == department_id)
    return await query.order_by(TaskItem.id)


async def current_bodies(task_ids: Sequence[int]) -> dict[tuple[int, str], dict[str, Any]]:
    """(task, item code) → the body of the item's current result version."""
    heads = await _by_task(
        [
            ItemResult.task,
            ItemResult.item.code.as_alias("item_code"),
            ItemResult.result_uuid,
            ItemResult.version,
        ],
        ItemResult.task,
        task_ids,
    )
    versions = await _by_task(
        [ResultVersion.result_uuid, ResultVersion.version, ResultVersion.body],
        ResultVersion.task,
        task_ids,
    )
    body_of = {(row["result_uuid"], row["version"]): _decoded(row["body"]) for row in versions}
    return {
        (row["task"], row["item_code"]): body_of.get((row["result_uuid"], row["version"])) or {}
        for row in heads
    }


def _decoded(body: Any) -> dict[str, Any]:
    # A JSON column comes back as text on SQLite and as a value on PostgreSQL.
    return msgspec.json.decode(body) if isinstance(body, str | bytes) else (body or {})


async def deadlines(task_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    rows = await _by_task(
        [TaskDeadline.task, TaskDeadline.deadline, TaskDeadline.published_on],
        TaskDeadline.task,
        task_ids,
    )
    return {row["task"]: row for row in rows}


async def directed(task_ids: Sequence[int]) -> set[int]:
    rows = await _by_task([InspectionCode.task, InspectionCode.kind], InspectionCode.task, task_ids)
    return {row["task"] for row in rows if row["kind"] == "directed"}


async def first_publications(task_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    rows = await _by_task(
        [Publication.task, Publication.version, Publication.published_at, Publication.published_by],
        Publication.task,
        task_ids,
    )
    return {row["task"]: row for row in rows if row["version"] == 1}


async def published_plans(year: int, department_id: int | None) -> list[dict[str, Any]]:
    query = Plan.select(Plan.code, Plan.name, Plan.lead_department).where(
        Plan.year == year, Plan.status.is_in(list(PUBLISHED_PLAN))
    )
    if department_id is not None:
        query = query.where(Plan.lead_department == department_id)
    return await query.order_by(Plan.code)


async def plan_ratios(year: int) -> list[dict[str, Any]]:
    """Each item of a plan in force this year, with the plan's ratios."""
    rows = await PlanItem.select(
        PlanItem.item.code.as_alias("item_code"),
        PlanItem.plan.ratios.as_alias("ratios"),
        PlanItem.plan.general_cap.as_alias("general_cap"),
        PlanItem.plan.code.as_alias("plan_code"),
    ).where(PlanItem.plan.year == year, PlanItem.plan.status.is_in(list(PUBLISHED_PLAN)))
    return [{**row, "ratios": _decoded(row["ratios"])} for row in rows]


async def active_items(department_id: int | None) -> list[str]:
    query = InspectionItem.select(InspectionItem.code).where(InspectionItem.active.eq(True))
    if department_id is not None:
        query = query.where(InspectionItem.department == department_id)
    return [row["code"] for row in await query]


async def active_inspectors(department_id: int | None) -> int:
    query = Inspector.count().where(Inspector.status == "active")
    if department_id is not None:
        query = query.where(Inspector.department == department_id)
    return await query


async def active_objects() -> int:
    return await InspectionObject.count().where(InspectionObject.status == "active")


# Stored reports


async def insert_report(values: dict[str, Any]) -> int:
    rows = await Report.insert(Report(**values)).returning(Report.id)
    return rows[0]["id"]


_LISTED = (
    Report.id,
    Report.kind,
    Report.period,
    Report.department,
    Report.generated_at,
    Report.generated_by,
    Report.sha256,
    Report.size,
)


async def list_reports(
    departments: Sequence[str] | None, kind: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Newest first; `departments` None: every report, else those departments' ('' combined)."""
    query = Report.select(*_LISTED)
    count = Report.count()
    if departments is not None:
        query = query.where(Report.department.is_in(list(departments)))
        count = count.where(Report.department.is_in(list(departments)))
    if kind is not None:
        query = query.where(Report.kind == kind)
        count = count.where(Report.kind == kind)
    rows = await query.order_by(Report.id, ascending=False).limit(limit).offset(offset)
    return rows, await count


async def report(report_id: int) -> dict[str, Any] | None:
    return await Report.select(*_LISTED, Report.content).where(Report.id == report_id).first()


async def report_exists(kind: str, period: str, department: str) -> bool:
    return await Report.exists().where(
        Report.kind == kind, Report.period == period, Report.department == department
    )


# Accountability (问责)


async def overdue_tasks(today: date, department_id: int | None) -> list[dict[str, Any]]:
    """Items on tasks of plans whose inspection window ended before `today`."""
    query = TaskItem.select(
        TaskItem.task.as_alias("task"),
        TaskItem.department.code.as_alias("department"),
        TaskItem.task.status.as_alias("status"),
        TaskItem.task.due_date.as_alias("due_date"),
        TaskItem.task.submitted_at.as_alias("submitted_at"),
        TaskItem.task.draw.plan.code.as_alias("plan_code"),
        TaskItem.task.draw.plan.window_end.as_alias("window_end"),
        TaskItem.task.object.name.as_alias("object_name"),
        TaskItem.task.object.credit_code.as_alias("credit_code"),
    ).where(TaskItem.task.draw.plan.window_end < today)
    if department_id is not None:
        query = query.where(TaskItem.department == department_id)
    return await query.order_by(TaskItem.task)


async def late_or_overdue_deadlines(today: date, department_id: int | None) -> list[dict[str, Any]]:
    """Deadlines published after the day, or passed unpublished."""
    query = TaskDeadline.select(
        TaskDeadline.task,
        TaskDeadline.department.code.as_alias("department"),
        TaskDeadline.deadline,
        TaskDeadline.published_on,
        TaskDeadline.provisional,
        TaskDeadline.task.draw.plan.code.as_alias("plan_code"),
        TaskDeadline.task.object.name.as_alias("object_name"),
        TaskDeadline.task.object.credit_code.as_alias("credit_code"),
    ).where(TaskDeadline.deadline < today)
    if department_id is not None:
        query = query.where(TaskDeadline.department == department_id)
    rows = await query.order_by(TaskDeadline.task)
    return [r for r in rows if r["published_on"] is None or r["published_on"] > r["deadline"]]


async def submissions(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    return await _by_task(
        [
            TaskSubmission.task,
            TaskSubmission.department.code.as_alias("department"),
            TaskSubmission.submitted_at,
        ],
        TaskSubmission.task,
        task_ids,
    )


async def all_submissions(department_id: int | None) -> list[dict[str, Any]]:
    """Every department submission with its task's last day (the late ones are picked in Python:
    comparing a China-time day with a timestamp is not portable SQL)."""
    query = TaskSubmission.select(
        TaskSubmission.task,
        TaskSubmission.department.code.as_alias("department"),
        TaskSubmission.submitted_at,
        TaskSubmission.task.due_date.as_alias("due_date"),
        TaskSubmission.task.draw.plan.code.as_alias("plan_code"),
        TaskSubmission.task.object.name.as_alias("object_name"),
        TaskSubmission.task.object.credit_code.as_alias("credit_code"),
    )
    if department_id is not None:
        query = query.where(TaskSubmission.department == department_id)
    return await query.order_by(TaskSubmission.task)


async def back_office(department_codes: Iterable[str]) -> list[dict[str, Any]]:
    """Active back-office staff (内勤) of the departments: who publishes when nobody reviewed."""
    codes = sorted(set(department_codes))
    if not codes:
        return []
    return await User.select(
        User.username, User.display_name, User.department.code.as_alias("department")
    ).where((User.role == "back_office") & User.active.eq(True) & User.department.code.is_in(codes))


async def teams(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Active team members per task and department (检查组成员)."""
    rows = await _by_task(
        [
            TaskInspector.task,
            TaskInspector.department.code.as_alias("department"),
            TaskInspector.inspector.name.as_alias("name"),
            TaskInspector.inspector.badge_no.as_alias("badge_no"),
            TaskInspector.active,
        ],
        TaskInspector.task,
        task_ids,
    )
    return [row for row in rows if row["active"]]


async def reviewers(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    return await _by_task(
        [ReviewDecision.task, ReviewDecision.reviewer, ReviewDecision.decided_at],
        ReviewDecision.task,
        task_ids,
    )


async def display_names(usernames: Iterable[str]) -> dict[str, str]:
    names = sorted(set(usernames))
    found: dict[str, str] = {}
    for chunk in _chunks(names):
        rows = await User.select(User.username, User.display_name).where(
            User.username.is_in(list(chunk))
        )
        found.update({row["username"]: row["display_name"] for row in rows})
    return found


async def generated_since(username: str, since: datetime) -> int:
    return await Report.count().where(
        (Report.generated_by == username) & (Report.generated_at > since)
    )


# Ratings and objections (企业评价与异议)


async def ratings_between(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Ratings given in [start, end) with the organising department's code."""
    rows = await Rating.select(
        Rating.task,
        Rating.score,
        Rating.at,
        Rating.task.draw.plan.lead_department.code.as_alias("department"),
    ).where((Rating.at >= start) & (Rating.at < end))
    # A directed task has no plan: its department is on its directed row.
    undrawn = sorted({row["task"] for row in rows if row["department"] is None})
    directed = {
        row["task"]: row["department"]
        for row in await _by_task(
            [DirectedTask.task, DirectedTask.department.code.as_alias("department")],
            DirectedTask.task,
            undrawn,
        )
    }
    return [
        {**row, "department": row["department"] or directed.get(row["task"], "")} for row in rows
    ]


async def objections_between(start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Objections filed in [start, end) with the organising department's code."""
    return await (
        Objection.select(
            Objection.id,
            Objection.task,
            Objection.filed_at,
            Objection.due_on,
            Objection.status,
            Objection.decided_at,
            Objection.department.code.as_alias("department"),
        )
        .where((Objection.filed_at >= start) & (Objection.filed_at < end))
        .order_by(Objection.id)
    )
