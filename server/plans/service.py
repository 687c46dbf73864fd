"""Plans: create, edit while draft, approve, publish, amend with a reason, close.

A plan's editable content is handled as one "state" dict (the fields a team
lead sets); every write validates the whole state with `server.plans.rules`,
so an amendment can never produce a plan a fresh create would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from server.accounts.principal import Principal
from server.accounts.roles import PERMISSIONS
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.plans import errors, queries, rules
from shared.errors import SuichaError

EDITABLE = (
    "name",
    "year",
    "departments",
    "items",
    "scope",
    "ratios",
    "general_cap",
    "key_full_coverage",
    "window_start",
    "window_end",
    "method",
    "frequency",
    "repeat_window_days",
    "cross_jurisdiction",
    "description",
)
"""Fields of the state a plan's owner may change (code, kind and lead are fixed)."""


@dataclass(frozen=True)
class ResolvedPlan:
    state: dict[str, Any]
    department_ids: dict[str, int]
    """Participating department code → id (the lead included)."""
    item_ids: list[int]
    warnings: list[dict[str, str]]


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


async def _resolve(state: dict[str, Any]) -> ResolvedPlan:
    """Validate a complete plan state against the rules and the rosters.

    Every problem is collected and reported in one `plans.invalid` refusal, so
    a team lead fixes a plan in one round instead of one problem per request.
    """
    problems = rules.new_problems()
    if state["kind"] not in rules.KINDS:
        problems.add("kind", errors.KIND_INVALID)
    if state["method"] not in rules.METHODS:
        problems.add("method", errors.METHOD_INVALID)
    if state["window_start"] > state["window_end"]:
        problems.add("window_end", errors.WINDOW_INVALID)
    if state["general_cap"] is not None and not 1 <= state["general_cap"] <= rules.CAP_LIMIT:
        problems.add("general_cap", errors.CAP_INVALID, limit=rules.CAP_LIMIT)
    low, high = rules.YEARS
    if not low <= state["year"] <= high:
        problems.add("year", errors.YEAR_INVALID, low=low, high=high)
    if not 0 <= state["repeat_window_days"] <= 3650:
        problems.add("repeat_window_days", errors.REPEAT_WINDOW_INVALID)
    lead = state["lead_department"]
    per_task = {lead: 1, **dict(state["departments"])}
    for code, count in per_task.items():
        if not 1 <= count <= 10:
            problems.add(f"departments.{code}.per_task", errors.PER_TASK_INVALID, department=code)
    if state["kind"] == "annual" and set(per_task) != {lead}:
        problems.add("departments", errors.ANNUAL_ONE_DEPARTMENT)
    if state["kind"] == "joint" and len(per_task) < 2:
        problems.add("departments", errors.JOINT_NEEDS_PARTNER)
    departments = await queries.departments_by_code(per_task)
    for code in sorted(per_task):
        if code not in departments:
            problems.add(f"departments.{code}", errors.DEPARTMENT_UNKNOWN, department=code)
    if not state["items"]:
        problems.add("items", errors.NO_ITEMS)
    items = await queries.items_by_code(state["items"])
    for code in sorted(set(state["items"])):
        item = items.get(code)
        if item is None or not item["active"]:
            problems.add(f"items.{code}", errors.ITEM_UNKNOWN, item=code)
        elif item["department_code"] not in per_task:
            problems.add(
                f"items.{code}",
                errors.ITEM_DEPARTMENT,
                item=code,
                department=item["department_code"],
            )
    usable = [i for i in items.values() if i["active"] and i["department_code"] in per_task]
    with_items = {item["department_code"] for item in usable}
    for code in sorted(per_task):
        if code in departments and code not in with_items:
            problems.add(f"departments.{code}", errors.DEPARTMENT_WITHOUT_ITEMS, department=code)
    classes = await queries.risk_class_codes() or list(rules.DEFAULT_RISK_CLASSES)
    ratios = rules.check_ratios(state["ratios"], classes, problems)
    rules.check_ratio_caps(ratios, usable, problems)
    scope = rules.check_scope(state["scope"], problems)
    problems.raise_if_any()
    clean = {
        **state,
        "departments": {code: per_task[code] for code in sorted(per_task)},
        "items": sorted(set(state["items"])),
        "scope": scope,
        "ratios": ratios,
    }
    return ResolvedPlan(
        state=clean,
        department_ids={code: departments[code]["id"] for code in per_task},
        item_ids=[items[code]["id"] for code in clean["items"]],
        warnings=rules.joint_warnings(state["kind"], per_task),
    )


async def require_drawable(plan: Mapping[str, Any]) -> None:
    """Refuse a draw of a plan that breaks the ratio rules (one stored before they held).

    A draw must never run with a ratio above a general item's cap, nor with a
    class silently left at 0; the plan is fixed by a recorded amendment first.
    """
    problems = rules.new_problems()
    classes = await queries.risk_class_codes() or list(rules.DEFAULT_RISK_CLASSES)
    ratios = rules.check_ratios(plan["ratios"], classes, problems)
    rules.check_ratio_caps(ratios, await queries.plan_items(plan["id"]), problems)
    problems.raise_if_any()


def _columns(state: Mapping[str, Any]) -> dict[str, Any]:
    """The Plan row values of a state (departments and items live in their own tables)."""
    return {key: state[key] for key in EDITABLE if key not in ("departments", "items")}


async def load_state(plan: Mapping[str, Any]) -> dict[str, Any]:
    departments = await queries.plan_departments(plan["id"])
    items = await queries.plan_items(plan["id"])
    return {
        "kind": plan["kind"],
        "lead_department": plan["lead_code"],
        "departments": {row["code"]: row["per_task"] for row in departments},
        "items": [row["code"] for row in items],
        **{key: plan[key] for key in EDITABLE if key not in ("departments", "items")},
    }


async def _plan(plan_id: int) -> dict[str, Any]:
    plan = await queries.plan_by_id(plan_id)
    if plan is None:
        raise SuichaError(errors.PLAN_NOT_FOUND, plan=str(plan_id))
    return plan


async def _write_state(plan_id: int, resolved: ResolvedPlan, now: datetime) -> None:
    await queries.update_plan(plan_id, {**_columns(resolved.state), "updated_at": now})
    await queries.replace_departments(
        plan_id,
        {
            resolved.department_ids[code]: count
            for code, count in resolved.state["departments"].items()
        },
    )
    await queries.replace_items(plan_id, resolved.item_ids)


async def create_plan(principal: Principal, data: dict[str, Any]) -> tuple[int, list[dict]]:
    """Create a draft plan; return its id and any warnings (never refusals)."""
    state = {key: data[key] for key in ("kind", "lead_department", *EDITABLE)}
    resolved = await _resolve(state)
    lead_id = resolved.department_ids[state["lead_department"]]
    principal.require_department(lead_id, state["lead_department"])
    now = datetime.now(UTC)
    async with write_transaction():
        if await queries.plan_code_taken(data["code"]):
            raise SuichaError(errors.CODE_TAKEN, plan=data["code"])
        plan_id = await queries.insert_plan(
            {
                **_columns(resolved.state),
                "code": data["code"],
                "kind": state["kind"],
                "lead_department": lead_id,
                "status": rules.DRAFT,
                "created_at": now,
                "updated_at": now,
                "created_by": principal.username,
            }
        )
        await _write_state(plan_id, resolved, now)
        await audit(
            actor=principal.username,
            action="plan.create",
            entity="plan",
            entity_id=data["code"],
            change={k: _json_value(v) for k, v in resolved.state.items()},
        )
    return plan_id, resolved.warnings


async def _owned_plan(principal: Principal, plan_id: int) -> dict[str, Any]:
    """The plan, locked for this write transaction, if the caller manages its lead department."""
    await queries.lock_plan(plan_id)
    plan = await _plan(plan_id)
    principal.require_department(plan["lead_department"], plan["lead_code"])
    return plan


async def update_plan(
    principal: Principal, plan_id: int, changes: dict[str, Any]
) -> list[dict[str, str]]:
    """Edit a draft. After approval the only way is `amend_plan`."""
    async with write_transaction():
        plan = await _owned_plan(principal, plan_id)
        if plan["status"] != rules.DRAFT:
            raise SuichaError(
                errors.AMENDMENT_REQUIRED,
                status=plan["status"],
                status_zh=rules.STATUS_ZH.get(plan["status"], plan["status"]),
            )
        before = await load_state(plan)
        resolved = await _resolve({**before, **changes})
        now = datetime.now(UTC)
        await _write_state(plan_id, resolved, now)
        await audit(
            actor=principal.username,
            action="plan.update",
            entity="plan",
            entity_id=plan["code"],
            change=_diff(before, resolved.state),
        )
    return resolved.warnings


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return rules.changes_between(
        {k: _json_value(v) for k, v in before.items()},
        {k: _json_value(v) for k, v in after.items()},
    )


async def amend_plan(
    principal: Principal, plan_id: int, reason: str, changes: dict[str, Any]
) -> list[dict[str, str]]:
    """A recorded change to an approved or published plan (不得随意更改): stored and published."""
    reason = reason.strip()
    if not reason:
        raise SuichaError(errors.REASON_REQUIRED)
    async with write_transaction():
        plan = await _owned_plan(principal, plan_id)
        if plan["status"] not in rules.AMENDABLE:
            raise SuichaError(
                errors.NOT_AMENDABLE,
                status=plan["status"],
                status_zh=rules.STATUS_ZH.get(plan["status"], plan["status"]),
            )
        # Scheduling froze ratios, population and pools with the commitment: an
        # amendment now would publish a plan the draw does not follow.
        draw = await queries.scheduled_draw(plan_id)
        if draw is not None:
            raise SuichaError(errors.DRAW_SCHEDULED, draw=draw)
        before = await load_state(plan)
        resolved = await _resolve({**before, **changes})
        diff = _diff(before, resolved.state)
        if not diff:
            raise SuichaError(errors.NOTHING_TO_AMEND)
        now = datetime.now(UTC)
        await _write_state(plan_id, resolved, now)
        await queries.insert_amendment(
            {
                "plan": plan_id,
                "seq": await queries.next_amendment_seq(plan_id),
                "at": now,
                "actor": principal.username,
                "reason": reason,
                "changes": diff,
            }
        )
        await audit(
            actor=principal.username,
            action="plan.amend",
            entity="plan",
            entity_id=plan["code"],
            change={"reason": reason, "changes": diff},
        )
    return resolved.warnings


async def advance(principal: Principal, plan_id: int, action: str) -> str:
    """approve / publish / close; returns the new status."""
    async with write_transaction():
        plan = await _owned_plan(principal, plan_id)
        status = rules.transition(plan["status"], action)
        if action in ("approve", "publish"):
            # The rosters may have changed since the plan was saved (a retired
            # item, a lowered cap, a new risk class): approve only a plan a
            # fresh create would accept.
            await _resolve(await load_state(plan))
        now = datetime.now(UTC)
        stamp = {"approve": "approved_at", "publish": "published_at", "close": "closed_at"}
        await queries.update_plan(
            plan_id, {"status": status, stamp[action]: now, "updated_at": now}
        )
        await audit(
            actor=principal.username,
            action=f"plan.{action}",
            entity="plan",
            entity_id=plan["code"],
            change={"status": {"before": plan["status"], "after": status}},
        )
    return status


async def plan_view(plan: Mapping[str, Any]) -> dict[str, Any]:
    """Everything shown about a plan, staff or public (plans hold nothing private)."""
    state = await load_state(plan)
    items = await queries.plan_items(plan["id"])
    departments = await queries.plan_departments(plan["id"])
    amendments = await queries.plan_amendments(plan["id"])
    return {
        "id": plan["id"],
        "code": plan["code"],
        "status": plan["status"],
        **{k: state[k] for k in ("kind", "lead_department", *EDITABLE) if k != "departments"},
        "departments": [
            {
                "code": d["code"],
                "name": d["name"],
                "per_task": d["per_task"],
                "items": [
                    {
                        "code": i["code"],
                        "name": i["name"],
                        "kind": i["kind"],
                        "required_qualifications": list(i["required_qualifications"] or []),
                    }
                    for i in items
                    if i["department_code"] == d["code"]
                ],
            }
            for d in departments
        ],
        "warnings": [
            *rules.joint_warnings(plan["kind"], state["departments"]),
            *rules.ratio_warnings(
                state["ratios"],
                await queries.risk_class_codes() or list(rules.DEFAULT_RISK_CLASSES),
                items,
            ),
        ],
        "amendments": [
            {
                "seq": a["seq"],
                "at": a["at"],
                "actor": a["actor"],
                "reason": a["reason"],
                "changes": a["changes"],
            }
            for a in amendments
        ],
        "created_at": plan["created_at"],
        "approved_at": plan["approved_at"],
        "published_at": plan["published_at"],
    }


def sees_drafts(principal: Principal) -> bool:
    """Drafts are work in progress of the plan's authors: inspectors and observers never see
    them (they read plans from approval on)."""
    return principal.role in PERMISSIONS["plans.read_drafts"]


def visible_statuses(principal: Principal, status: str | None) -> list[str] | None:
    """The statuses a plan listing may show this caller (None: every status)."""
    if sees_drafts(principal):
        return [status] if status else None
    shown = [s for s in rules.STATUS_ZH if s != rules.DRAFT]
    return [s for s in shown if s == status] if status else shown


async def plan_view_by_id(plan_id: int, principal: Principal | None = None) -> dict[str, Any]:
    """A plan's view; a draft is "not found" for a caller who may not see drafts."""
    plan = await _plan(plan_id)
    if principal is not None and plan["status"] == rules.DRAFT and not sees_drafts(principal):
        raise SuichaError(errors.PLAN_NOT_FOUND, plan=str(plan_id))
    return await plan_view(plan)
