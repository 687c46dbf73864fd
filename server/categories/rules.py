"""The rules of result categories, as plain functions over rows (no database)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from server.categories import errors
from shared.errors import SuichaError
from shared.problems import Problems
from shared.text import forbidden_character

CODE_PATTERN = re.compile(r"[0-9A-Za-z_-]{1,16}")
ZH_LIMIT = 100
EN_LIMIT = 200
SORT_LIMIT = 100_000


def new_problems() -> Problems:
    return Problems(errors.INVALID)


def check_code(code: str, problems: Problems) -> str:
    code = code.strip()
    if not CODE_PATTERN.fullmatch(code):
        problems.add("code", errors.CODE_INVALID)
    return code


def check_wording(field: str, text: str, problems: Problems, *, required: bool) -> str:
    """A wording: trimmed, within its limit, free of control characters."""
    limit = ZH_LIMIT if field == "zh" else EN_LIMIT
    which = ("类别名称", "wording") if field == "zh" else ("英文名称", "English wording")
    if forbidden_character(text) is not None:
        problems.add(field, errors.WORDING_INVALID, which=which[0], which_en=which[1], limit=limit)
        return text
    clean = text.strip()
    if len(clean) > limit or (required and not clean):
        problems.add(field, errors.WORDING_INVALID, which=which[0], which_en=which[1], limit=limit)
    return clean


def check_sort_order(value: int, problems: Problems) -> int:
    if not 0 <= value <= SORT_LIMIT:
        problems.add("sort_order", errors.SORT_ORDER_INVALID)
    return value


def active_children(code: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return [row["code"] for row in rows if row["parent"] == code and row["active"]]


def recordable(code: str, rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The category a result may take: known, active and not a grouping node.

    A grouping node (`A` 发现问题待后续处理, `2` 违反工商行政管理相关规定) has
    active children, and a result takes the precise one: the device offers
    only leaves, and the server refuses a group the same way.
    """
    if not code:
        raise SuichaError(errors.REQUIRED)
    row = next((r for r in rows if r["code"] == code), None)
    if row is None:
        raise SuichaError(errors.UNKNOWN, code=code[:40])
    wording = {"wording": row["zh"], "wording_en": row["en"] or row["zh"]}
    if not row["active"]:
        raise SuichaError(errors.RETIRED, code=code, **wording)
    children = active_children(code, rows)
    if children:
        raise SuichaError(
            errors.GROUPING,
            code=code,
            children="、".join(f"“{c}”" for c in children),
            children_en=", ".join(children),
            **wording,
        )
    return row
