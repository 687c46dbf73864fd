"""Item results from the field: idempotent, versioned, never silently overwritten.

A PUT is recognised by the hash of its body: the same body again is answered
with what was stored the first time ("unchanged"). A write on the current
version makes the next version; any other write — on an older version, a
second result for an item that has one, or a change after the department
submitted — is kept as the losing side of a conflict, next to the server's
version, and listed for review (rule 4: no last-writer-wins).
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import msgspec

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.categories import rules as category_rules
from server.categories import service as categories
from server.db.transaction import grouped_write, write_transaction
from server.field import authority, cache, errors, queries, templates
from server.http.errors import invalid
from server.publication import returns as review_state
from server.settings import get_settings
from shared import checklist
from shared.canonical import canonical_json, sha256_hex
from shared.errors import SuichaError
from shared.sync.protocol import (
    MEDIA_TYPES,
    PhotoRef,
    ResultAck,
    ResultBatchEntry,
    ResultOutcome,
    ResultView,
    ResultWrite,
)

SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
"""Use with `fullmatch`: `$` would let a trailing newline through."""

FOLLOW_UP_MAX = 2000
"""后续处置 text, like the device's bound."""
NO_PROBLEM = "1"
"""未发现问题: the only category that needs no follow-up measure."""

# Problems that only say the result is not finished yet: allowed on a PUT (an
# inspector syncs work in progress), refused at submission.
_COMPLETENESS_CODES = {checklist.ANSWER_REQUIRED.code, checklist.PHOTOS_MISSING.code}

ConflictReason = Literal["stale_base", "second_result", "after_submission"]


@dataclass(frozen=True)
class Stored:
    result_id: str
    version: int
    status: Literal["stored", "unchanged"]
    created: bool


@dataclass(frozen=True)
class Conflicted:
    conflict_id: int
    reason: str
    server: ResultView
    client: ResultView

    def error(self) -> SuichaError:
        return SuichaError(
            errors.CONFLICT,
            extra={
                "conflict_id": self.conflict_id,
                "reason": self.reason,
                "server": msgspec.to_builtins(self.server),
                "client": msgspec.to_builtins(self.client),
            },
        )


def body_of(write: ResultWrite) -> dict[str, Any]:
    """The result as JSON data, the way it is stored and hashed.

    The fields added in sync-v1.1 are left out when unset, so a body sent by an
    older client (or before an upgrade) hashes as it did: its retry is still
    recognised."""
    body = msgspec.to_builtins(write)
    if not body.get("follow_up"):
        body.pop("follow_up", None)
    if body.get("template_version") is None:
        body.pop("template_version", None)
    return body


def photos_by_question(photos: list[PhotoRef]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for photo in photos:
        if photo.question:
            counts[photo.question] = counts.get(photo.question, 0) + 1
    return counts


def check_write(write: ResultWrite, template_data: Any) -> None:
    """Refuse a malformed result before anything is stored (400/422, nothing changes)."""
    if write.recorded_at.tzinfo is None:
        raise SuichaError(errors.NOT_NAIVE_TIME, field="recorded_at")
    if len(write.follow_up) > FOLLOW_UP_MAX:
        raise SuichaError(
            errors.BAD_FOLLOW_UP,
            reason=f"后续处置最多{FOLLOW_UP_MAX}个字",
            reason_en=f"follow_up takes at most {FOLLOW_UP_MAX} characters",
        )
    # A sync-v1.1 form (it names its template version) is finished only with a
    # follow-up whenever a problem was found; sync-v1 devices cannot send one.
    if (
        write.template_version is not None
        and write.category != NO_PROBLEM
        and not write.follow_up.strip()
    ):
        raise SuichaError(
            errors.BAD_FOLLOW_UP,
            reason="检查结果不是“未发现问题”时，必须填写后续处置",
            reason_en="a follow-up measure is required whenever the category is not 1",
        )
    if write.base_version < 0:
        raise SuichaError(
            errors.BASE_VERSION_UNKNOWN, result_id="", base_version=write.base_version
        )
    limit = get_settings().attachments.max_photo_bytes
    for photo in write.photos:
        problem = _photo_problem(photo, limit)
        if problem:
            raise SuichaError(
                errors.BAD_PHOTO_REF,
                extra={"sha256": photo.sha256},
                reason=problem[0],
                reason_en=problem[1],
            )
    template = checklist.parse_template(template_data)
    problems = [
        p
        for p in checklist.validate_answers(
            template, write.answers, photos_by_question(write.photos)
        )
        if p.code not in _COMPLETENESS_CODES
    ]
    problems += [
        checklist.Problem(
            question=photo.question,
            code=checklist.UNKNOWN_QUESTION.code,
            zh=checklist.UNKNOWN_QUESTION.zh.format(question=photo.question),
            en=checklist.UNKNOWN_QUESTION.en.format(question=photo.question),
        )
        for photo in write.photos
        if photo.question and template.question(photo.question) is None
    ]
    if problems:
        raise checklist.answers_invalid(problems)


def _photo_problem(photo: PhotoRef, limit: int) -> tuple[str, str] | None:
    if not SHA256_PATTERN.fullmatch(photo.sha256):
        return "照片的校验值应为64位小写十六进制数字", "sha256 must be 64 lower-case hex digits"
    if not 0 < photo.size <= limit:
        return f"照片大小应在1到{limit}字节之间", f"size must be between 1 and {limit} bytes"
    if photo.media_type not in MEDIA_TYPES:
        return "照片只接受JPEG或PNG格式", "media_type must be image/jpeg or image/png"
    if photo.taken_at.tzinfo is None:
        return "拍摄时间必须带时区（与UTC的时差）", "taken_at must carry a UTC offset"
    return None


def view_of(row: dict[str, Any]) -> ResultView:
    body = row["body"]
    if isinstance(body, str):  # SQLite hands JSON columns back as text
        body = msgspec.json.decode(body)
    return ResultView(
        result_id=row["result_uuid"],
        version=row["version"],
        item=row["item_code"],
        answers=body.get("answers", {}),
        findings=body.get("findings", ""),
        category=body.get("category", ""),
        follow_up=body.get("follow_up", ""),
        template_version=body.get("template_version"),
        recorded_at=msgspec.convert(body["recorded_at"], datetime),
        base_version=row["base_version"],
        photos=msgspec.convert(body.get("photos", []), list[PhotoRef]),
        inspector=row["badge_no"],
        device_id=row["device_id"],
        received_at=row["received_at"],
    )


class Wordings:
    """The wording of each result category, read once per transaction: a batch of results
    reads the category list once, not once per result."""

    def __init__(self) -> None:
        self._rows: list[dict[str, Any]] | None = None

    def forget(self) -> None:
        """After a rollback: the list read may have been seeded inside what was undone."""
        self._rows = None

    async def __call__(self, code: str) -> str:
        # 抽查检查结果: a known, active, precise category; the version keeps the wording
        # it was recorded with (outside the body hash, so a retry is still recognised).
        if self._rows is None:
            self._rows = await categories.all_categories()
        return str(category_rules.recordable(code, self._rows)["zh"])


async def put_result(
    principal: Principal, task_id: int, result_id: str, write: ResultWrite
) -> Stored | Conflicted:
    """Store one item result; a conflict is stored too, and returned for the 409.

    Results arriving together share one commit (group commit, `grouped_write`);
    each is answered once its own version and audit entry are durable."""
    return await grouped_write(
        lambda: _put_result(principal, task_id, result_id, write, Wordings())
    )


async def _put_result(
    principal: Principal,
    task_id: int,
    result_id: str,
    write: ResultWrite,
    wording_of: Wordings,
) -> Stored | Conflicted:
    inspector_id = authority.inspector_of(principal)
    body = body_of(write)
    body_hash = sha256_hex(canonical_json(body))
    async with write_transaction():
        task = await authority.require_task(task_id)
        history = await queries.result_history(result_id)
        # A retry of a body already stored by this inspector changes nothing, so
        # it gets the first answer even if the inspector has since been taken
        # off the task: the device learns its data arrived.
        earlier = next((v for v in history if v["body_hash"] == body_hash), None)
        if earlier is not None and (earlier["inspector"], earlier["task"]) == (
            inspector_id,
            task_id,
        ):
            return await _replay(result_id, earlier)
        facts = await authority.task_facts(task)
        member = authority.membership_in(facts, inspector_id)
        item = facts.items.get(write.item)
        if item is None:
            raise SuichaError(errors.UNKNOWN_ITEM, task_id=task_id, item=write.item)
        if item.department not in member.departments:
            raise SuichaError(
                errors.WRONG_DEPARTMENT,
                item=write.item,
                owner=item.department_code,
                own="、".join(member.departments.values()),
            )
        # A form is finished on the template version it was started on (sync-v1.1).
        template = await templates.checklist_for(
            facts, item.item, write.item, write.template_version
        )
        check_write(write, template)
        wording = await wording_of(write.category)
        _check_result_owner(principal, task_id, item.item, result_id, history)
        # One head per task and item: this result's own, another result's, or none.
        head = await queries.head_of(task_id, item.item)

        now = datetime.now(UTC)
        new_version = {
            "result_uuid": result_id,
            "task": task_id,
            "item": item.item,
            "base_version": write.base_version,
            "body": {**body, "category_wording": wording},
            "body_hash": body_hash,
            "inspector": inspector_id,
            "user": principal.user_id,
            "device_id": principal.device_id,
            "received_at": now,
        }
        if head is None or head["result_uuid"] != result_id:
            if head is not None:
                return await _conflict(principal, head, new_version, "second_result", item, now)
            if write.base_version != 0:
                raise SuichaError(
                    errors.BASE_VERSION_UNKNOWN,
                    result_id=result_id,
                    base_version=write.base_version,
                )
            await queries.add_version(**new_version, version=1, accepted=True)
            await queries.add_head(
                result_uuid=result_id,
                task=task_id,
                item=item.item,
                department=item.department,
                at=now,
            )
            await _audit_store(principal, task_id, write.item, result_id, 1, body_hash)
            return Stored(result_id=result_id, version=1, status="stored", created=True)

        if write.base_version > head["version"]:
            raise SuichaError(
                errors.BASE_VERSION_UNKNOWN, result_id=result_id, base_version=write.base_version
            )
        if write.base_version < head["version"]:
            return await _conflict(principal, head, new_version, "stale_base", item, now)
        # A result returned by review (退回修改) is open again for its next version.
        returned = await review_state.is_returned(task_id, item.item)
        if not returned and await queries.submitted(task_id, item.department):
            return await _conflict(principal, head, new_version, "after_submission", item, now)
        version = head["version"] + 1
        await queries.add_version(**new_version, version=version, accepted=True)
        await queries.set_head_version(head["id"], version, now)
        if returned:
            await review_state.answered(task_id, item.department)
        await _audit_store(principal, task_id, write.item, result_id, version, body_hash)
        return Stored(result_id=result_id, version=version, status="stored", created=False)


BATCH_BODY_MAX = 2 * 1024 * 1024
"""Bytes a batch body may take (413 beyond): 100 results of ~20 KB each."""


async def put_batch(
    principal: Principal, task_id: int, entries: list[ResultBatchEntry]
) -> list[ResultOutcome]:
    """Store many results of one task in one transaction (sync-v1.2 batch), each with the
    outcome its own PUT would have had: each result is checked and authorised on its
    own, stored with its own audit entry, or refused alone (its savepoint rolled back,
    nothing of it kept) while the others stand. Answered once the one COMMIT returned."""
    seen: set[str] = set()
    for entry in entries:
        check_result_id(entry.result_id, where="批量中")
        if entry.result_id in seen:
            raise invalid(
                f"批量中同一result_id出现两次：{entry.result_id}",
                f"result_id {entry.result_id} appears twice in the batch",
            )
        seen.add(entry.result_id)
    authority.inspector_of(principal)
    return await grouped_write(lambda: _put_batch(principal, task_id, entries))


async def _put_batch(
    principal: Principal, task_id: int, entries: list[ResultBatchEntry]
) -> list[ResultOutcome]:
    outcomes: list[ResultOutcome] = []
    wordings = Wordings()
    deferred: list[dict[str, Any]] = []
    async with write_transaction() as transaction:
        token = _deferred_audit.set(deferred)
        try:
            for entry in entries:
                outcome = await _batch_entry(principal, task_id, entry, transaction, wordings)
                outcomes.append(outcome)
        finally:
            _deferred_audit.reset(token)
        # The batch's audit entries go on the chain last, in the order of its results:
        # on PostgreSQL the chain's lock is then held only for these appends and the
        # COMMIT, not while the whole batch is checked and written (every other
        # writer of the server would wait for the batch).
        for audit_entry in deferred:
            await audit(**audit_entry)
    return outcomes


async def _batch_entry(
    principal: Principal,
    task_id: int,
    entry: ResultBatchEntry,
    transaction: Any,
    wordings: Wordings,
) -> ResultOutcome:
    """One result of a batch in its own savepoint: refused alone, nothing of it kept."""
    savepoint = await transaction.savepoint()
    try:
        outcome = await _put_result(principal, task_id, entry.result_id, entry.result, wordings)
    except SuichaError as refusal:
        await savepoint.rollback_to()
        await savepoint.release()
        wordings.forget()
        return ResultOutcome(entry.result_id, refusal.status, refusal.to_dict())
    await savepoint.release()
    if isinstance(outcome, Conflicted):
        error = outcome.error()
        return ResultOutcome(entry.result_id, error.status, error.to_dict())
    ack = ResultAck(result_id=outcome.result_id, version=outcome.version, status=outcome.status)
    return ResultOutcome(entry.result_id, 201 if outcome.created else 200, msgspec.to_builtins(ack))


_deferred_audit: ContextVar[list[dict[str, Any]] | None] = ContextVar(
    "suicha_batch_audit", default=None
)


async def _audit(**entry: Any) -> None:
    """Append an audit entry now, or (inside a batch) once the batch's results are written.
    It is always a write's last statement, so a write refused before it leaves none."""
    deferred = _deferred_audit.get()
    if deferred is None:
        await audit(**entry)
    else:
        deferred.append(entry)


def check_result_id(result_id: str, *, where: str = "路径参数") -> None:
    try:
        uuid.UUID(result_id)
    except ValueError:
        raise invalid(
            f"{where}“result_id”应为 UUID，收到“{result_id[:80]}”",
            f"result_id {result_id[:80]!r} is not a UUID",
        ) from None


def _check_result_owner(
    principal: Principal,
    task_id: int,
    item_id: int,
    result_id: str,
    history: list[dict[str, Any]],
) -> None:
    """A result id belongs to the task, item and device (account and device id) of its
    first version for good, even if that version only lost a conflict: an id never
    names two things."""
    first = history[0] if history else None
    if first is not None and (
        first["task"],
        first["item"],
        first["user"],
        first["device_id"],
    ) != (task_id, item_id, principal.user_id, principal.device_id):
        raise SuichaError(errors.RESULT_MISMATCH, result_id=result_id)


async def _replay(result_id: str, earlier: dict[str, Any]) -> Stored | Conflicted:
    """The answer given the first time this exact body arrived."""
    if earlier["accepted"]:
        return Stored(
            result_id=result_id,
            version=earlier["version"],
            status="unchanged",
            created=False,
        )
    conflict = await queries.conflict_by_client_version(earlier["id"])
    assert conflict is not None  # every unaccepted version is the client side of one
    versions = await queries.versions_by_ids([conflict["server_version"], earlier["id"]])
    return Conflicted(
        conflict_id=conflict["id"],
        reason=conflict["reason"],
        server=view_of(versions[conflict["server_version"]]),
        client=view_of(versions[earlier["id"]]),
    )


async def _conflict(
    principal: Principal,
    head: dict[str, Any],
    new_version: dict[str, Any],
    reason: ConflictReason,
    item: cache.Item,
    now: datetime,
) -> Conflicted:
    server_row = await queries.version_of(head["result_uuid"], head["version"])
    assert server_row is not None  # a head always points at a stored version
    client_id = await queries.add_version(**new_version, version=None, accepted=False)
    conflict_id = await queries.insert_conflict(
        task=new_version["task"],
        item=item.item,
        department=item.department,
        server_version=server_row["id"],
        client_version=client_id,
        reason=reason,
        status="open",
        created_at=now,
    )
    client_row = (await queries.versions_by_ids([client_id]))[client_id]
    await _audit(
        actor=principal.username,
        action="field.result.conflict",
        entity="item_result",
        entity_id=head["result_uuid"],
        change={
            "task": new_version["task"],
            "conflict": conflict_id,
            "reason": reason,
            "client_result": new_version["result_uuid"],
            "client_body_hash": new_version["body_hash"],
            "device": principal.device_id,
        },
    )
    return Conflicted(
        conflict_id=conflict_id,
        reason=reason,
        server=view_of(server_row),
        client=view_of(client_row),
    )


async def _audit_store(
    principal: Principal, task_id: int, item: str, result_id: str, version: int, body_hash: str
) -> None:
    await _audit(
        actor=principal.username,
        action="field.result.store",
        entity="item_result",
        entity_id=result_id,
        change={
            "task": task_id,
            "item": item,
            "version": version,
            "body_hash": body_hash,
            "device": principal.device_id,
        },
    )
