"""Record changes to tasks in the per-inspector change feed (`TaskChange`).

Whoever creates a task, changes its team, items or deadline, or takes an
inspector off it calls `record()` inside the same write transaction, so a
device's cursor never skips a change that committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal

from server.tasks.tables import Task, TaskChange

ChangeKind = Literal["assigned", "updated", "removed"]


async def record(task_id: int, inspector_ids: Iterable[int], kind: ChangeKind) -> None:
    """Append one feed row per inspector and raise the task's version."""
    now = datetime.now(UTC)
    rows = [TaskChange(task=task_id, inspector=i, kind=kind, at=now) for i in inspector_ids]
    if rows:
        await TaskChange.insert(*rows)
    await Task.update({Task.version: Task.version + 1, Task.updated_at: now}).where(
        Task.id == task_id
    )
