"""The business's objection (异议) to a published result, and its handling by back office.

Filing: with the task's access code (wrong codes counted with the same backoff
as the rating, `business.admit`), against the task's current published version,
once per version. Attachments are photos: checked with the field app's photo
checks (`server.field.media.inspect_photo`, the photo size limit) and kept in the
same content-addressed attachment storage. Every refusal happens before anything
is written.

Handling: within `SUICHA_OBJECTION_DAYS` working days (default 15) of the
working-day calendar, by the task's departments (review permissions, department
scope as in review). Upholding returns the named items through review
(`server.publication.review.decide`, 退回修改 with the reason): the team sends a
corrected result, review approves it, and publishing it is a correction, a new
published version — the one corrections path. Rejecting keeps the reason, which
the business sees at `/check/{code}`.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

import msgspec

from server.accounts.principal import Principal
from server.audit import log as audit
from server.calendar import service as calendar
from server.db.transaction import write_transaction
from server.field import errors as field_errors
from server.field.media import inspect_photo
from server.field.storage import attachment_storage
from server.field.storage.base import owner_key
from server.http.paging import Page, clamp_limit, page_of
from server.inspection_codes import business, errors, queries, service
from server.inspection_codes.schemas import (
    ObjectionAttachmentOut,
    ObjectionDecisionIn,
    ObjectionOut,
    ObjectionStatusOut,
)
from server.notifications import queries as notification_queries
from server.publication import review
from server.publication.schemas import DecisionIn
from server.settings import get_settings
from shared.deadlines import MAX_DAYS, DeadlineRule, publication_deadline, reminder_due
from shared.errors import SuichaError
from shared.text import forbidden_character

TEXT_MAX = 2000
ATTACHMENTS_MAX = 3
DAYS_ENV = "SUICHA_OBJECTION_DAYS"
DEFAULT_DAYS = 15
"""Working days to answer an objection unless `SUICHA_OBJECTION_DAYS` (1–120) says otherwise."""
STATUSES = ("filed", "upheld", "rejected")
STATUS_ZH = {"filed": "处理中", "upheld": "异议成立", "rejected": "不予支持"}
_BLOCK = 1024 * 1024


def response_days() -> int:
    raw = os.environ.get(DAYS_ENV, "")
    days = int(raw) if raw.isascii() and raw.isdigit() else 0
    return days if 1 <= days <= MAX_DAYS else DEFAULT_DAYS


def today() -> date:
    return datetime.now(calendar.CHINA).date()


@dataclass(frozen=True)
class Upload:
    """One attached file as received (spooled by the server, never all in memory)."""

    file: BinaryIO
    size: int


@dataclass(frozen=True)
class Checked:
    sha256: str
    size: int
    media_type: str


def _invalid(zh: str, en: str) -> SuichaError:
    return SuichaError(errors.OBJECTION_INVALID, problem_zh=zh, problem_en=en)


def check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise _invalid("请写明异议的内容和理由。", "the objection needs a text.")
    if len(text) > TEXT_MAX or forbidden_character(text, multiline=True):
        raise _invalid(
            f"异议内容须为{TEXT_MAX}字以内的可打印文字。",
            f"the text must be at most {TEXT_MAX} printable characters.",
        )
    return text


def check_sizes(uploads: Sequence[Upload]) -> None:
    """Count and size, before anything is read: the photo limit of the field app."""
    if len(uploads) > ATTACHMENTS_MAX:
        raise _invalid(f"附件最多{ATTACHMENTS_MAX}个。", f"at most {ATTACHMENTS_MAX} attachments.")
    limit = get_settings().attachments.max_photo_bytes
    for upload in uploads:
        if upload.size > limit:
            raise SuichaError(field_errors.TOO_LARGE, size=upload.size, limit=limit)
        if upload.size == 0:
            raise _invalid("附件为空文件。", "an attachment is empty.")


def _inspect(upload: Upload) -> Checked:
    """The photo's media type (JPEG or PNG, judged from its bytes) and its SHA-256."""
    upload.file.seek(0)
    media_type = inspect_photo(upload.file)
    upload.file.seek(0)
    digest = hashlib.sha256()
    while block := upload.file.read(_BLOCK):
        digest.update(block)
    upload.file.seek(0)
    return Checked(digest.hexdigest(), upload.size, media_type)


async def _chunks(handle: BinaryIO) -> AsyncIterator[bytes]:
    while block := await asyncio.to_thread(handle.read, _BLOCK):
        yield block


async def _store(task_id: int, upload: Upload, checked: Checked) -> None:
    """Into attachment storage, which checks hash and media type again before publishing."""
    storage = attachment_storage()
    # The spool owner of a business's upload: one per task (account 0 is nobody's).
    owner = owner_key(0, f"objection:{task_id}")
    upload.file.seek(0)
    await storage.append(checked.sha256, owner, 0, checked.size, _chunks(upload.file))
    await storage.complete(checked.sha256, owner, inspect_photo)


async def file_objection(
    code: str, access_code: str, text: str, uploads: Sequence[Upload], client: str
) -> ObjectionOut:
    """Record the business's objection to the current published result; refusals change nothing."""
    text = check_text(text)
    check_sizes(uploads)
    row = await service.checked(code, None, allow_closed=True)
    task_id = row["task"]
    current = await queries.current_publication(task_id)
    if current is None:
        raise SuichaError(errors.OBJECTION_NOT_PUBLISHED)
    await business.admit(row["code"], access_code, client, task_id)
    version = current["version"]
    if await queries.objection_exists(task_id, version):
        raise SuichaError(errors.OBJECTION_ALREADY_FILED, version=version)
    checked = [await asyncio.to_thread(_inspect, upload) for upload in uploads]
    for upload, photo in zip(uploads, checked, strict=True):
        await _store(task_id, upload, photo)
    now = datetime.now(UTC)
    deadline = publication_deadline(
        now.astimezone(calendar.CHINA).date(),
        DeadlineRule(response_days(), True),
        await calendar.load_calendar(),
    )
    department = await queries.organising_department(task_id)
    async with write_transaction():
        # Checked again inside the transaction; the unique index is the last word.
        if await queries.objection_exists(task_id, version):
            raise SuichaError(errors.OBJECTION_ALREADY_FILED, version=version)
        objection_id = await queries.insert_objection(
            {
                "task": task_id,
                "publication_version": version,
                "department": department,
                "text": text,
                "filed_at": now,
                "due_on": deadline.day,
                "provisional": deadline.provisional,
                "status": "filed",
            }
        )
        if objection_id is None:
            raise SuichaError(errors.OBJECTION_ALREADY_FILED, version=version)
        files = [{"sha256": c.sha256, "size": c.size, "media_type": c.media_type} for c in checked]
        await queries.insert_objection_attachments(objection_id, files)
        await audit.append(
            actor="business",
            action="objection.file",
            entity="objection",
            entity_id=str(objection_id),
            change={
                "task": task_id,
                "publication_version": version,
                "text": text,
                "attachments": [c.sha256 for c in checked],
                "due_on": deadline.day.isoformat(),
            },
        )
    made = await queries.objection(objection_id)
    assert made is not None
    return (await _outs([made]))[0]


def _overdue(row: dict[str, Any], on: date) -> bool:
    """Answered after its last day, or still open after it."""
    decided = row["decided_at"]
    answered = calendar.completion_day(decided) if decided is not None else on
    return answered > row["due_on"]


async def _outs(rows: Sequence[dict[str, Any]]) -> list[ObjectionOut]:
    files = await queries.attachments_of([row["id"] for row in rows])
    versions: dict[int, list[dict[str, Any]]] = {}
    on = today()
    out = []
    for row in rows:
        task_id = row["task"]
        if task_id not in versions:
            versions[task_id] = await queries.publication_versions(task_id)
        correction = None
        if row["status"] == "upheld":
            # The first version published after the objection was upheld corrects it.
            correction = next(
                (
                    v["version"]
                    for v in versions[task_id]
                    if v["version"] > row["publication_version"]
                    and v["published_at"] >= row["decided_at"]
                ),
                None,
            )
        out.append(
            ObjectionOut(
                id=row["id"],
                task_id=task_id,
                business=row["business"],
                credit_code=row["credit_code"],
                department=row["department_code"] or "",
                publication_version=row["publication_version"],
                text=row["text"],
                filed_at=row["filed_at"],
                due_on=row["due_on"],
                provisional=bool(row["provisional"]),
                overdue=_overdue(row, on),
                status=row["status"],
                status_zh=STATUS_ZH[row["status"]],
                decided_at=row["decided_at"],
                decided_by=row["decided_by"],
                reason=row["reason"],
                items=[i for i in row["items"].split(",") if i],
                correction_version=correction,
                attachments=[
                    ObjectionAttachmentOut(
                        sha256=f["sha256"], size=f["size"], media_type=f["media_type"]
                    )
                    for f in files.get(row["id"], [])
                ],
            )
        )
    return out


async def of_task(task_id: int) -> list[ObjectionOut]:
    return await _outs(await queries.objections_of_task(task_id))


def status_of(objection: ObjectionOut) -> ObjectionStatusOut:
    """What anyone holding the code sees: status, deadline, answer; never the text."""
    return ObjectionStatusOut(
        id=objection.id,
        publication_version=objection.publication_version,
        filed_at=objection.filed_at,
        due_on=objection.due_on,
        status=objection.status,
        status_zh=objection.status_zh,
        reason=objection.reason,
        correction_version=objection.correction_version,
    )


async def public_status(code: str) -> list[ObjectionStatusOut]:
    row = await service.checked(code, None, allow_closed=True)
    return [status_of(o) for o in await of_task(row["task"])]


async def page_context(task_id: int) -> dict[str, Any]:
    """For `/check/{code}`: the published result, the objections' status, whether one may be
    filed now."""
    current = await queries.current_publication(task_id)
    listed = await of_task(task_id)
    record = None
    if current is not None:
        record = current["record"]
        if isinstance(record, str):  # SQLite hands JSON columns back as text
            record = msgspec.json.decode(record)
    return {
        "publication": None if current is None else {**current, "record": record},
        "objections": [status_of(o) for o in listed],
        "can_object": current is not None
        and all(o.publication_version != current["version"] for o in listed),
        "objection_text_max": TEXT_MAX,
        "objection_attachments_max": ATTACHMENTS_MAX,
    }


async def _require(principal: Principal, objection_id: int) -> dict[str, Any]:
    """The objection when the caller's department may see its task (else it is unknown)."""
    row = await queries.objection(objection_id)
    if row is None:
        raise SuichaError(errors.OBJECTION_UNKNOWN, objection_id=objection_id)
    try:
        await review.require_task(principal, row["task"])
    except SuichaError:
        raise SuichaError(errors.OBJECTION_UNKNOWN, objection_id=objection_id) from None
    return row


async def one(principal: Principal, objection_id: int) -> ObjectionOut:
    return (await _outs([await _require(principal, objection_id)]))[0]


async def office_list(
    principal: Principal, status: str | None, limit: int, offset: int
) -> Page[ObjectionOut]:
    """The objections of the caller's department's tasks (an admin: all), open ones first."""
    if status is not None and status not in STATUSES:
        raise SuichaError(
            errors.OBJECTION_DECISION_INVALID,
            problem_zh="状态应为处理中（filed）、异议成立（upheld）或不予支持（rejected）。",
            problem_en="status must be filed, upheld or rejected.",
        )
    limit = clamp_limit(limit)
    department = None if principal.is_admin else (principal.department_id or -1)
    rows, total = await queries.objection_page(department, status, limit, offset)
    return page_of(await _outs(rows), total, limit, offset)


async def attachment(principal: Principal, objection_id: int, sha256: str) -> tuple[bytes, str]:
    row = await _require(principal, objection_id)
    files = (await queries.attachments_of([row["id"]])).get(row["id"], [])
    found = next((f for f in files if f["sha256"] == sha256), None)
    if found is None:
        raise SuichaError(errors.OBJECTION_UNKNOWN, objection_id=objection_id)
    return await attachment_storage().read(sha256), found["media_type"]


def _decided(row: dict[str, Any]) -> SuichaError:
    return SuichaError(
        errors.OBJECTION_DECIDED,
        objection_id=row["id"],
        status=row["status"],
        status_zh=STATUS_ZH[row["status"]],
    )


async def uphold(
    principal: Principal, objection_id: int, reason: str, items: Sequence[str]
) -> ObjectionOut:
    """异议成立: return the named items for correction (review's 退回修改), keep the reason."""
    reason = review.check_reason(reason, "异议成立", "Upholding an objection")
    wanted = list(dict.fromkeys(i.strip() for i in items if i.strip()))
    if not wanted or len(wanted) > 50:
        raise SuichaError(
            errors.OBJECTION_DECISION_INVALID,
            problem_zh="异议成立须选择需要更正的检查项。",
            problem_en="upholding needs the items to correct.",
        )
    async with write_transaction():
        row = await _require(principal, objection_id)
        if row["status"] != "filed":
            raise _decided(row)
        _, info = await review.item_states(row["task"])
        for code in wanted:
            head = (info.get(code) or {}).get("head")
            # An unknown item is refused by review itself (review.unknown_item).
            version = head["version"] if head else 0
            await review.decide(
                principal, row["task"], code, DecisionIn("return", version, f"异议成立：{reason}")
            )
        await _record(principal, row, "upheld", reason, wanted)
    return await one(principal, objection_id)


async def reject(principal: Principal, objection_id: int, reason: str) -> ObjectionOut:
    """不予支持: the published result stands; the reason is kept and shown to the business."""
    reason = review.check_reason(reason, "不予支持异议", "Rejecting an objection")
    async with write_transaction():
        row = await _require(principal, objection_id)
        if row["status"] != "filed":
            raise _decided(row)
        await _record(principal, row, "rejected", reason, [])
    return await one(principal, objection_id)


async def _record(
    principal: Principal, row: dict[str, Any], status: str, reason: str, items: list[str]
) -> None:
    values = {
        "status": status,
        "decided_at": datetime.now(UTC),
        "decided_by": principal.username,
        "reason": reason,
        "items": ",".join(items),
    }
    if not await queries.decide_objection(row["id"], values):
        fresh = await queries.objection(row["id"])
        raise _decided(fresh or row)
    await audit.append(
        actor=principal.username,
        action=f"objection.{'uphold' if status == 'upheld' else 'reject'}",
        entity="objection",
        entity_id=str(row["id"]),
        change={"task": row["task"], "reason": reason, "items": items},
    )


async def decide(
    principal: Principal, objection_id: int, request: ObjectionDecisionIn
) -> ObjectionOut:
    if request.decision == "uphold":
        return await uphold(principal, objection_id, request.reason, request.items)
    if request.decision == "reject":
        return await reject(principal, objection_id, request.reason)
    raise SuichaError(
        errors.OBJECTION_DECISION_INVALID,
        problem_zh="处理结果应为异议成立（uphold）或不予支持（reject）。",
        problem_en="the decision must be uphold or reject.",
    )


async def reminders(on: date | None = None) -> int:
    """The scheduler's deadline run: back-office staff of the organising department when an
    open objection's day is near (the department's reminder lead, as for publication), team
    leads once it has passed unanswered. Unique per objection, day and person (a run twice
    sends nothing twice)."""
    on = on or today()
    work = await calendar.load_calendar()
    default, rules = await calendar.rules()
    rows: list[dict[str, Any]] = []
    now = datetime.now(UTC)
    for row in await queries.open_objections():
        rule = rules.get(row["department"], default)
        if row["due_on"] < on:
            role, kind = "team_lead", "objection_overdue"
            title = f"异议{row['id']}已逾期未答复（期限{row['due_on']}）"
            body = (
                f"{row['business']}对检查任务{row['task']}公示结果的异议已过答复期限，请督促处理。"
            )
        elif reminder_due(on, row["due_on"], rule.reminder_days, work):
            role, kind = "back_office", "objection_reminder"
            title = f"异议{row['id']}须于{row['due_on']}前答复"
            body = f"{row['business']}对检查任务{row['task']}公示结果提出异议，请在期限内处理。"
        else:
            continue
        for user in await notification_queries.users_with_role(role, [row["department"]]):
            rows.append(
                {
                    "user": user["id"],
                    "kind": kind,
                    "title": title,
                    "body": body,
                    "task": row["task"],
                    "dedupe_key": f"{kind}:{row['id']}:{row['due_on']}:{user['id']}",
                    "created_at": now,
                }
            )
    async with write_transaction():
        return await notification_queries.insert_new(rows)
