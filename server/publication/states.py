"""Review state of item results and tasks (pure: no database).

待审核 pending → 审核通过 approved | 退回修改 returned; a returned item whose
inspector sent a new version is pending again. An open conflict (待复核)
overrides everything until resolved. A task can be published only when every
item is approved on its current version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

ItemState = Literal["missing", "pending", "approved", "returned", "conflict"]

STATE_ZH: dict[str, str] = {
    "missing": "未录入",
    "pending": "待审核",
    "approved": "审核通过",
    "returned": "退回修改",
    "conflict": "冲突待复核",
    "ready": "可公示",
    "published": "已公示",
    "in_review": "审核中",
}


def item_state(
    head_version: int | None, latest: Mapping[str, Any] | None, in_conflict: bool
) -> ItemState:
    """The state of one item result from its current version and the latest decision on it."""
    if in_conflict:
        return "conflict"
    if head_version is None:
        return "missing"
    if latest is None or latest["result_version"] != head_version:
        return "pending"
    return "approved" if latest["decision"] == "approved" else "returned"


def task_state(item_states: Iterable[ItemState], published: bool) -> str:
    """published / ready / returned / conflict / in_review for the review list."""
    states = set(item_states)
    if "conflict" in states:
        return "conflict"
    if "returned" in states:
        return "returned"
    if states and states == {"approved"}:
        return "published" if published else "ready"
    return "published" if published else "in_review"


def blocking(item_states: Mapping[str, ItemState]) -> dict[str, ItemState]:
    """Items that stop publication: everything not approved on its current version."""
    return {item: state for item, state in item_states.items() if state != "approved"}
