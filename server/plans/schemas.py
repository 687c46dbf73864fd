"""Request and response bodies of the plans API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType


class PlanDepartmentIn(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    per_task: int = 1
    """Inspectors this department sends per task."""


class PlanCreate(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    name: str
    year: int
    lead_department: str
    """Department code of the lead (牵头部门); it takes part with its own items."""
    departments: list[PlanDepartmentIn]
    """Every department taking part, the lead included (it is added if missing)."""
    items: list[str]
    """Item codes; each belongs to a participating department."""
    ratios: dict[str, str]
    """Ratio per credit-risk class ({"A": "0.03", …}) or {"all": "0.05"}."""
    window_start: date
    window_end: date
    kind: str = "joint"
    scope: dict[str, list[str]] = msgspec.field(default_factory=dict)
    """Sub-roster filter: risk_classes, industry_codes (prefix), regions (prefix), tags, kinds."""
    general_cap: int | None = None
    key_full_coverage: bool = False
    method: str = "on_site"
    frequency: str = ""
    repeat_window_days: int = 365
    cross_jurisdiction: bool = False
    description: str = ""


class PlanChanges(msgspec.Struct, forbid_unknown_fields=True):
    name: str | UnsetType = UNSET
    year: int | UnsetType = UNSET
    departments: list[PlanDepartmentIn] | UnsetType = UNSET
    items: list[str] | UnsetType = UNSET
    scope: dict[str, list[str]] | UnsetType = UNSET
    ratios: dict[str, str] | UnsetType = UNSET
    general_cap: int | UnsetType | None = UNSET
    key_full_coverage: bool | UnsetType = UNSET
    window_start: date | UnsetType = UNSET
    window_end: date | UnsetType = UNSET
    method: str | UnsetType = UNSET
    frequency: str | UnsetType = UNSET
    repeat_window_days: int | UnsetType = UNSET
    cross_jurisdiction: bool | UnsetType = UNSET
    description: str | UnsetType = UNSET


class PlanAmendmentIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str
    """Why the approved plan changes (stored and published)."""
    changes: PlanChanges


class PlanItemOut(msgspec.Struct):
    code: str
    name: str
    kind: str
    required_qualifications: list[str]


class PlanDepartmentOut(msgspec.Struct):
    code: str
    name: str
    per_task: int
    items: list[PlanItemOut]


class PlanWarning(msgspec.Struct):
    code: str
    zh: str
    en: str


class PlanAmendmentOut(msgspec.Struct):
    seq: int
    at: datetime
    actor: str
    reason: str
    changes: dict[str, Any]


class PlanOut(msgspec.Struct):
    id: int
    code: str
    name: str
    year: int
    kind: str
    status: str
    lead_department: str
    departments: list[PlanDepartmentOut]
    items: list[str]
    scope: dict[str, list[str]]
    ratios: dict[str, str]
    general_cap: int | None
    key_full_coverage: bool
    window_start: date
    window_end: date
    method: str
    frequency: str
    repeat_window_days: int
    cross_jurisdiction: bool
    description: str
    warnings: list[PlanWarning]
    amendments: list[PlanAmendmentOut]
    created_at: datetime
    approved_at: datetime | None
    published_at: datetime | None


def changes_dict(changes: PlanChanges) -> dict[str, Any]:
    """The fields actually sent, in the service's state shape."""
    out: dict[str, Any] = {}
    for field in changes.__struct_fields__:
        value = getattr(changes, field)
        if value is UNSET:
            continue
        if field == "departments":
            value = {d.code: d.per_task for d in value}
        out[field] = value
    return out


def create_dict(data: PlanCreate) -> dict[str, Any]:
    out = msgspec.structs.asdict(data)
    out["departments"] = {d.code: d.per_task for d in data.departments}
    return out


def plan_out(view: dict[str, Any]) -> PlanOut:
    return msgspec.convert(view, PlanOut, from_attributes=False)
