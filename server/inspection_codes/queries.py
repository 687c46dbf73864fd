"""Every query of the inspection-code area."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import asyncpg
from piccolo.query.functions.aggregate import Count

from server.db.bulk import insert_rows
from server.inspection_codes.tables import (
    AnnualCap,
    BusinessAccess,
    CheckIn,
    DirectedTask,
    InspectionCode,
    Objection,
    ObjectionAttachment,
    Rating,
)
from server.publication.tables import Publication
from server.rosters.tables import Department, InspectionItem, InspectionObject
from server.tasks.tables import Task, TaskInspector, TaskItem

CODE_COLUMNS = (
    "task",
    "code",
    "year",
    "jurisdiction",
    "kind",
    "reason_category",
    "valid_from",
    "signature",
    "key_id",
    "issued_at",
)


async def tasks_without_code(task_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Key fields of tasks that have no code yet (all of them when `task_ids` is None)."""
    query = Task.select(
        Task.id,
        Task.object.credit_code.as_alias("object_id"),
        Task.draw.plan.code.as_alias("plan"),
        Task.draw.plan.year.as_alias("year"),
        Task.draw.plan.window_start.as_alias("valid_from"),
        Task.draw.plan.lead_department.code.as_alias("department"),
    ).where(
        Task.id.not_in(InspectionCode.select(InspectionCode.task)),
        # Directed tasks (no draw) get their code when they are created.
        Task.draw.is_not_null(),
    )
    if task_ids is not None:
        if not task_ids:
            return []
        query = query.where(Task.id.is_in(list(task_ids)))
    return await query.order_by(Task.id)


async def codes_in_use(codes: Iterable[str]) -> set[str]:
    wanted = list(codes)
    if not wanted:
        return set()
    rows = await InspectionCode.select(InspectionCode.code).where(InspectionCode.code.is_in(wanted))
    return {r["code"] for r in rows}


async def insert_codes(rows: Iterable[Sequence[Any]]) -> int:
    """Bulk insert rows in `CODE_COLUMNS` order."""
    return await insert_rows(InspectionCode._meta.tablename, CODE_COLUMNS, rows)


async def by_code(code: str) -> dict[str, Any] | None:
    """A code with what the check page shows of its task."""
    return await (
        InspectionCode.select(
            InspectionCode.all_columns(),
            InspectionCode.task.status.as_alias("task_status"),
            InspectionCode.task.due_date.as_alias("due_date"),
            InspectionCode.task.object.credit_code.as_alias("object_id"),
            InspectionCode.task.object.name.as_alias("object_name"),
            InspectionCode.task.draw.public_id.as_alias("draw_id"),
            InspectionCode.task.draw.plan.code.as_alias("plan"),
            InspectionCode.task.draw.plan.name.as_alias("plan_name"),
            InspectionCode.task.draw.plan.window_start.as_alias("window_start"),
            InspectionCode.task.draw.plan.window_end.as_alias("window_end"),
            InspectionCode.task.draw.plan.lead_department.code.as_alias("department"),
            InspectionCode.task.draw.plan.lead_department.name.as_alias("department_name"),
        )
        .where(InspectionCode.code == code)
        .first()
    )


async def by_task(task_id: int) -> dict[str, Any] | None:
    return await InspectionCode.select().where(InspectionCode.task == task_id).first()


async def officers(task_id: int) -> list[dict[str, Any]]:
    """The active team as on their enforcement certificates: name, badge, department."""
    return await (
        TaskInspector.select(
            TaskInspector.inspector.name.as_alias("name"),
            TaskInspector.inspector.badge_no.as_alias("badge_no"),
            TaskInspector.department.name.as_alias("department"),
        )
        .where(TaskInspector.task == task_id)
        .where(TaskInspector.active.eq(True))
        .order_by(TaskInspector.department)
        .order_by(TaskInspector.pick_order)
    )


async def items(task_id: int) -> list[dict[str, Any]]:
    """The items inspected with their legal basis."""
    return await (
        TaskItem.select(
            TaskItem.item.name.as_alias("name"),
            TaskItem.item.legal_basis.as_alias("legal_basis"),
            TaskItem.department.name.as_alias("department"),
        )
        .where(TaskItem.task == task_id)
        .order_by(TaskItem.id)
    )


async def team_inspector_ids(task_id: int) -> set[int]:
    rows = await TaskInspector.select(TaskInspector.inspector).where(
        TaskInspector.task == task_id, TaskInspector.active.eq(True)
    )
    return {r["inspector"] for r in rows}


async def annual_caps() -> dict[str, int]:
    rows = await AnnualCap.select(AnnualCap.jurisdiction, AnnualCap.cap)
    return {r["jurisdiction"]: r["cap"] for r in rows}


async def inspections_in_year(year: int) -> dict[str, int]:
    """Credit code → inspections in `year`: tasks of the year's plans and directed tasks."""
    rows = await (
        Task.select(Task.object.credit_code.as_alias("object_id"), Count(Task.id).as_alias("n"))
        .where(Task.draw.plan.year == year)
        .group_by(Task.object.credit_code)
    )
    counts = {r["object_id"]: r["n"] for r in rows}
    # Directed tasks have no plan: they count in the year their window starts.
    directed = await DirectedTask.select(
        DirectedTask.task.object.credit_code.as_alias("object_id"),
        DirectedTask.window_start,
    )
    for row in directed:
        if row["window_start"].year == year:
            counts[row["object_id"]] = counts.get(row["object_id"], 0) + 1
    return counts


async def set_annual_cap(jurisdiction: str, cap: int, actor: str, at: Any) -> None:
    existing = (
        await AnnualCap.select(AnnualCap.id).where(AnnualCap.jurisdiction == jurisdiction).first()
    )
    if existing is None:
        await AnnualCap.insert(
            AnnualCap(jurisdiction=jurisdiction, cap=cap, updated_at=at, updated_by=actor)
        )
    else:
        await AnnualCap.update(
            {AnnualCap.cap: cap, AnnualCap.updated_at: at, AnnualCap.updated_by: actor}
        ).where(AnnualCap.id == existing["id"])


async def directed_of(task_id: int) -> dict[str, Any] | None:
    return await (
        DirectedTask.select(
            DirectedTask.all_columns(),
            DirectedTask.department.code.as_alias("department_code"),
            DirectedTask.department.name.as_alias("department_name"),
        )
        .where(DirectedTask.task == task_id)
        .first()
    )


async def object_by_code(credit_code: str) -> dict[str, Any] | None:
    return await (
        InspectionObject.select(InspectionObject.id, InspectionObject.status)
        .where(InspectionObject.credit_code == credit_code)
        .first()
    )


async def department_by_code(code: str) -> dict[str, Any] | None:
    return (
        await Department.select(Department.id, Department.code)
        .where(Department.code == code)
        .first()
    )


async def department_items(department_id: int, codes: list[str]) -> dict[str, int]:
    rows = await InspectionItem.select(InspectionItem.id, InspectionItem.code).where(
        InspectionItem.department == department_id,
        InspectionItem.code.is_in(codes),
        InspectionItem.active.eq(True),
    )
    return {r["code"]: r["id"] for r in rows}


async def insert_directed(
    *,
    object_id: int,
    department_id: int,
    item_ids: list[int],
    reason_category: str,
    reference_no: str,
    window_start: Any,
    window_end: Any,
    actor: str,
    at: Any,
) -> int:
    """The task (no draw), its items and its directed row; returns the task id."""
    task = Task(
        draw=None,
        object=object_id,
        status="assigned",
        due_date=window_end,
        understaffed=[],
        version=1,
        updated_at=at,
    )
    await task.save()
    for item_id in item_ids:
        await TaskItem(task=task.id, item=item_id, department=department_id).save()
    await DirectedTask(
        task=task.id,
        reason_category=reason_category,
        reference_no=reference_no,
        department=department_id,
        window_start=window_start,
        window_end=window_end,
        created_by=actor,
        created_at=at,
    ).save()
    return task.id


async def set_access(task_id: int, code_hash: str, at: Any) -> None:
    await BusinessAccess.delete().where(BusinessAccess.task == task_id)
    await BusinessAccess.insert(BusinessAccess(task=task_id, code_hash=code_hash, issued_at=at))


async def access_of(task_id: int) -> dict[str, Any] | None:
    return await BusinessAccess.select().where(BusinessAccess.task == task_id).first()


async def spend_access_for_rating(task_id: int, at: Any) -> bool:
    """Mark the access code spent for rating; False when another request spent it first."""
    rows = await (
        BusinessAccess.update({BusinessAccess.rated_at: at})
        .where(BusinessAccess.task == task_id, BusinessAccess.rated_at.is_null())
        .returning(BusinessAccess.id)
    )
    return bool(rows)


async def insert_rating(task_id: int, score: int, comment: str, at: Any) -> None:
    await Rating.insert(Rating(task=task_id, score=score, comment=comment, at=at))


async def rating_of(task_id: int) -> dict[str, Any] | None:
    return await Rating.select().where(Rating.task == task_id).first()


async def task_business(task_id: int) -> dict[str, Any] | None:
    return await (
        Task.select(Task.id, Task.object.credit_code.as_alias("credit_code"))
        .where(Task.id == task_id)
        .first()
    )


async def insert_check_in(
    task_id: int,
    inspector_id: int,
    credit_code: str,
    arrived_at: Any,
    received_at: Any,
    latitude: float | None,
    longitude: float | None,
    late: bool,
) -> None:
    await CheckIn.insert(
        CheckIn(
            task=task_id,
            inspector=inspector_id,
            credit_code=credit_code,
            arrived_at=arrived_at,
            received_at=received_at,
            latitude=latitude,
            longitude=longitude,
            late=late,
        )
    )


async def plan_task_ids(plan_code: str, limit: int, offset: int) -> list[int]:
    rows = await (
        Task.select(Task.id)
        .where(Task.draw.plan.code == plan_code)
        .order_by(Task.id)
        .limit(limit)
        .offset(offset)
    )
    return [r["id"] for r in rows]


# Objections (异议)


async def publication_versions(task_id: int) -> list[dict[str, Any]]:
    """The task's published versions, oldest first (version, when, reason)."""
    return await (
        Publication.select(Publication.version, Publication.published_at, Publication.reason)
        .where(Publication.task == task_id)
        .order_by(Publication.version)
    )


async def current_publication(task_id: int) -> dict[str, Any] | None:
    """The task's latest published version with its record (what the business objects to)."""
    return await (
        Publication.select(Publication.version, Publication.published_at, Publication.record)
        .where(Publication.task == task_id)
        .order_by(Publication.version, ascending=False)
        .first()
    )


async def organising_department(task_id: int) -> int | None:
    """The plan's lead department, or the directed task's department."""
    row = await (
        Task.select(Task.draw.plan.lead_department.as_alias("lead"))
        .where(Task.id == task_id)
        .first()
    )
    if row is not None and row["lead"] is not None:
        return row["lead"]
    directed = (
        await DirectedTask.select(DirectedTask.department)
        .where(DirectedTask.task == task_id)
        .first()
    )
    return None if directed is None else directed["department"]


async def objection_exists(task_id: int, version: int) -> bool:
    return await Objection.exists().where(
        (Objection.task == task_id) & (Objection.publication_version == version)
    )


async def insert_objection(values: dict[str, Any]) -> int | None:
    """The new objection's id; None when one for the same task and version was stored first
    (the unique index, for two requests racing on PostgreSQL)."""
    try:
        rows = await Objection.insert(Objection(**values)).returning(Objection.id)
    except (sqlite3.IntegrityError, asyncpg.exceptions.UniqueViolationError):
        return None
    return rows[0]["id"]


async def insert_objection_attachments(objection_id: int, files: Sequence[dict[str, Any]]) -> None:
    if files:
        await ObjectionAttachment.insert(
            *(ObjectionAttachment(objection=objection_id, **f) for f in files)
        )


_OBJECTION_COLUMNS = (
    Objection.all_columns(),
    Objection.department.code.as_alias("department_code"),
    Objection.department.name.as_alias("department_name"),
    Objection.task.object.name.as_alias("business"),
    Objection.task.object.credit_code.as_alias("credit_code"),
)


async def objections_of_task(task_id: int) -> list[dict[str, Any]]:
    return await (
        Objection.select(*_OBJECTION_COLUMNS)
        .where(Objection.task == task_id)
        .order_by(Objection.id)
    )


async def objection(objection_id: int) -> dict[str, Any] | None:
    return await Objection.select(*_OBJECTION_COLUMNS).where(Objection.id == objection_id).first()


def _visible_to(department_id: int | None) -> Any:
    """Objections of tasks the department organises or has items on (None: every one)."""
    if department_id is None:
        return None
    return (Objection.department == department_id) | Objection.task.is_in(
        TaskItem.select(TaskItem.task).where(TaskItem.department == department_id)
    )


async def objection_page(
    department_id: int | None, status: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Open ones first, then by due day and id."""
    query = Objection.select(*_OBJECTION_COLUMNS)
    count = Objection.count()
    where = _visible_to(department_id)
    if where is not None:
        query = query.where(where)
        count = count.where(where)
    if status is not None:
        query = query.where(Objection.status == status)
        count = count.where(Objection.status == status)
    rows = await (
        query.order_by(Objection.status)
        .order_by(Objection.due_on)
        .order_by(Objection.id)
        .limit(limit)
        .offset(offset)
    )
    return rows, await count


async def attachments_of(objection_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if not objection_ids:
        return found
    rows = await (
        ObjectionAttachment.select()
        .where(ObjectionAttachment.objection.is_in(list(objection_ids)))
        .order_by(ObjectionAttachment.id)
    )
    for row in rows:
        found.setdefault(row["objection"], []).append(row)
    return found


async def decide_objection(objection_id: int, values: dict[str, Any]) -> bool:
    """Record the decision on a still open objection; False when someone decided it first."""
    rows = await (
        Objection.update(values)
        .where((Objection.id == objection_id) & (Objection.status == "filed"))
        .returning(Objection.id)
    )
    return bool(rows)


async def check_in_at(task_id: int, inspector_id: int, arrived_at: Any) -> dict[str, Any] | None:
    """The check-in already stored for this arrival (a resend after a lost answer)."""
    return await (
        CheckIn.select(CheckIn.id, CheckIn.late)
        .where(
            (CheckIn.task == task_id)
            & (CheckIn.inspector == inspector_id)
            & (CheckIn.arrived_at == arrived_at)
        )
        .first()
    )


async def open_objections() -> list[dict[str, Any]]:
    return await (
        Objection.select(
            Objection.id,
            Objection.task,
            Objection.department,
            Objection.due_on,
            Objection.task.object.name.as_alias("business"),
        )
        .where(Objection.status == "filed")
        .order_by(Objection.id)
    )
