"""Review (审核) of submitted results: the back-office list, one task's file, decisions per item.

A decision applies to the version the reviewer looked at; returning an item
(退回修改) needs a reason and reaches the inspectors of its department at
their next sync, as part of the task package.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import msgspec

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.calendar import queries as calendar_queries
from server.calendar import service as calendar
from server.db.transaction import write_transaction
from server.field import queries as field_queries
from server.field.results import view_of
from server.http.paging import Page, clamp_limit, page_of
from server.publication import errors, queries, returns, states
from server.publication.schemas import (
    DeadlineOut,
    DecisionIn,
    DecisionOut,
    ItemReviewOut,
    PublicationOut,
    ReviewSummaryOut,
    TaskReviewOut,
)
from shared.deadlines import DeadlineRule
from shared.errors import SuichaError

REASON_LIMIT = 500
DECISIONS = {"approve": "approved", "return": "returned"}
REVIEWABLE = ("submitted", "closed")


def today() -> date:
    return datetime.now(calendar.CHINA).date()


def deadline_out(row: dict[str, Any] | None) -> DeadlineOut | None:
    if row is None:
        return None
    published_on = row.get("published_on")
    return DeadlineOut(
        completed_on=row["completed_on"],
        deadline=row["deadline"],
        provisional=bool(row["provisional"]),
        rule=DeadlineRule(row["days"], bool(row["working_days"])).describe_zh(),
        overdue=(published_on or today()) > row["deadline"],
        published_on=published_on,
    )


def check_reason(reason: str, what: str, what_en: str) -> str:
    reason = reason.strip()
    if not 1 <= len(reason) <= REASON_LIMIT:
        raise SuichaError(errors.REASON_REQUIRED, what=what, what_en=what_en, limit=REASON_LIMIT)
    return reason


async def item_states(task_id: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The task's items with head, latest decision, conflict and state (keyed by item code)."""
    items = await queries.task_items(task_id)
    heads = await field_queries.heads_of_task(task_id)
    latest: dict[int, dict[str, Any]] = {}
    history: dict[int, list[dict[str, Any]]] = {}
    for row in await queries.decisions([task_id]):
        latest[row["item"]] = row
        history.setdefault(row["item"], []).append(row)
    conflicts = {row["item"]: row["id"] for row in await queries.open_conflicts([task_id])}
    info: dict[str, Any] = {}
    for item in items:
        head = heads.get(item["item"])
        state = states.item_state(
            head["version"] if head else None, latest.get(item["item"]), item["item"] in conflicts
        )
        info[item["code"]] = {
            "head": head,
            "latest": latest.get(item["item"]),
            "history": history.get(item["item"], []),
            "conflict": conflicts.get(item["item"]),
            "state": state,
        }
    return items, info


def _decision_out(row: dict[str, Any], item_code: str) -> DecisionOut:
    return DecisionOut(
        id=row["id"],
        item=item_code,
        result_version=row["result_version"],
        decision=row["decision"],
        reason=row["reason"],
        reviewer=row["reviewer"],
        decided_at=row["decided_at"],
    )


def publication_out(row: dict[str, Any]) -> PublicationOut:
    record = row["record"]
    if isinstance(record, str):  # SQLite hands JSON columns back as text
        record = msgspec.json.decode(record)
    return PublicationOut(
        id=row["id"],
        version=row["version"],
        published_at=row["published_at"],
        published_by=row["published_by"],
        reason=row["reason"],
        record=record,
        record_hash=row["record_hash"],
    )


async def require_task(principal: Principal, task_id: int) -> dict[str, Any]:
    row = await queries.task(task_id)
    if row is None:
        raise SuichaError(errors.TASK_UNKNOWN, task_id=task_id)
    if not principal.is_admin:
        departments = {item["department"] for item in await queries.task_items(task_id)}
        # Another department's task is reported as unknown: its existence is not theirs.
        if principal.department_id not in departments | {row["lead_department"]}:
            raise SuichaError(errors.TASK_UNKNOWN, task_id=task_id)
    return row


async def task_review(principal: Principal, task_id: int) -> TaskReviewOut:
    """Everything a reviewer needs on one task: each item's current result, state and opinions."""
    row = await require_task(principal, task_id)
    items, info = await item_states(task_id)
    out: list[ItemReviewOut] = []
    for item in items:
        entry = info[item["code"]]
        head = entry["head"]
        result = None
        if head is not None:
            version = await field_queries.version_of(head["result_uuid"], head["version"])
            result = view_of(version) if version else None
        out.append(
            ItemReviewOut(
                item=item["code"],
                name=item["name"],
                department=item["department_code"],
                state=entry["state"],
                state_zh=states.STATE_ZH[entry["state"]],
                result=result,
                history=[_decision_out(d, item["code"]) for d in entry["history"]],
                conflict_id=entry["conflict"],
            )
        )
    published = await queries.publications(task_id)
    task_state = states.task_state((i["state"] for i in info.values()), bool(published))
    deadline = (await calendar_queries.deadlines_of([task_id])).get(task_id)
    return TaskReviewOut(
        task_id=task_id,
        plan_code=row["plan_code"],
        plan_name=row["plan_name"],
        business=row["object_name"],
        credit_code=row["credit_code"],
        status=row["status"],
        state=task_state,
        state_zh=states.STATE_ZH[task_state],
        deadline=deadline_out(deadline),
        items=out,
        publications=[publication_out(p) for p in published],
    )


async def review_list(
    principal: Principal,
    *,
    plan: str | None,
    department: str | None,
    published: bool | None,
    due_before: date | None,
    limit: int,
    offset: int,
) -> Page[ReviewSummaryOut]:
    """Submitted tasks of the caller's department (an admin: any, or the one asked for)."""
    limit = clamp_limit(limit)
    department_id: int | None = None if principal.is_admin else principal.department_id or -1
    if department is not None:
        asked = await calendar_queries.department_id(department)
        if asked is None or not principal.manages_department(asked):
            return page_of([], 0, limit, offset)
        department_id = asked
    rows, total = await queries.review_queue(
        department_id=department_id,
        plan_code=plan,
        published=published,
        due_before=due_before,
        limit=limit,
        offset=offset,
    )
    ids = [row["id"] for row in rows]
    deadlines = await calendar_queries.deadlines_of(ids)
    published_ids = await queries.published_task_ids(ids)
    out = []
    for row in rows:
        _, info = await item_states(row["id"])
        state = states.task_state((i["state"] for i in info.values()), row["id"] in published_ids)
        out.append(
            ReviewSummaryOut(
                task_id=row["id"],
                plan_code=row["plan_code"] or "",  # "": a directed task (定向检查), no plan
                business=row["object_name"],
                credit_code=row["credit_code"],
                submitted_at=row["submitted_at"],
                state=state,
                state_zh=states.STATE_ZH[state],
                deadline=deadline_out(deadlines.get(row["id"])),
            )
        )
    return page_of(out, total, limit, offset)


async def decide(
    principal: Principal, task_id: int, item_code: str, request: DecisionIn
) -> DecisionOut:
    """Approve or return the current version of one item result; the opinion is kept."""
    decision = DECISIONS.get(request.decision)
    if decision is None:
        raise SuichaError(errors.UNKNOWN_DECISION)
    reason = request.reason.strip()
    if decision == "returned":
        reason = check_reason(reason, "退回修改", "Returning a result")
    elif len(reason) > REASON_LIMIT:
        raise SuichaError(
            errors.REASON_REQUIRED, what="审核意见", what_en="An opinion", limit=REASON_LIMIT
        )
    async with write_transaction():
        task = await require_task(principal, task_id)
        if task["status"] not in REVIEWABLE:
            raise SuichaError(errors.NOT_SUBMITTED, task_id=task_id)
        items, info = await item_states(task_id)
        item = next((i for i in items if i["code"] == item_code), None)
        entry = info.get(item_code)
        if item is None or entry is None or entry["head"] is None:
            raise SuichaError(errors.ITEM_UNKNOWN, task_id=task_id, item=item_code[:64])
        if not principal.manages_department(item["department"]):
            raise SuichaError(
                errors.FORBIDDEN_DEPARTMENT, item=item_code, department=item["department_name"]
            )
        if entry["conflict"] is not None:
            raise SuichaError(errors.IN_CONFLICT, item=item_code, conflict_id=entry["conflict"])
        head = entry["head"]
        if request.version != head["version"]:
            raise SuichaError(
                errors.STALE_VERSION,
                item=item_code,
                current=head["version"],
                version=request.version,
            )
        latest = entry["latest"]
        if latest is not None and (latest["result_version"], latest["decision"]) == (
            head["version"],
            decision,
        ):
            raise SuichaError(
                errors.ALREADY_DECIDED,
                item=item_code,
                version=head["version"],
                decision=decision,
                decision_zh=states.STATE_ZH[decision],
            )
        now = datetime.now(UTC)
        values = {
            "task": task_id,
            "item": item["item"],
            "department": item["department"],
            "result_uuid": head["result_uuid"],
            "result_version": head["version"],
            "decision": decision,
            "reason": reason,
            "reviewer": principal.username,
            "decided_at": now,
        }
        decision_id = await queries.insert_decision(values)
        if decision == "returned":
            # The department's inspectors see the return (and its reason) at next sync.
            await returns.answered(task_id, item["department"])
        await audit(
            actor=principal.username,
            action=f"review.{request.decision}",
            entity="item_result",
            entity_id=head["result_uuid"],
            change={
                "task": task_id,
                "item": item_code,
                "version": head["version"],
                "reason": reason,
            },
        )
    return _decision_out({"id": decision_id, **values}, item_code)
