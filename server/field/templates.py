"""Checklist template versions (检查表模板版本): a form is finished on the version it began on.

An item's template lives in the item roster as one JSON document that
administrators may edit. Field sync numbers each distinct content of it per
item, the first time it goes out in a task package, and keeps every version
for good (`ItemTemplate`). The package names the version; a result names the
version its form was filled on and is validated against that version, not
against whatever the item holds when the result arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from server.db.transaction import write_transaction
from server.field import cache, errors, queries
from shared.canonical import canonical_json, sha256_hex
from shared.errors import SuichaError

REGISTER_ATTEMPTS = 3
"""Tries when two servers number a new template of the same item at once (the
unique index lets one win; the other reads the winner's number or takes the next)."""


def template_hash(checklist: Any) -> str:
    return sha256_hex(canonical_json(checklist if checklist is not None else []))


async def versions_of(items: Iterable[tuple[int, Any]]) -> dict[int, int]:
    """Item id → version number of its current checklist, numbering new contents."""
    hashes: dict[int, str] = {}
    checklists: dict[int, Any] = {}
    for item_id, checklist in items:
        hashes[item_id] = template_hash(checklist)
        checklists[item_id] = checklist if checklist is not None else []
    found = _matching(await queries.template_versions(hashes), hashes)
    missing = [item_id for item_id in hashes if item_id not in found]
    if missing:
        async with write_transaction():
            for item_id in missing:
                found[item_id] = await _register(item_id, checklists[item_id], hashes[item_id])
    return found


def _matching(rows: list[dict[str, Any]], hashes: dict[int, str]) -> dict[int, int]:
    return {r["item"]: r["version"] for r in rows if hashes.get(r["item"]) == r["checklist_hash"]}


async def _register(item_id: int, checklist: Any, digest: str) -> int:
    for _ in range(REGISTER_ATTEMPTS):
        known = _matching(await queries.template_versions([item_id]), {item_id: digest})
        if item_id in known:
            return known[item_id]
        await queries.insert_template(
            item=item_id,
            version=await queries.last_template_version(item_id) + 1,
            checklist=checklist,
            checklist_hash=digest,
            created_at=datetime.now(UTC),
        )
    known = _matching(await queries.template_versions([item_id]), {item_id: digest})
    if item_id not in known:  # pragma: no cover - needs REGISTER_ATTEMPTS lost races in a row
        raise RuntimeError(f"could not number the template of item {item_id}")
    return known[item_id]


async def checklist_for(
    facts: cache.TaskFacts, item_id: int, item_code: str, version: int | None
) -> Any:
    """The template a result is validated against: its named version, else the current one.

    A numbered version never changes, so it is kept with the task's cached facts
    (`server.field.cache`); the item's current template may be edited at any
    time and is read every time."""
    if version is None:
        return await queries.item_checklist(item_id)
    checklist = facts.templates.get((item_id, version))
    if checklist is not None:
        return checklist
    checklist = await queries.template_checklist(item_id, version) if version > 0 else None
    if checklist is None:
        raise SuichaError(errors.TEMPLATE_VERSION_UNKNOWN, item=item_code, version=version)
    cache.remember_template(facts, item_id, version, checklist)
    return checklist
