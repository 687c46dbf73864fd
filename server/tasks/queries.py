"""Every query of the tasks area."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from server.db.bulk import insert_rows
from server.tasks.tables import Task, TaskInspector, TaskItem

TASK_COLUMNS = ("draw", "object", "status", "due_date", "understaffed", "version", "updated_at")
MEMBER_COLUMNS = ("task", "inspector", "department", "pick_order", "active", "removed_reason")
ITEM_COLUMNS = ("task", "item", "department")


async def insert_tasks(rows: Iterable[Sequence[Any]]) -> int:
    """Bulk insert (executemany / COPY) rows in `TASK_COLUMNS` order."""
    return await insert_rows(Task._meta.tablename, TASK_COLUMNS, rows)


async def insert_members(rows: Iterable[Sequence[Any]]) -> int:
    return await insert_rows(TaskInspector._meta.tablename, MEMBER_COLUMNS, rows)


async def insert_items(rows: Iterable[Sequence[Any]]) -> int:
    return await insert_rows(TaskItem._meta.tablename, ITEM_COLUMNS, rows)


async def task_ids_of_draw(draw_id: int) -> dict[int, int]:
    """Object id → task id for every task of a draw."""
    rows = await Task.select(Task.id, Task.object).where(Task.draw == draw_id)
    return {row["object"]: row["id"] for row in rows}


async def task_of(draw_id: int, credit_code: str) -> dict[str, Any] | None:
    return (
        await Task.select(Task.id, Task.understaffed)
        .where(Task.draw == draw_id)
        .where(Task.object.credit_code == credit_code)
        .output(load_json=True)
        .first()
    )


async def active_members(task_id: int) -> list[dict[str, Any]]:
    return await TaskInspector.select(
        TaskInspector.id,
        TaskInspector.inspector,
        TaskInspector.pick_order,
        TaskInspector.inspector.badge_no.as_alias("badge_no"),
        TaskInspector.department.code.as_alias("department_code"),
    ).where((TaskInspector.task == task_id) & (TaskInspector.active == True))  # noqa: E712


async def deactivate_member(member_id: int, reason: str) -> None:
    await TaskInspector.update(
        {TaskInspector.active: False, TaskInspector.removed_reason: reason[:300]}
    ).where(TaskInspector.id == member_id)


async def add_member(task_id: int, inspector_id: int, department_id: int, pick_order: int) -> None:
    await TaskInspector.insert(
        TaskInspector(
            task=task_id,
            inspector=inspector_id,
            department=department_id,
            pick_order=pick_order,
            active=True,
        )
    )


async def set_understaffed(task_id: int, departments: list[str]) -> None:
    await Task.update({Task.understaffed: departments}).where(Task.id == task_id)


async def list_tasks(
    *, draw_public_id: str | None, inspector_id: int | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    query = Task.select(
        Task.id,
        Task.status,
        Task.due_date,
        Task.understaffed,
        Task.version,
        Task.draw.public_id.as_alias("draw_id"),
        Task.draw.plan.code.as_alias("plan_code"),
        Task.object.credit_code.as_alias("object_id"),
        Task.object.name.as_alias("object_name"),
    )
    count = Task.count()
    if draw_public_id is not None:
        query = query.where(Task.draw.public_id == draw_public_id)
        count = count.where(Task.draw.public_id == draw_public_id)
    if inspector_id is not None:
        ids = TaskInspector.select(TaskInspector.task).where(
            (TaskInspector.inspector == inspector_id) & (TaskInspector.active == True)  # noqa: E712
        )
        query = query.where(Task.id.is_in(ids))
        count = count.where(Task.id.is_in(ids))
    rows = await query.order_by(Task.id).limit(limit).offset(offset).output(load_json=True)
    return rows, await count


async def members_of(task_ids: list[int]) -> list[dict[str, Any]]:
    if not task_ids:
        return []
    return (
        await TaskInspector.select(
            TaskInspector.task,
            TaskInspector.pick_order,
            TaskInspector.active,
            TaskInspector.removed_reason,
            TaskInspector.inspector.badge_no.as_alias("badge_no"),
            TaskInspector.inspector.name.as_alias("name"),
            TaskInspector.department.code.as_alias("department_code"),
        )
        .where(TaskInspector.task.is_in(task_ids))
        .order_by(TaskInspector.pick_order)
    )


async def items_of(task_ids: list[int]) -> list[dict[str, Any]]:
    if not task_ids:
        return []
    return (
        await TaskItem.select(
            TaskItem.task,
            TaskItem.item.code.as_alias("code"),
            TaskItem.item.name.as_alias("name"),
            TaskItem.department.code.as_alias("department_code"),
        )
        .where(TaskItem.task.is_in(task_ids))
        .order_by(TaskItem.item.code)
    )
