"""Every query of review and publication."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from server.calendar.tables import TaskDeadline
from server.field.tables import ResultConflict
from server.inspection_codes.tables import DirectedTask
from server.publication.tables import Publication, PublicEntry, ReviewDecision
from server.tasks.tables import Task, TaskItem

_TASK_COLUMNS = (
    Task.id,
    Task.status,
    Task.submitted_at,
    Task.completed_at_device,
    Task.draw.public_id.as_alias("draw_id"),
    Task.draw.plan.code.as_alias("plan_code"),
    Task.draw.plan.name.as_alias("plan_name"),
    Task.draw.plan.lead_department.as_alias("lead_department"),
    Task.draw.plan.lead_department.name.as_alias("lead_department_name"),
    Task.draw.plan.lead_department.code.as_alias("lead_department_code"),
    Task.object.name.as_alias("object_name"),
    Task.object.credit_code.as_alias("credit_code"),
)


async def task(task_id: int) -> dict[str, Any] | None:
    row = await Task.select(*_TASK_COLUMNS).where(Task.id == task_id).first()
    if row is None or row["draw_id"] is not None:
        return row
    # A directed task (定向检查) has no draw and no plan: its department leads it.
    directed = await (
        DirectedTask.select(
            DirectedTask.department.as_alias("lead_department"),
            DirectedTask.department.name.as_alias("lead_department_name"),
            DirectedTask.department.code.as_alias("lead_department_code"),
        )
        .where(DirectedTask.task == task_id)
        .first()
    )
    return {**row, **(directed or {}), "plan_code": "", "plan_name": "", "directed": True}


async def task_items(task_id: int) -> list[dict[str, Any]]:
    return (
        await TaskItem.select(
            TaskItem.item,
            TaskItem.item.code.as_alias("code"),
            TaskItem.item.name.as_alias("name"),
            TaskItem.department,
            TaskItem.department.code.as_alias("department_code"),
            TaskItem.department.name.as_alias("department_name"),
        )
        .where(TaskItem.task == task_id)
        .order_by(TaskItem.id)
    )


async def decisions(task_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = list(task_ids)
    if not ids:
        return []
    return (
        await ReviewDecision.select(
            ReviewDecision.all_columns(), ReviewDecision.item.code.as_alias("item_code")
        )
        .where(ReviewDecision.task.is_in(ids))
        .order_by(ReviewDecision.id)
    )


async def open_conflicts(task_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = list(task_ids)
    if not ids:
        return []
    return await ResultConflict.select(
        ResultConflict.id, ResultConflict.task, ResultConflict.item
    ).where(ResultConflict.task.is_in(ids) & (ResultConflict.status == "open"))


async def latest_decision(task_id: int, item_id: int) -> dict[str, Any] | None:
    return (
        await ReviewDecision.select()
        .where((ReviewDecision.task == task_id) & (ReviewDecision.item == item_id))
        .order_by(ReviewDecision.id, ascending=False)
        .first()
    )


async def insert_decision(values: dict[str, Any]) -> int:
    rows = await ReviewDecision.insert(ReviewDecision(**values)).returning(ReviewDecision.id)
    return rows[0]["id"]


async def publications(task_id: int) -> list[dict[str, Any]]:
    return (
        await Publication.select().where(Publication.task == task_id).order_by(Publication.version)
    )


async def publication_by_id(publication_id: int) -> dict[str, Any] | None:
    return await Publication.select().where(Publication.id == publication_id).first()


async def insert_publication(values: dict[str, Any]) -> int:
    rows = await Publication.insert(Publication(**values)).returning(Publication.id)
    return rows[0]["id"]


async def insert_entry(values: dict[str, Any]) -> None:
    await PublicEntry.insert(PublicEntry(**values))


async def supersede_entries(task_id: int) -> None:
    await PublicEntry.update({PublicEntry.current: False}).where(
        (PublicEntry.task == task_id) & PublicEntry.current.eq(True)
    )


async def review_queue(
    *,
    department_id: int | None,
    plan_code: str | None,
    published: bool | None,
    due_before: date | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Submitted tasks (and published ones) with their deadlines, earliest deadline first."""
    where = [Task.status.is_in(["submitted", "closed"])]
    if department_id is not None:
        where.append(
            Task.id.is_in(
                TaskItem.select(TaskItem.task).where(TaskItem.department == department_id)
            )
        )
    if plan_code:
        where.append(Task.draw.plan.code == plan_code)
    if published is not None:
        published_tasks = Publication.select(Publication.task)
        where.append(
            Task.id.is_in(published_tasks) if published else Task.id.not_in(published_tasks)
        )
    if due_before is not None:
        where.append(
            Task.id.is_in(
                TaskDeadline.select(TaskDeadline.task).where(TaskDeadline.deadline <= due_before)
            )
        )
    query = Task.select(*_TASK_COLUMNS)
    count = Task.count()
    for clause in where:
        query = query.where(clause)
        count = count.where(clause)
    rows = await query.order_by(Task.submitted_at).order_by(Task.id).limit(limit).offset(offset)
    return rows, await count


async def published_task_ids(task_ids: Iterable[int]) -> set[int]:
    ids = list(task_ids)
    if not ids:
        return set()
    rows = await Publication.select(Publication.task).where(Publication.task.is_in(ids))
    return {row["task"] for row in rows}
