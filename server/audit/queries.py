"""Read queries over the audit log (appends live in `server.audit.log`)."""

from __future__ import annotations

from typing import Any

from server.audit.tables import AuditEntry


async def list_entries(
    *,
    limit: int,
    offset: int,
    action: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    conditions: list[Any] = []
    if action:
        conditions.append(AuditEntry.action == action)
    if entity:
        conditions.append(AuditEntry.entity == entity)
    if entity_id:
        conditions.append(AuditEntry.entity_id == entity_id)
    rows = (
        await AuditEntry.select()
        .where(*conditions)
        .order_by(AuditEntry.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return rows, await AuditEntry.count().where(*conditions)


async def head() -> tuple[int, str | None]:
    """How many entries there are, and the last one's hash."""
    last = (
        await AuditEntry.select(AuditEntry.entry_hash)
        .order_by(AuditEntry.id, ascending=False)
        .first()
    )
    return await AuditEntry.count(), (last["entry_hash"] if last else None)
