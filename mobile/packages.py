"""The task package as the device's services read it (one lookup for all of them)."""

from __future__ import annotations

from typing import Any

from mobile.sync.errors import TASK_UNKNOWN
from mobile.sync.session import USERNAME
from mobile.sync.states import SubmissionState
from mobile.sync.store import Store, TaskStatus
from shared.errors import SuichaError, define

MY_BADGE = "badge_no"
"""Meta key of the signed-in inspector's badge (执法证号), when the app knows it."""


def task_status(store: Store, task_id: int) -> TaskStatus:
    """The task on this device, or `device.task_unknown` (sync first)."""
    task = store.task(task_id)
    if task is None:
        raise SuichaError(TASK_UNKNOWN, task_id=task_id)
    return task


def package_item(package: dict[str, Any], item_code: str) -> dict[str, Any] | None:
    return next((i for i in package.get("items", []) if i.get("code") == item_code), None)


def task_code(package: dict[str, Any]) -> str:
    """How a task is named on paper and on the photo stamp: plan code and task number."""
    plan = (package.get("plan") or {}).get("code", "")
    return f"{plan}-{package['id']}" if plan else str(package["id"])


def my_badge(store: Store, package: dict[str, Any]) -> str:
    """The inspector's badge: from the package (sync-v1.1), else as the app kept it."""
    return str(
        package.get("my_badge") or store.get_meta(MY_BADGE) or store.get_meta(USERNAME) or ""
    )


TASK_CLOSED = define(
    "device.task_closed",
    409,
    "此任务已申请提交，笔录和签名不能再修改",
    "Submission of this task was requested; the visit record and signatures are closed",
)


def require_open(task: TaskStatus) -> None:
    """The visit record and signatures change only until submission is asked for."""
    if task.submission != SubmissionState.NOT_REQUESTED or task.package.get("submitted_at"):
        raise SuichaError(TASK_CLOSED)
