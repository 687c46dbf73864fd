"""Result categories: seeded with the national default list, then edited by admins.

Codes are stable for good: an admin adds a category, renames one (the code is
kept) and retires or reactivates it; nothing is deleted, since stored results
name their category by code (and keep the wording they were recorded with).
Every change is one write transaction with its audit entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.categories import errors, queries, rules
from server.db.transaction import write_transaction
from shared.errors import SuichaError
from shared.result_categories import DEFAULT_CATEGORIES

ENTITY = "result_category"
SORT_STEP = 10


async def ensure_defaults() -> None:
    """Seed the default list on first use when the table is empty (as risk classes are)."""
    if await queries.any_category():
        return
    now = datetime.now(UTC)
    rows = [
        {
            "code": c.code,
            "zh": c.zh,
            "en": c.en,
            "parent": c.parent,
            "active": True,
            "sort_order": (index + 1) * SORT_STEP,
            "updated_at": now,
            "updated_by": "system",
        }
        for index, c in enumerate(DEFAULT_CATEGORIES)
    ]
    async with write_transaction():
        inserted = await queries.insert_new(rows)
        if inserted:
            await audit(
                actor="system",
                action="category.seed",
                entity=ENTITY,
                change={"codes": inserted},
            )


async def all_categories() -> list[dict[str, Any]]:
    await ensure_defaults()
    return await queries.all_categories()


async def views() -> list[dict[str, Any]]:
    """Every category with `grouping` (it has active children), as the admin list shows it."""
    rows = await all_categories()
    return [{**row, "grouping": bool(rules.active_children(row["code"], rows))} for row in rows]


async def _view(code: str) -> dict[str, Any]:
    row = await _existing(code)
    rows = await queries.all_categories()
    return {**row, "grouping": bool(rules.active_children(code, rows))}


async def active_categories() -> list[dict[str, Any]]:
    """What a task package offers: every active category, grouping nodes included."""
    await ensure_defaults()
    return await queries.active_categories()


async def recordable_wording(code: str) -> str:
    """The wording a result records with `code`, or a refusal (unknown, retired, a group)."""
    return str(rules.recordable(code, await all_categories())["zh"])


async def _existing(code: str) -> dict[str, Any]:
    row = await queries.category(code)
    if row is None:
        raise SuichaError(errors.NOT_FOUND, code=code[:40])
    return row


async def create(principal: Principal, data: Mapping[str, Any]) -> dict[str, Any]:
    await ensure_defaults()
    problems = rules.new_problems()
    code = rules.check_code(data["code"], problems)
    zh = rules.check_wording("zh", data["zh"], problems, required=True)
    en = rules.check_wording("en", data["en"], problems, required=False)
    sort_order = data["sort_order"]
    if sort_order is not None:
        rules.check_sort_order(sort_order, problems)
    parent = data["parent"] or None
    async with write_transaction():
        if parent is not None:
            parent_row = await queries.category(parent)
            if parent_row is None or not parent_row["active"]:
                problems.add("parent", errors.PARENT_UNKNOWN, parent=parent[:40])
        problems.raise_if_any()
        if await queries.category(code) is not None:
            raise SuichaError(errors.CODE_TAKEN, code=code)
        row = {
            "code": code,
            "zh": zh,
            "en": en,
            "parent": parent,
            "active": True,
            "sort_order": sort_order
            if sort_order is not None
            else await queries.last_sort_order() + SORT_STEP,
            "updated_at": datetime.now(UTC),
            "updated_by": principal.username,
        }
        await queries.insert_new([row])
        await audit(
            actor=principal.username,
            action="category.create",
            entity=ENTITY,
            entity_id=code,
            change={k: row[k] for k in ("zh", "en", "parent", "sort_order")},
        )
    return await _view(code)


async def rename(principal: Principal, code: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """New wording or place in the list; the code never changes."""
    await ensure_defaults()
    problems = rules.new_problems()
    values: dict[str, Any] = {}
    if "zh" in changes:
        values["zh"] = rules.check_wording("zh", changes["zh"], problems, required=True)
    if "en" in changes:
        values["en"] = rules.check_wording("en", changes["en"], problems, required=False)
    if "sort_order" in changes:
        values["sort_order"] = rules.check_sort_order(changes["sort_order"], problems)
    async with write_transaction():
        old = await _existing(code)
        problems.raise_if_any()
        diff = {k: {"before": old[k], "after": v} for k, v in values.items() if old[k] != v}
        if diff:
            await queries.update(
                code,
                {
                    **{k: v["after"] for k, v in diff.items()},
                    "updated_at": datetime.now(UTC),
                    "updated_by": principal.username,
                },
            )
            await audit(
                actor=principal.username,
                action="category.rename",
                entity=ENTITY,
                entity_id=code,
                change=diff,
            )
    return await _view(code)


async def set_active(principal: Principal, code: str, active: bool) -> dict[str, Any]:
    """Retire (停用) or reactivate a category.

    A group with active children is not retired (its children would be left
    under a retired group), and a child is not reactivated under a retired group.
    """
    await ensure_defaults()
    async with write_transaction():
        old = await _existing(code)
        if old["active"] != active:
            if not active:
                children = rules.active_children(code, await queries.all_categories())
                if children:
                    raise SuichaError(
                        errors.HAS_ACTIVE_CHILDREN,
                        code=code,
                        children="、".join(f"“{c}”" for c in children),
                        children_en=", ".join(children),
                    )
            elif old["parent"] is not None:
                parent = await queries.category(old["parent"])
                if parent is None or not parent["active"]:
                    raise SuichaError(errors.PARENT_RETIRED, parent=old["parent"])
            await queries.update(
                code,
                {
                    "active": active,
                    "updated_at": datetime.now(UTC),
                    "updated_by": principal.username,
                },
            )
            await audit(
                actor=principal.username,
                action="category.reactivate" if active else "category.retire",
                entity=ENTITY,
                entity_id=code,
                change={"active": {"before": old["active"], "after": active}},
            )
    return await _view(code)
