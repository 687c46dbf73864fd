"""Who may write what (rule 6, 谁检查、谁录入): checked on every field write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.accounts.principal import Principal
from server.field import cache, errors, queries
from shared.errors import SuichaError


@dataclass(frozen=True)
class Membership:
    """The caller's active places on a task's team: department id → code."""

    task_id: int
    departments: dict[int, str]

    @property
    def first_department(self) -> tuple[int, str]:
        return next(iter(self.departments.items()))


def inspector_of(principal: Principal) -> int:
    if principal.inspector_id is None:
        raise SuichaError(errors.NOT_INSPECTOR)
    return principal.inspector_id


async def require_task(task_id: int) -> dict[str, Any]:
    """The task, locked for the write transaction; 404 when it does not exist."""
    task = await queries.lock_task(task_id)
    if task is None:
        raise SuichaError(errors.UNKNOWN_TASK, task_id=task_id)
    return task


async def task_facts(task: dict[str, Any]) -> cache.TaskFacts:
    """The team and items of a task just read by `require_task` (in the same transaction),
    from the cache while the task's version is the one read."""
    task_id, version, updated_at = int(task["id"]), int(task["version"]), task["updated_at"]
    facts = cache.task_facts(task_id, version, updated_at)
    if facts is not None:
        return facts
    facts = cache.TaskFacts(task_id=task_id, version=version, updated_at=updated_at)
    for row in await queries.team_of_task(task_id):
        facts.members.setdefault(row["inspector"], []).append(
            cache.Member(
                department=row["department"],
                department_code=row["department_code"],
                active=bool(row["active"]),
                removed_reason=row["removed_reason"] or "",
            )
        )
    for row in await queries.items_of_task(task_id):
        facts.items.setdefault(
            row["code"],
            cache.Item(
                item=row["item"],
                department=row["department"],
                department_code=row["department_code"],
            ),
        )
    cache.remember_task(facts)
    return facts


def membership_in(facts: cache.TaskFacts, inspector_id: int) -> Membership:
    """`membership`, from a task's facts."""
    places = facts.members.get(inspector_id, [])
    rows = [
        {
            "department": m.department,
            "department_code": m.department_code,
            "active": m.active,
            "removed_reason": m.removed_reason,
        }
        for m in places
    ]
    return _membership(facts.task_id, rows)


async def membership(task_id: int, inspector_id: int) -> Membership:
    """The caller's active membership; refuses one never on the team or taken off it."""
    return _membership(task_id, await queries.memberships(task_id, inspector_id))


def _membership(task_id: int, rows: list[dict[str, Any]]) -> Membership:
    active = {row["department"]: row["department_code"] for row in rows if row["active"]}
    if active:
        return Membership(task_id=task_id, departments=active)
    if rows:
        reason = rows[-1]["removed_reason"] or ""
        raise SuichaError(
            errors.NOT_ON_TASK,
            extra={"removed": True, "removed_reason": reason},
            task_id=task_id,
            reason=f"（已被调出：{reason}）" if reason else "（已被调出）",
            reason_en=f" (taken off: {reason})" if reason else " (taken off the task)",
        )
    raise SuichaError(
        errors.NOT_ON_TASK, extra={"removed": False}, task_id=task_id, reason="", reason_en=""
    )
