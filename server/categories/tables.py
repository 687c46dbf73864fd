"""Piccolo table of result categories. Queries over it live in `server.categories.queries`."""

from __future__ import annotations

from piccolo.columns import Boolean, Integer, Timestamptz, Varchar
from piccolo.table import Table


class ResultCategory(Table):
    """A result category (抽查检查结果类别): seeded with the national default list, editable."""

    code = Varchar(length=16, unique=True, index=True)
    """Stable for good: a rename changes the wording only."""
    zh = Varchar(length=100)
    """The wording (Chinese) shown to inspectors and published with a result."""
    en = Varchar(length=200, default="")
    parent = Varchar(length=16, null=True, default=None)
    """Code of the grouping node this category refines (`A`, `2`, …), or None."""
    active = Boolean(default=True)
    """A retired category (False) is no longer offered nor accepted; stored results keep it."""
    sort_order = Integer(default=0)
    updated_at = Timestamptz()
    updated_by = Varchar(length=64, default="")
