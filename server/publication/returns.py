"""Results returned by review (退回修改) and still waiting for their next version.

Read by field sync: a returned result accepts a new version after submission,
and the task package lists the returns with their reasons.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from server.field.tables import ItemResult
from server.publication.tables import ReviewDecision
from server.tasks import changes
from server.tasks.tables import TaskInspector


async def is_returned(task_id: int, item_id: int) -> bool:
    """Whether the latest decision on this item returned the result's current version."""
    latest = (
        await ReviewDecision.select(ReviewDecision.decision, ReviewDecision.result_version)
        .where((ReviewDecision.task == task_id) & (ReviewDecision.item == item_id))
        .order_by(ReviewDecision.id, ascending=False)
        .first()
    )
    if latest is None or latest["decision"] != "returned":
        return False
    head = (
        await ItemResult.select(ItemResult.version)
        .where((ItemResult.task == task_id) & (ItemResult.item == item_id))
        .first()
    )
    return head is not None and head["version"] == latest["result_version"]


async def open_returns(task_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Every still-open return of these tasks: task, item code, department code, reason."""
    ids = list(task_ids)
    if not ids:
        return []
    rows = (
        await ReviewDecision.select(
            ReviewDecision.id,
            ReviewDecision.task,
            ReviewDecision.item,
            ReviewDecision.item.code.as_alias("item_code"),
            ReviewDecision.department.code.as_alias("department_code"),
            ReviewDecision.result_uuid,
            ReviewDecision.result_version,
            ReviewDecision.decision,
            ReviewDecision.reason,
            ReviewDecision.decided_at,
        )
        .where(ReviewDecision.task.is_in(ids))
        .order_by(ReviewDecision.id)
    )
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    for row in rows:
        latest[(row["task"], row["item"])] = row
    heads = {
        (row["task"], row["item"]): row["version"]
        for row in await ItemResult.select(
            ItemResult.task, ItemResult.item, ItemResult.version
        ).where(ItemResult.task.is_in(ids))
    }
    return [
        row
        for key, row in latest.items()
        if row["decision"] == "returned" and heads.get(key) == row["result_version"]
    ]


async def answered(task_id: int, department_id: int) -> None:
    """Tell the department's devices that a return was made or answered (next sync)."""
    rows = await TaskInspector.select(TaskInspector.inspector).where(
        (TaskInspector.task == task_id)
        & (TaskInspector.department == department_id)
        & TaskInspector.active.eq(True)
    )
    await changes.record(task_id, sorted({row["inspector"] for row in rows}), "updated")
