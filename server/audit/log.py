"""Append to and verify the hash-chained audit log.

Each entry's hash covers its own content and the previous entry's hash, so
changing, removing or reordering any entry breaks every later link. Appends
serialise on the chain's head: on SQLite the IMMEDIATE write transaction
already does; on PostgreSQL a transaction-scoped advisory lock does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from server.audit.tables import AuditEntry
from server.db.transaction import write_transaction
from shared.audit_chain import GENESIS_HASH, entry_hash
from shared.canonical import canonical_json

_ADVISORY_KEY = 0x5E1C4A  # any constant shared by every writer of the chain


async def append(
    *, actor: str, action: str, entity: str, entity_id: str = "", change: Any = None
) -> str:
    """Write one entry inside the caller's transaction (or a new one); return its hash."""
    async with write_transaction():
        if isinstance(AuditEntry._meta.db, PostgresEngine):
            await AuditEntry.raw("SELECT pg_advisory_xact_lock({})", _ADVISORY_KEY)
        last = (
            await AuditEntry.select(AuditEntry.entry_hash)
            .order_by(AuditEntry.id, ascending=False)
            .first()
        )
        entry = {
            "prev_hash": last["entry_hash"] if last else GENESIS_HASH,
            "at": datetime.now(UTC),
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "change": canonical_json(change if change is not None else {}),
        }
        digest = entry_hash(entry)
        await AuditEntry.insert(AuditEntry(**entry, entry_hash=digest))
        return digest


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


async def _entries(batch: int = 5000) -> AsyncIterator[dict[str, Any]]:
    last_id = 0
    while True:
        rows = (
            await AuditEntry.select()
            .where(AuditEntry.id > last_id)
            .order_by(AuditEntry.id)
            .limit(batch)
        )
        if not rows:
            return
        for row in rows:
            yield row
        last_id = rows[-1]["id"]


async def verify_chain() -> list[ChainBreak]:
    """Every place where the chain does not hold; empty when it is intact."""
    breaks: list[ChainBreak] = []
    expected_prev = GENESIS_HASH
    async for row in _entries():
        if row["prev_hash"] != expected_prev:
            breaks.append(ChainBreak(row["id"], "prev_hash does not match the previous entry"))
        recomputed = entry_hash(row)
        if recomputed != row["entry_hash"]:
            breaks.append(ChainBreak(row["id"], "entry content does not match its hash"))
        expected_prev = row["entry_hash"]
    return breaks
