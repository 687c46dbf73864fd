"""Request and response bodies of the result-categories API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType


class CategoryCreate(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    """Stable for good: letters, digits, '-' or '_', at most 16."""
    zh: str
    """The wording (Chinese), at most 100 characters."""
    en: str = ""
    parent: str | None = None
    """Code of the active group this category refines (`A`, `2`, …)."""
    sort_order: int | None = None
    """Place in the list (0–100000); after the last one when left out."""


class CategoryChanges(msgspec.Struct, forbid_unknown_fields=True):
    zh: str | UnsetType = UNSET
    en: str | UnsetType = UNSET
    sort_order: int | UnsetType = UNSET


class CategoryOut(msgspec.Struct):
    code: str
    zh: str
    en: str
    parent: str | None
    active: bool
    sort_order: int
    grouping: bool
    """Has active children: a result takes one of them, not the group."""
    updated_at: datetime
    updated_by: str


def changes_dict(changes: CategoryChanges) -> dict[str, Any]:
    return {
        field: getattr(changes, field)
        for field in changes.__struct_fields__
        if getattr(changes, field) is not UNSET
    }


def category_out(view: dict[str, Any]) -> CategoryOut:
    return CategoryOut(
        code=view["code"],
        zh=view["zh"],
        en=view["en"],
        parent=view["parent"],
        active=view["active"],
        sort_order=view["sort_order"],
        grouping=view["grouping"],
        updated_at=view["updated_at"],
        updated_by=view["updated_by"],
    )
