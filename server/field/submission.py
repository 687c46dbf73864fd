"""Submission of a department's part of a task (rule 5): complete, or not a submission.

Each department on a (joint) task submits its own items, since each inspects
only its own (谁检查、谁录入). The task itself becomes `submitted` — with
`Task.submitted_at` and `Task.completed_at_device`, the start of the
publication deadline — when the last department has submitted; its
completion time is the latest device completion time of the departments,
because the inspection has ended only when every department's part has.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.calendar import service as deadlines
from server.db.transaction import write_transaction
from server.field import authority, errors, queries
from server.field.results import photos_by_question, view_of
from server.tasks import changes
from shared import checklist
from shared.errors import SuichaError
from shared.sync.protocol import MissingPart, SubmitAck, SubmitRequest


async def submit(principal: Principal, task_id: int, request: SubmitRequest) -> SubmitAck:
    inspector_id = authority.inspector_of(principal)
    if request.completed_at.tzinfo is None:
        raise SuichaError(errors.NOT_NAIVE_TIME, field="completed_at")
    async with write_transaction():
        await authority.require_task(task_id)
        try:
            member = await authority.membership(task_id, inspector_id)
        except SuichaError as refusal:
            # Submitted, then taken off the task before the answer arrived:
            # the retry gets the first answer (nothing changes).
            earlier = await queries.submission_by_inspector(task_id, inspector_id)
            if earlier is None or refusal.spec is not errors.NOT_ON_TASK:
                raise
            return await _ack(task_id, earlier)
        department_id, _ = member.first_department
        existing = await queries.submission(task_id, department_id)
        if existing is not None:
            return await _ack(task_id, existing)
        missing = await missing_parts(task_id, department_id)
        if missing:
            raise SuichaError(
                errors.INCOMPLETE,
                extra={"missing": [msgspec.to_builtins(part) for part in missing]},
                count=len(missing),
            )
        now = datetime.now(UTC)
        completed_at = request.completed_at.astimezone(UTC)
        await queries.insert_submission(
            task=task_id,
            department=department_id,
            inspector=inspector_id,
            user=principal.user_id,
            device_id=principal.device_id,
            submitted_at=now,
            completed_at_device=completed_at,
        )
        done = await queries.submissions_of_task(task_id)
        if await queries.task_departments(task_id) <= {row["department"] for row in done}:
            last_end = max(row["completed_at_device"] for row in done)
            await queries.mark_task_submitted(task_id, now, last_end)
            await deadlines.record_completion([task_id])
        # Team mates' devices see the new state in their task feed.
        await changes.record(task_id, await queries.active_inspectors(task_id), "updated")
        await audit(
            actor=principal.username,
            action="field.task.submit",
            entity="task",
            entity_id=str(task_id),
            change={
                "department": member.departments[department_id],
                "completed_at": completed_at.isoformat(),
                "device": principal.device_id,
            },
        )
        saved = await queries.submission(task_id, department_id)
        assert saved is not None
        return await _ack(task_id, saved)


async def _ack(task_id: int, row: dict[str, Any]) -> SubmitAck:
    status = await queries.task_status(task_id)
    return SubmitAck(
        task_id=task_id,
        status="submitted",
        submitted_at=row["submitted_at"],
        completed_at=row["completed_at_device"],
        department=row["department_code"],
        task_status=status,
    )


async def missing_parts(task_id: int, department_id: int) -> list[MissingPart]:
    """What the department still owes: results, photos, required answers."""
    items = await queries.department_items(task_id, department_id)
    heads = await queries.heads_of_task(task_id)
    missing: list[MissingPart] = []
    current: list[tuple[dict[str, Any], Any]] = []
    for item in items:
        head = heads.get(item["item"])
        if head is None:
            missing.append(MissingPart(kind="result", item=item["code"]))
            continue
        row = await queries.version_of(head["result_uuid"], head["version"])
        assert row is not None  # a head always points at a stored version
        current.append((item, view_of(row)))
    held = await queries.attachments(p.sha256 for _, view in current for p in view.photos)
    for item, view in current:
        for photo in view.photos:
            problem = _photo_problem(held.get(photo.sha256), photo.size, photo.media_type)
            if problem:
                missing.append(
                    MissingPart(
                        kind="photo", item=item["code"], sha256=photo.sha256, problem=problem
                    )
                )
        template = checklist.parse_template(item["checklist"])
        problems = checklist.validate_answers(
            template, view.answers, photos_by_question(view.photos)
        )
        if problems:
            missing.append(
                MissingPart(
                    kind="answers", item=item["code"], problems=[p.to_dict() for p in problems]
                )
            )
    return missing


def _photo_problem(held: dict[str, Any] | None, size: int, media_type: str) -> str | None:
    if held is None:
        return "not_uploaded"
    if held["size"] != size:
        return "size_mismatch"
    if held["media_type"] != media_type:
        return "media_type_mismatch"
    return None
