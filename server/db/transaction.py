"""Write transactions that hold under concurrency on both engines.

SQLite fails a deferred read-then-write transaction at once with "database is
locked" when another writer is active, whatever the busy timeout. Writes
therefore take an IMMEDIATE transaction (the write lock is taken at BEGIN and
waits out the busy timeout) and, within one process, queue on an asyncio lock
so they do not spin against each other. PostgreSQL needs neither.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

_write_locks: dict[int, asyncio.Lock] = {}


def _write_lock(engine: Engine) -> asyncio.Lock:
    lock = _write_locks.get(id(engine))
    if lock is None:
        lock = _write_locks[id(engine)] = asyncio.Lock()
    return lock


@asynccontextmanager
async def write_transaction(engine: Engine | None = None) -> AsyncIterator[Any]:
    """One transaction for one write request; commits on exit, rolls back on error.

    Nested use joins the outer transaction (Piccolo's `allow_nested`).
    """
    engine = engine or current_engine()
    if engine.current_transaction.get() is not None:
        async with engine.transaction() as transaction:
            yield transaction
        return
    if isinstance(engine, SQLiteEngine):
        async with (
            _write_lock(engine),
            engine.transaction(transaction_type=TransactionType.immediate) as transaction,
        ):
            yield transaction
    else:
        async with engine.transaction() as transaction:
            yield transaction


def current_engine() -> Engine:
    from piccolo.engine import engine_finder

    engine = engine_finder()
    if engine is None:  # pragma: no cover - PICCOLO_CONF is always set by `server`
        raise RuntimeError("no Piccolo engine configured")
    return engine
