"""Every query of the tasks area."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from server.db.bulk import insert_rows
from server.inspection_codes.tables import DirectedTask, InspectionCode
from server.rosters.tables import Department, InspectionItem, InspectionObject, Inspector
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


# --- a directed task's team, assigned by hand


async def directed_task(task_id: int) -> dict[str, Any] | None:
    """The task with its directed row (None for a drawn task: `directed_id` is None)."""
    task = await (
        Task.select(
            Task.id,
            Task.status,
            Task.draw,
            Task.object.credit_code.as_alias("object_id"),
        )
        .where(Task.id == task_id)
        .first()
    )
    if task is None:
        return None
    row = await (
        DirectedTask.select(
            DirectedTask.id,
            DirectedTask.reason_category,
            DirectedTask.department,
            DirectedTask.department.code.as_alias("department_code"),
        )
        .where(DirectedTask.task == task_id)
        .first()
    )
    task["directed_id"] = row["id"] if row else None
    task["department"] = row["department"] if row else None
    task["department_code"] = row["department_code"] if row else ""
    return task


async def required_qualifications(task_id: int, department_id: int) -> set[str]:
    rows = await (
        TaskItem.select(TaskItem.item.required_qualifications.as_alias("q"))
        .where((TaskItem.task == task_id) & (TaskItem.department == department_id))
        .output(load_json=True)
    )
    return {q for row in rows for q in (row["q"] or [])}


async def all_members(task_id: int) -> list[dict[str, Any]]:
    return await TaskInspector.select(
        TaskInspector.id,
        TaskInspector.inspector,
        TaskInspector.active,
        TaskInspector.inspector.badge_no.as_alias("badge_no"),
    ).where(TaskInspector.task == task_id)


async def reactivate_member(member_id: int, pick_order: int) -> None:
    await TaskInspector.update(
        {
            TaskInspector.active: True,
            TaskInspector.removed_reason: "",
            TaskInspector.pick_order: pick_order,
        }
    ).where(TaskInspector.id == member_id)


async def directed_kinds(task_ids: list[int]) -> dict[int, str]:
    """Task id → reason category, for the directed ones among `task_ids`."""
    if not task_ids:
        return {}
    rows = await DirectedTask.select(DirectedTask.task, DirectedTask.reason_category).where(
        DirectedTask.task.is_in(task_ids)
    )
    return {row["task"]: row["reason_category"] for row in rows}


async def directed_tasks_of(department_id: int | None, limit: int) -> list[dict[str, Any]]:
    """Directed tasks, newest first, of one department (None: every department)."""
    query = DirectedTask.select(
        DirectedTask.task,
        DirectedTask.reason_category,
        DirectedTask.reference_no,
        DirectedTask.window_start,
        DirectedTask.window_end,
        DirectedTask.created_by,
        DirectedTask.department.code.as_alias("department_code"),
        DirectedTask.task.status.as_alias("status"),
        DirectedTask.task.object.credit_code.as_alias("object_id"),
        DirectedTask.task.object.name.as_alias("object_name"),
    )
    if department_id is not None:
        query = query.where(DirectedTask.department == department_id)
    rows = await query.order_by(DirectedTask.id, ascending=False).limit(limit)
    codes = await InspectionCode.select(InspectionCode.task, InspectionCode.code).where(
        InspectionCode.task.is_in([r["task"] for r in rows] or [0])
    )
    by_task = {c["task"]: c["code"] for c in codes}
    for row in rows:
        row["id"] = row["task"]
        row["code"] = by_task.get(row["task"], "")
        row["understaffed"] = []
    return rows


async def departments_for_directed(department_id: int | None) -> list[dict[str, Any]]:
    """Departments a caller may create directed tasks for (None: every department)."""
    query = Department.select(Department.id, Department.code, Department.name)
    if department_id is not None:
        query = query.where(Department.id == department_id)
    return await query.order_by(Department.code)


async def active_items_of(department_ids: list[int]) -> list[dict[str, Any]]:
    if not department_ids:
        return []
    return (
        await InspectionItem.select(
            InspectionItem.code,
            InspectionItem.name,
            InspectionItem.department.code.as_alias("department_code"),
        )
        .where(InspectionItem.department.is_in(department_ids) & InspectionItem.active.eq(True))
        .order_by(InspectionItem.code)
        .limit(500)
    )


async def active_officers_of(department_ids: list[int]) -> list[dict[str, Any]]:
    if not department_ids:
        return []
    return (
        await Inspector.select(
            Inspector.badge_no,
            Inspector.name,
            Inspector.department.code.as_alias("department_code"),
        )
        .where(Inspector.department.is_in(department_ids) & (Inspector.status == "active"))
        .order_by(Inspector.badge_no)
        .limit(500)
    )


async def objects_named(name: str, limit: int = 2) -> list[dict[str, Any]]:
    """Businesses whose name is exactly `name` (at most `limit`)."""
    return (
        await InspectionObject.select(InspectionObject.credit_code, InspectionObject.name)
        .where(InspectionObject.name == name)
        .limit(limit)
    )


async def field_marks(task_ids: list[int]) -> dict[int, dict[str, str]]:
    """Task id → what the tablet shows besides the package: the inspection code with its
    signature (亮码 offline) and, for a directed task, its reason category."""
    if not task_ids:
        return {}
    rows = await InspectionCode.select(
        InspectionCode.task,
        InspectionCode.code,
        InspectionCode.signature,
        InspectionCode.kind,
        InspectionCode.reason_category,
    ).where(InspectionCode.task.is_in(task_ids))
    marks = {
        r["task"]: {k: r[k] for k in ("code", "signature", "kind", "reason_category")} for r in rows
    }
    # A directed task is directed whatever its code says (a code issued late, or none yet).
    for task_id, reason in (await directed_kinds(task_ids)).items():
        mark = marks.setdefault(task_id, {"code": "", "signature": ""})
        mark.update(kind="directed", reason_category=reason)
    return marks
