"""Every query the demo dataset runs itself (objects go through `server.rosters.bulk`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from server.accounts.tables import User
from server.rosters.tables import Department, InspectionItem, InspectionObject, Inspector

_CONTENT: tuple[tuple[str, str, Any], ...] = (
    ("部门", "departments", Department),
    ("检查事项", "inspection items", InspectionItem),
    ("检查人员", "inspectors", Inspector),
    ("检查对象", "objects", InspectionObject),
    ("账号", "accounts", User),
)


async def existing_content() -> tuple[str, str] | None:
    """The first kind of data the database already holds (Chinese, English), or None."""
    for zh, en, table in _CONTENT:
        if await table.exists():
            return zh, en
    return None


def _json(value: Any) -> str:
    # JSON columns get their text form so both engines store the same thing
    # (the convention of `server.rosters.queries`).
    return json.dumps(value, ensure_ascii=False)


async def insert_departments(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Insert departments; return their ids by code."""
    inserted = await Department.insert(*(Department(**row) for row in rows)).returning(
        Department.id, Department.code
    )
    return {row["code"]: row["id"] for row in inserted}


async def insert_items(rows: Iterable[Mapping[str, Any]]) -> int:
    items = [
        InspectionItem(
            **{
                key: _json(value) if isinstance(value, list | dict) else value
                for key, value in row.items()
            }
        )
        for row in rows
    ]
    await InspectionItem.insert(*items)
    return len(items)


async def insert_inspectors(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Insert inspectors; return their ids by badge number."""
    inspectors = [
        Inspector(
            **{
                key: _json(value) if isinstance(value, list | dict) else value
                for key, value in row.items()
            }
        )
        for row in rows
    ]
    inserted = await Inspector.insert(*inspectors).returning(Inspector.id, Inspector.badge_no)
    return {row["badge_no"]: row["id"] for row in inserted}
