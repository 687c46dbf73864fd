"""Who may write what (rule 6, 谁检查、谁录入): checked on every field write."""

from __future__ import annotations

from dataclasses import dataclass

from server.accounts.principal import Principal
from server.field import errors, queries
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


async def require_task(task_id: int) -> dict[str, object]:
    """The task, locked for the write transaction; 404 when it does not exist."""
    task = await queries.lock_task(task_id)
    if task is None:
        raise SuichaError(errors.UNKNOWN_TASK, task_id=task_id)
    return task


async def membership(task_id: int, inspector_id: int) -> Membership:
    """The caller's active membership; refuses one never on the team or taken off it."""
    rows = await queries.memberships(task_id, inspector_id)
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
