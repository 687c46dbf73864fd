"""Request and answer types of review and publication."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from shared.sync.protocol import ResultView


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    decision: str
    """approve / return."""
    version: int
    """The result version the reviewer looked at (refused if it is no longer current)."""
    reason: str = ""


class DecisionOut(msgspec.Struct):
    id: int
    item: str
    result_version: int
    decision: str
    reason: str
    reviewer: str
    decided_at: datetime


class DeadlineOut(msgspec.Struct):
    completed_on: date
    deadline: date
    provisional: bool
    rule: str
    overdue: bool
    published_on: date | None = None


class ItemReviewOut(msgspec.Struct):
    item: str
    name: str
    department: str
    state: str
    state_zh: str
    result: ResultView | None
    history: list[DecisionOut]
    conflict_id: int | None = None


class PublicationOut(msgspec.Struct):
    id: int
    version: int
    published_at: datetime
    published_by: str
    reason: str
    record: dict[str, Any]
    record_hash: str


class TaskReviewOut(msgspec.Struct):
    task_id: int
    plan_code: str
    plan_name: str
    business: str
    credit_code: str
    status: str
    state: str
    state_zh: str
    deadline: DeadlineOut | None
    items: list[ItemReviewOut]
    publications: list[PublicationOut]


class ReviewSummaryOut(msgspec.Struct):
    task_id: int
    plan_code: str
    business: str
    credit_code: str
    submitted_at: datetime | None
    state: str
    state_zh: str
    deadline: DeadlineOut | None


class PublishIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str = ""
    """Required for a correction (a second or later version)."""
