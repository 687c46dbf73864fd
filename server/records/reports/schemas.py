"""Request and response types of reports (报表) and the accountability view (问责)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec


class ReportIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    """monthly / quarterly / half_year / year."""
    period: str
    """2026-11 / 2026-Q4 / 2026-H1 / 2026."""
    department: str = ""
    """A department code; empty for the combined report (admins and back office)."""


class ReportOut(msgspec.Struct):
    id: int
    kind: str
    period: str
    department: str
    generated_at: datetime
    generated_by: str
    sha256: str
    size: int


class Responsible(msgspec.Struct):
    name: str
    role: str
    """team (检查组) / reviewer (审核人) / publisher (公示人) / back_office (内勤)."""
    badge_no: str = ""
    username: str = ""


class AccountabilityOut(msgspec.Struct):
    kind: str
    """not_inspected / published_late / delayed."""
    kind_zh: str
    department: str
    plan_code: str
    task_id: int
    business: str
    credit_code: str
    due: date
    """The day it should have happened: the task's last day, or the publication deadline."""
    happened: date | None
    """When it did happen (submission or publication), or null if it still has not."""
    days_late: int
    responsible: list[Responsible]


class FeedbackOut(msgspec.Struct):
    """One department's ratings and objections in a year (the accountability view's figures)."""

    department: str
    department_name: str
    year: int
    ratings: int
    """Ratings the businesses gave (评价数)."""
    rating_mean: float | None
    """Their mean score 1–5, to two places; null without ratings."""
    objections_filed: int
    objections_upheld: int
    objections_rejected: int
    objections_open: int
    objections_overdue: int
    """Answered after the working-day deadline, or still open after it."""
    overdue_objections: list[int]
    """The ids of the overdue objections (`/api/v1/objections/{id}`)."""
