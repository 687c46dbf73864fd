"""Every query of the records area: names for codes, tasks and results, audit excerpts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from server.audit.tables import AuditEntry
from server.draws.tables import Draw
from server.field.tables import (
    Attachment,
    ItemResult,
    ResultConflict,
    ResultVersion,
    TaskSubmission,
    VisitVersion,
)
from server.publication.tables import Publication, PublicEntry, ReviewDecision
from server.records.tables import CreditProposal
from server.rosters.tables import Department, InspectionObject, Inspector
from server.tasks.tables import Task, TaskInspector

_IN_CHUNK = 900
"""Keeps `IN (…)` lists under SQLite's variable limit."""


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


async def department_names() -> dict[str, str]:
    rows = await Department.select(Department.code, Department.name)
    return {row["code"]: row["name"] for row in rows}


async def business_names(codes: Sequence[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for chunk in _chunks(list(codes)):
        rows = await InspectionObject.select(
            InspectionObject.credit_code, InspectionObject.name
        ).where(InspectionObject.credit_code.is_in(list(chunk)))
        names.update({row["credit_code"]: row["name"] for row in rows})
    return names


async def inspector_names(badges: Sequence[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for chunk in _chunks(list(badges)):
        rows = await Inspector.select(Inspector.badge_no, Inspector.name).where(
            Inspector.badge_no.is_in(list(chunk))
        )
        names.update({row["badge_no"]: row["name"] for row in rows})
    return names


async def draw_of_plan(plan_id: int) -> dict[str, Any] | None:
    return await Draw.select(Draw.id, Draw.public_id).where(Draw.plan == plan_id).first()


def _task_rows() -> Any:
    """The columns of a task as its archive's `task.json` shows them."""
    return Task.select(
        Task.id,
        Task.status,
        Task.due_date,
        Task.submitted_at,
        Task.completed_at_device,
        Task.object.credit_code.as_alias("credit_code"),
        Task.object.name.as_alias("object_name"),
        Task.object.address.as_alias("address"),
    )


async def tasks_of_draw(draw_id: int) -> list[dict[str, Any]]:
    return await _task_rows().where(Task.draw == draw_id).order_by(Task.id)


async def task_row(task_id: int) -> list[dict[str, Any]]:
    """One task's row (as `tasks_of_draw`), drawn or directed."""
    return await _task_rows().where(Task.id == task_id)


async def task_by_id(task_id: int) -> dict[str, Any] | None:
    return (
        await Task.select(
            Task.id,
            Task.status,
            Task.draw.id.as_alias("draw"),
            Task.draw.public_id.as_alias("draw_public_id"),
            Task.draw.plan.id.as_alias("plan_id"),
            Task.draw.plan.code.as_alias("plan_code"),
        )
        .where(Task.id == task_id)
        .first()
    )


async def team_of(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(list(task_ids)):
        rows += await TaskInspector.select(
            TaskInspector.task,
            TaskInspector.active,
            TaskInspector.removed_reason,
            TaskInspector.inspector.badge_no.as_alias("badge_no"),
            TaskInspector.inspector.name.as_alias("name"),
            TaskInspector.department.code.as_alias("department"),
        ).where(TaskInspector.task.is_in(list(chunk)))
    return rows


async def result_versions(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every version of every result of these tasks, accepted or not, oldest first."""
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(list(task_ids)):
        rows += (
            await ResultVersion.select(
                ResultVersion.id,
                ResultVersion.result_uuid,
                ResultVersion.task,
                ResultVersion.item.code.as_alias("item"),
                ResultVersion.version,
                ResultVersion.accepted,
                ResultVersion.base_version,
                ResultVersion.body,
                ResultVersion.body_hash,
                ResultVersion.inspector.badge_no.as_alias("inspector"),
                ResultVersion.device_id,
                ResultVersion.received_at,
            )
            .where(ResultVersion.task.is_in(list(chunk)))
            .order_by(ResultVersion.id)
            .output(load_json=True)
        )
    return rows


async def conflicts_of(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(list(task_ids)):
        rows += await ResultConflict.select(
            ResultConflict.id,
            ResultConflict.task,
            ResultConflict.item.code.as_alias("item"),
            ResultConflict.reason,
            ResultConflict.status,
            ResultConflict.created_at,
            ResultConflict.resolved_at,
            ResultConflict.resolution,
        ).where(ResultConflict.task.is_in(list(chunk)))
    return rows


async def submissions_of(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(list(task_ids)):
        rows += await TaskSubmission.select(
            TaskSubmission.task,
            TaskSubmission.department.code.as_alias("department"),
            TaskSubmission.inspector.badge_no.as_alias("inspector"),
            TaskSubmission.device_id,
            TaskSubmission.submitted_at,
            TaskSubmission.completed_at_device,
        ).where(TaskSubmission.task.is_in(list(chunk)))
    return rows


async def attachments(shas: Sequence[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(list(shas)):
        rows += await Attachment.select(
            Attachment.sha256, Attachment.size, Attachment.media_type, Attachment.completed_at
        ).where(Attachment.sha256.is_in(list(chunk)))
    return rows


async def audit_excerpt(subjects: dict[str, Sequence[str]]) -> list[dict[str, Any]]:
    """The audit entries about these subjects (entity → entity ids), in chain order."""
    rows: list[dict[str, Any]] = []
    for entity, ids in subjects.items():
        for chunk in _chunks(sorted(set(ids))):
            rows += await AuditEntry.select().where(
                (AuditEntry.entity == entity) & AuditEntry.entity_id.is_in(list(chunk))
            )
    rows.sort(key=lambda row: row["id"])
    return rows


async def visit_versions(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Every visit record version of these tasks (现场检查笔录 data), oldest first."""
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(list(task_ids)):
        rows += (
            await VisitVersion.select(
                VisitVersion.task,
                VisitVersion.record_uuid,
                VisitVersion.version,
                VisitVersion.body,
                VisitVersion.body_hash,
                VisitVersion.inspector.badge_no.as_alias("inspector"),
                VisitVersion.device_id,
                VisitVersion.received_at,
            )
            .where(VisitVersion.task.is_in(list(chunk)))
            .order_by(VisitVersion.id)
            .output(load_json=True)
        )
    return rows


async def tasks_with_results(task_ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(list(task_ids)):
        rows = await ItemResult.select(ItemResult.task).where(ItemResult.task.is_in(list(chunk)))
        found.update(row["task"] for row in rows)
    return found


async def current_results(task_id: int) -> list[dict[str, Any]]:
    """The current version of each item result of a task, with the item's name and department."""
    heads = await ItemResult.select(
        ItemResult.result_uuid,
        ItemResult.version,
        ItemResult.item.code.as_alias("item"),
        ItemResult.item.name.as_alias("item_name"),
        ItemResult.department.name.as_alias("department_name"),
    ).where(ItemResult.task == task_id)
    if not heads:
        return []
    versions = await (
        ResultVersion.select(
            ResultVersion.result_uuid,
            ResultVersion.version,
            ResultVersion.body,
            ResultVersion.inspector.name.as_alias("inspector_name"),
        )
        .where(
            (ResultVersion.task == task_id)
            & ResultVersion.result_uuid.is_in([h["result_uuid"] for h in heads])
        )
        .output(load_json=True)
    )
    by_key = {(v["result_uuid"], v["version"]): v for v in versions}
    rows = []
    for head in sorted(heads, key=lambda h: h["item"]):
        version = by_key.get((head["result_uuid"], head["version"]))
        if version:
            rows.append(
                {**head, "body": version["body"], "inspector_name": version["inspector_name"]}
            )
    return rows


async def task_sheet_facts(task_id: int) -> dict[str, Any] | None:
    return (
        await Task.select(
            Task.id,
            Task.completed_at_device,
            Task.draw.public_id.as_alias("draw_id"),
            Task.draw.plan.code.as_alias("plan_code"),
            Task.draw.plan.name.as_alias("plan_name"),
            Task.draw.plan.lead_department.name.as_alias("issuer"),
            Task.object.name.as_alias("business_name"),
            Task.object.credit_code.as_alias("credit_code"),
            Task.object.address.as_alias("address"),
        )
        .where(Task.id == task_id)
        .first()
    )


async def active_team(task_id: int) -> list[dict[str, Any]]:
    return await TaskInspector.select(
        TaskInspector.inspector.badge_no.as_alias("badge_no"),
        TaskInspector.inspector.name.as_alias("name"),
        TaskInspector.department.name.as_alias("department_name"),
    ).where((TaskInspector.task == task_id) & (TaskInspector.active == True))  # noqa: E712


async def review_decisions(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(list(task_ids)):
        rows += await (
            ReviewDecision.select(
                ReviewDecision.id,
                ReviewDecision.task,
                ReviewDecision.item.code.as_alias("item"),
                ReviewDecision.result_uuid,
                ReviewDecision.result_version,
                ReviewDecision.decision,
                ReviewDecision.reason,
                ReviewDecision.reviewer,
                ReviewDecision.decided_at,
            )
            .where(ReviewDecision.task.is_in(list(chunk)))
            .order_by(ReviewDecision.id)
        )
    return rows


async def publications_of(task_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(list(task_ids)):
        rows += await (
            Publication.select(
                Publication.task,
                Publication.version,
                Publication.published_at,
                Publication.published_by,
                Publication.reason,
                Publication.record,
                Publication.record_hash,
            )
            .where(Publication.task.is_in(list(chunk)))
            .order_by(Publication.task, Publication.version)
            .output(load_json=True)
        )
    return rows


async def published_findings(year: int) -> list[dict[str, Any]]:
    """The current published records of a year, with their business (one row per task)."""
    return await (
        PublicEntry.select(
            PublicEntry.task,
            PublicEntry.credit_code,
            PublicEntry.publication.record.as_alias("record"),
        )
        .where(
            (PublicEntry.current == True)  # noqa: E712
            & (PublicEntry.inspected_on >= date(year, 1, 1))
            & (PublicEntry.inspected_on <= date(year, 12, 31))
        )
        .order_by(PublicEntry.id)
        .output(load_json=True)
    )


async def objects_for_codes(codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(codes)):
        for row in await InspectionObject.select(
            InspectionObject.id, InspectionObject.credit_code, InspectionObject.risk_class
        ).where(InspectionObject.credit_code.is_in(list(chunk))):
            rows[row["credit_code"]] = row
    return rows


async def supersede_open_proposals(year: int) -> None:
    await CreditProposal.update({CreditProposal.status: "superseded"}).where(
        (CreditProposal.year == year) & (CreditProposal.status == "proposed")
    )


async def insert_proposals(rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 200):
        await CreditProposal.insert(*(CreditProposal(**row) for row in rows[start : start + 200]))


async def proposals(
    year: int, status: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    conditions = [CreditProposal.year == year]
    if status:
        conditions.append(CreditProposal.status == status)
    query = CreditProposal.select().where(*conditions)
    rows = (
        await query.order_by(CreditProposal.id).limit(limit).offset(offset).output(load_json=True)
    )
    return rows, await CreditProposal.count().where(*conditions)


async def proposals_by_id(ids: Sequence[int]) -> list[dict[str, Any]]:
    return (
        await CreditProposal.select()
        .where(CreditProposal.id.is_in(list(ids)))
        .output(load_json=True)
    )


async def decide_proposal(proposal_id: int, values: dict[str, Any]) -> None:
    await CreditProposal.update(values).where(CreditProposal.id == proposal_id)


async def set_object_class(object_id: int, risk_class: str, abnormal: bool | None) -> None:
    values: dict[Any, Any] = {InspectionObject.risk_class: risk_class}
    if abnormal is not None:
        values[InspectionObject.abnormal] = abnormal
    await InspectionObject.update(values).where(InspectionObject.id == object_id)
