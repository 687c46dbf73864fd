"""Every query of field sync and conflict review."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import msgspec
from piccolo.engine.postgres import PostgresEngine

from server.field.tables import (
    Attachment,
    ItemResult,
    ItemTemplate,
    ResultConflict,
    ResultVersion,
    TaskSubmission,
    VisitVersion,
)
from server.rosters.tables import Inspector
from server.tasks.tables import Task, TaskChange, TaskInspector, TaskItem

# --- the task feed


async def changes_since(inspector_id: int, since: int, limit: int) -> list[dict[str, Any]]:
    return (
        await TaskChange.select(TaskChange.id, TaskChange.task, TaskChange.kind)
        .where((TaskChange.inspector == inspector_id) & (TaskChange.id > since))
        .order_by(TaskChange.id)
        .limit(limit)
    )


async def active_memberships(inspector_id: int, task_ids: Iterable[int]) -> dict[int, str]:
    """Task id → the department code the inspector serves on it, for active memberships."""
    ids = list(task_ids)
    if not ids:
        return {}
    rows = await TaskInspector.select(
        TaskInspector.task, TaskInspector.department.code.as_alias("department")
    ).where(
        (TaskInspector.inspector == inspector_id)
        & TaskInspector.task.is_in(ids)
        & (TaskInspector.active.eq(True))
    )
    return {row["task"]: row["department"] for row in rows}


async def tasks_for_packages(task_ids: list[int]) -> list[dict[str, Any]]:
    return await Task.select(
        Task.id,
        Task.version,
        Task.status,
        Task.due_date,
        Task.draw.public_id.as_alias("draw_id"),
        Task.draw.plan.code.as_alias("plan_code"),
        Task.draw.plan.name.as_alias("plan_name"),
        Task.object.credit_code.as_alias("credit_code"),
        Task.object.name.as_alias("object_name"),
        Task.object.address.as_alias("address"),
        Task.object.region.as_alias("region"),
        Task.object.industry_code.as_alias("industry_code"),
        Task.object.risk_class.as_alias("risk_class"),
        Task.object.licences.as_alias("licences"),
    ).where(Task.id.is_in(task_ids))


async def teams(task_ids: list[int]) -> list[dict[str, Any]]:
    return (
        await TaskInspector.select(
            TaskInspector.task,
            TaskInspector.inspector.badge_no.as_alias("badge_no"),
            TaskInspector.inspector.name.as_alias("name"),
            TaskInspector.department.code.as_alias("department"),
        )
        .where(TaskInspector.task.is_in(task_ids) & TaskInspector.active.eq(True))
        .order_by(TaskInspector.pick_order)
        .order_by(TaskInspector.id)
    )


async def items_of_tasks(task_ids: list[int]) -> list[dict[str, Any]]:
    return (
        await TaskItem.select(
            TaskItem.task,
            TaskItem.item,
            TaskItem.item.code.as_alias("code"),
            TaskItem.item.name.as_alias("name"),
            TaskItem.department.code.as_alias("department"),
            TaskItem.item.legal_basis.as_alias("legal_basis"),
            TaskItem.item.kind.as_alias("kind"),
            TaskItem.item.checklist.as_alias("checklist"),
        )
        .where(TaskItem.task.is_in(task_ids))
        .order_by(TaskItem.id)
    )


async def submissions_of_tasks(task_ids: list[int]) -> list[dict[str, Any]]:
    return await TaskSubmission.select(
        TaskSubmission.task,
        TaskSubmission.department.code.as_alias("department"),
        TaskSubmission.submitted_at,
    ).where(TaskSubmission.task.is_in(task_ids))


# --- authority


async def lock_task(task_id: int) -> dict[str, Any] | None:
    """The task row (id, status, version, updated_at), locked for the rest of the write transaction.

    On PostgreSQL `FOR UPDATE` serialises writers of one task (two devices
    creating the first result of one item) and holds off a change of its team
    (which raises its version) until the write commits; on SQLite the IMMEDIATE
    write transaction already does.
    """
    lock = " FOR UPDATE" if isinstance(Task._meta.db, PostgresEngine) else ""
    sql = f"SELECT id, status, version, updated_at FROM task WHERE id = {{}}{lock}"
    rows = await Task.raw(sql, task_id)
    return rows[0] if rows else None


async def memberships(task_id: int, inspector_id: int) -> list[dict[str, Any]]:
    return (
        await TaskInspector.select(
            TaskInspector.department,
            TaskInspector.department.code.as_alias("department_code"),
            TaskInspector.active,
            TaskInspector.removed_reason,
        )
        .where((TaskInspector.task == task_id) & (TaskInspector.inspector == inspector_id))
        .order_by(TaskInspector.id)
    )


async def task_item(task_id: int, item_code: str) -> dict[str, Any] | None:
    return (
        await TaskItem.select(
            TaskItem.item,
            TaskItem.department,
            TaskItem.department.code.as_alias("department_code"),
            TaskItem.item.checklist.as_alias("checklist"),
        )
        .where((TaskItem.task == task_id) & (TaskItem.item.code == item_code))
        .first()
    )


async def department_items(task_id: int, department_id: int) -> list[dict[str, Any]]:
    return (
        await TaskItem.select(
            TaskItem.item,
            TaskItem.item.code.as_alias("code"),
            TaskItem.item.checklist.as_alias("checklist"),
        )
        .where((TaskItem.task == task_id) & (TaskItem.department == department_id))
        .order_by(TaskItem.id)
    )


async def task_departments(task_id: int) -> set[int]:
    """Departments with items or active members on the task: each must submit."""
    items = await TaskItem.select(TaskItem.department).where(TaskItem.task == task_id)
    members = await TaskInspector.select(TaskInspector.department).where(
        (TaskInspector.task == task_id) & TaskInspector.active.eq(True)
    )
    return {row["department"] for row in [*items, *members]}


# --- the hot path of a result write: statements written out (Piccolo's query builder
# rebuilt each of them, joins included, on every call: ~20 % of the server's CPU)


async def team_of_task(task_id: int) -> list[dict[str, Any]]:
    """Every membership of the task (active or not), in the order they were made."""
    return await TaskInspector.raw(
        "SELECT m.inspector, m.department, d.code AS department_code, m.active,"
        " m.removed_reason FROM task_inspector m JOIN department d ON d.id = m.department"
        " WHERE m.task = {} ORDER BY m.id",
        task_id,
    )


async def items_of_task(task_id: int) -> list[dict[str, Any]]:
    return await TaskItem.raw(
        "SELECT t.item, i.code, t.department, d.code AS department_code FROM task_item t"
        " JOIN inspection_item i ON i.id = t.item JOIN department d ON d.id = t.department"
        " WHERE t.task = {} ORDER BY t.id",
        task_id,
    )


async def item_checklist(item_id: int) -> Any:
    """The item's current checklist template (JSON text as the engine gives it)."""
    rows = await TaskItem.raw("SELECT checklist FROM inspection_item WHERE id = {}", item_id)
    return rows[0]["checklist"] if rows else None


async def result_history(result_uuid: str) -> list[dict[str, Any]]:
    """Every version ever stored under a result id, oldest first, without their bodies:
    enough to recognise a retry, the id's owner and the head's version."""
    return await ResultVersion.raw(
        'SELECT id, task, item, "user", device_id, inspector, version, accepted, body_hash'
        " FROM result_version WHERE result_uuid = {} ORDER BY id",
        result_uuid,
    )


async def head_of(task_id: int, item_id: int) -> dict[str, Any] | None:
    """The result head of a task's item (one per task and item), whatever its id."""
    rows = await ItemResult.raw(
        "SELECT id, result_uuid, version FROM item_result WHERE task = {} AND item = {}",
        task_id,
        item_id,
    )
    return rows[0] if rows else None


async def submitted(task_id: int, department_id: int) -> bool:
    rows = await TaskSubmission.raw(
        "SELECT id FROM task_submission WHERE task = {} AND department = {} LIMIT 1",
        task_id,
        department_id,
    )
    return bool(rows)


async def add_version(
    *,
    result_uuid: str,
    task: int,
    item: int,
    version: int | None,
    accepted: bool,
    base_version: int,
    body: dict[str, Any],
    body_hash: str,
    inspector: int,
    user: int,
    device_id: str,
    received_at: datetime,
) -> int:
    rows = await ResultVersion.raw(
        "INSERT INTO result_version (result_uuid, task, item, version, accepted, base_version,"
        ' body, body_hash, inspector, "user", device_id, received_at)'
        " VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) RETURNING id",
        result_uuid,
        task,
        item,
        version,
        accepted,
        base_version,
        msgspec.json.encode(body).decode(),
        body_hash,
        inspector,
        user,
        device_id,
        received_at,
    )
    return rows[0]["id"]


async def add_head(
    *, result_uuid: str, task: int, item: int, department: int, at: datetime
) -> None:
    await ItemResult.raw(
        "INSERT INTO item_result (result_uuid, task, item, department, version, created_at,"
        " updated_at) VALUES ({}, {}, {}, {}, 1, {}, {})",
        result_uuid,
        task,
        item,
        department,
        at,
        at,
    )


async def set_head_version(head_id: int, version: int, at: datetime) -> None:
    await ItemResult.raw(
        "UPDATE item_result SET version = {}, updated_at = {} WHERE id = {}",
        version,
        at,
        head_id,
    )


# --- results


async def head_by_uuid(result_uuid: str) -> dict[str, Any] | None:
    return await ItemResult.select().where(ItemResult.result_uuid == result_uuid).first()


async def head_by_task_item(task_id: int, item_id: int) -> dict[str, Any] | None:
    return (
        await ItemResult.select()
        .where((ItemResult.task == task_id) & (ItemResult.item == item_id))
        .first()
    )


async def heads_of_task(task_id: int) -> dict[int, dict[str, Any]]:
    rows = await ItemResult.select().where(ItemResult.task == task_id)
    return {row["item"]: row for row in rows}


_VERSION_COLUMNS = (
    ResultVersion.id,
    ResultVersion.result_uuid,
    ResultVersion.task,
    ResultVersion.item,
    ResultVersion.item.code.as_alias("item_code"),
    ResultVersion.version,
    ResultVersion.accepted,
    ResultVersion.base_version,
    ResultVersion.body,
    ResultVersion.body_hash,
    ResultVersion.inspector,
    ResultVersion.inspector.badge_no.as_alias("badge_no"),
    ResultVersion.device_id,
    ResultVersion.received_at,
)


async def version_by_hash(result_uuid: str, body_hash: str) -> dict[str, Any] | None:
    return (
        await ResultVersion.select(*_VERSION_COLUMNS)
        .where((ResultVersion.result_uuid == result_uuid) & (ResultVersion.body_hash == body_hash))
        .order_by(ResultVersion.id)
        .first()
    )


async def version_of(result_uuid: str, version: int) -> dict[str, Any] | None:
    return (
        await ResultVersion.select(*_VERSION_COLUMNS)
        .where((ResultVersion.result_uuid == result_uuid) & (ResultVersion.version == version))
        .first()
    )


async def versions_by_ids(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await ResultVersion.select(*_VERSION_COLUMNS).where(ResultVersion.id.is_in(wanted))
    return {row["id"]: row for row in rows}


async def versions_of_result(result_uuid: str) -> list[dict[str, Any]]:
    return (
        await ResultVersion.select(*_VERSION_COLUMNS)
        .where(ResultVersion.result_uuid == result_uuid)
        .order_by(ResultVersion.id)
    )


async def first_version_owner(result_uuid: str) -> dict[str, Any] | None:
    """Task, item, account and device of the first version ever stored under a result id
    (accepted or not): the result id belongs to them for good."""
    return (
        await ResultVersion.select(
            ResultVersion.task, ResultVersion.item, ResultVersion.user, ResultVersion.device_id
        )
        .where(ResultVersion.result_uuid == result_uuid)
        .order_by(ResultVersion.id)
        .first()
    )


async def insert_version(**values: Any) -> int:
    rows = await ResultVersion.insert(ResultVersion(**values)).returning(ResultVersion.id)
    return rows[0]["id"]


async def insert_head(**values: Any) -> None:
    await ItemResult.insert(ItemResult(**values))


async def move_head(head_id: int, version: int, at: datetime) -> None:
    await ItemResult.update({ItemResult.version: version, ItemResult.updated_at: at}).where(
        ItemResult.id == head_id
    )


async def insert_conflict(**values: Any) -> int:
    rows = await ResultConflict.insert(ResultConflict(**values)).returning(ResultConflict.id)
    return rows[0]["id"]


async def conflict_by_client_version(version_id: int) -> dict[str, Any] | None:
    return await ResultConflict.select().where(ResultConflict.client_version == version_id).first()


# --- submissions


async def _submission_where(condition: Any) -> dict[str, Any] | None:
    return (
        await TaskSubmission.select(
            TaskSubmission.id,
            TaskSubmission.submitted_at,
            TaskSubmission.completed_at_device,
            TaskSubmission.department.code.as_alias("department_code"),
        )
        .where(condition)
        .first()
    )


async def submission(task_id: int, department_id: int) -> dict[str, Any] | None:
    return await _submission_where(
        (TaskSubmission.task == task_id) & (TaskSubmission.department == department_id)
    )


async def submissions_of_task(task_id: int) -> list[dict[str, Any]]:
    return await TaskSubmission.select(
        TaskSubmission.department, TaskSubmission.completed_at_device
    ).where(TaskSubmission.task == task_id)


async def insert_submission(**values: Any) -> None:
    await TaskSubmission.insert(TaskSubmission(**values))


async def mark_task_submitted(task_id: int, submitted_at: datetime, completed_at: datetime) -> None:
    await Task.update(
        {
            Task.status: "submitted",
            Task.submitted_at: submitted_at,
            Task.completed_at_device: completed_at,
        }
    ).where(Task.id == task_id)


async def task_status(task_id: int) -> str:
    row = await Task.select(Task.status).where(Task.id == task_id).first()
    return row["status"] if row else ""


async def active_inspectors(task_id: int) -> list[int]:
    rows = await TaskInspector.select(TaskInspector.inspector).where(
        (TaskInspector.task == task_id) & TaskInspector.active.eq(True)
    )
    return sorted({row["inspector"] for row in rows})


# --- attachments


async def attachments(shas: Iterable[str]) -> dict[str, dict[str, Any]]:
    wanted = list(set(shas))
    if not wanted:
        return {}
    rows = await Attachment.select().where(Attachment.sha256.is_in(wanted))
    return {row["sha256"]: row for row in rows}


async def attachment(sha256: str) -> dict[str, Any] | None:
    return await Attachment.select().where(Attachment.sha256 == sha256).first()


async def insert_attachment(**values: Any) -> bool:
    """Record a photo once; False when another request recorded it first."""
    rows = (
        await Attachment.insert(Attachment(**values))
        .on_conflict(target=Attachment.sha256, action="DO NOTHING")
        .returning(Attachment.id)
    )
    return bool(rows)


# --- review


async def conflicts(
    *, department_id: int | None, status: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    where = []
    if department_id is not None:
        where.append(ResultConflict.department == department_id)
    if status:
        where.append(ResultConflict.status == status)
    query = ResultConflict.select(
        ResultConflict.all_columns(),
        ResultConflict.item.code.as_alias("item_code"),
        ResultConflict.department.code.as_alias("department_code"),
    )
    count = ResultConflict.count()
    for clause in where:
        query = query.where(clause)
        count = count.where(clause)
    rows = await query.order_by(ResultConflict.id).limit(limit).offset(offset)
    return rows, await count


async def submission_by_inspector(task_id: int, inspector_id: int) -> dict[str, Any] | None:
    return await _submission_where(
        (TaskSubmission.task == task_id) & (TaskSubmission.inspector == inspector_id)
    )


async def conflict_for_update(conflict_id: int) -> dict[str, Any] | None:
    if isinstance(ResultConflict._meta.db, PostgresEngine):
        rows = await ResultConflict.raw(
            "SELECT * FROM result_conflict WHERE id = {} FOR UPDATE", conflict_id
        )
        return rows[0] if rows else None
    return await ResultConflict.select().where(ResultConflict.id == conflict_id).first()


async def close_conflict(conflict_id: int, at: datetime, resolution: str) -> None:
    await ResultConflict.update(
        {
            ResultConflict.status: "resolved",
            ResultConflict.resolved_at: at,
            ResultConflict.resolution: resolution,
        }
    ).where(ResultConflict.id == conflict_id)


# --- checklist template versions


async def template_versions(item_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = list(item_ids)
    if not ids:
        return []
    return await ItemTemplate.select(
        ItemTemplate.item, ItemTemplate.version, ItemTemplate.checklist_hash
    ).where(ItemTemplate.item.is_in(ids))


async def last_template_version(item_id: int) -> int:
    row = (
        await ItemTemplate.select(ItemTemplate.version)
        .where(ItemTemplate.item == item_id)
        .order_by(ItemTemplate.version, ascending=False)
        .first()
    )
    return row["version"] if row else 0


async def insert_template(**values: Any) -> None:
    """Insert a template version; a concurrent insert of the same one is not an error."""
    await ItemTemplate.insert(ItemTemplate(**values)).on_conflict(action="DO NOTHING")


async def template_checklist(item_id: int, version: int) -> Any | None:
    row = (
        await ItemTemplate.select(ItemTemplate.checklist)
        .where((ItemTemplate.item == item_id) & (ItemTemplate.version == version))
        .first()
    )
    return row["checklist"] if row else None


# --- visit records


async def visit_by_hash(record_uuid: str, body_hash: str) -> dict[str, Any] | None:
    return (
        await VisitVersion.select()
        .where((VisitVersion.record_uuid == record_uuid) & (VisitVersion.body_hash == body_hash))
        .first()
    )


async def visit_versions(record_uuid: str) -> list[dict[str, Any]]:
    return (
        await VisitVersion.select()
        .where(VisitVersion.record_uuid == record_uuid)
        .order_by(VisitVersion.version)
    )


async def insert_visit_version(**values: Any) -> None:
    await VisitVersion.insert(VisitVersion(**values))


async def visits_of_task(task_id: int) -> list[dict[str, Any]]:
    return (
        await VisitVersion.select()
        .where(VisitVersion.task == task_id)
        .order_by(VisitVersion.record_uuid, VisitVersion.version)
    )


async def team_badges(task_id: int) -> set[str]:
    """Badges of the task's active team (who may sign as an inspector)."""
    rows = await TaskInspector.select(TaskInspector.inspector.badge_no.as_alias("badge")).where(
        (TaskInspector.task == task_id) & TaskInspector.active.eq(True)
    )
    return {row["badge"] for row in rows}


async def inspector_badge(inspector_id: int) -> str:
    row = await Inspector.select(Inspector.badge_no).where(Inspector.id == inspector_id).first()
    return row["badge_no"] if row else ""
