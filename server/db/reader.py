"""Reads of pages that must stay fast: on SQLite, kept-open read-only connections, the read
run at once on the event loop's thread and moved to a reader thread of its own if it is slow.

Piccolo opens a new SQLite connection for every query, which costs several times an
indexed page of rows (measured in bench/workspace_bench.py: ~6 ms against ~0.3 ms).
`fetch(query)` runs a Piccolo SELECT, COUNT or `Table.raw(...)` read on a connection that
stays open instead, with Piccolo's own type converters (declared column types), so rows
look as Piccolo gives them. On PostgreSQL Piccolo's pool is already fast: the query runs
as it is.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine
from piccolo.query import Count, Raw, Select

_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suicha-reader")
_connections: dict[tuple[str, int], sqlite3.Connection] = {}
_loop_side = threading.local()

INLINE_BUDGET = 0.002
"""Seconds a read may run on the event loop's own thread before SQLite stops it and it runs
again on the reader thread. Most reads here are an indexed page (well under a millisecond):
handing each to a thread and back costs two thread switches, which on a loaded machine
cost more than the read itself; a slow read (a scan) blocks the loop for this long at most
(checked every `CHECK_EVERY` SQLite VM steps) and then costs what it did before."""
CHECK_EVERY = 1000


def _open(connections: dict[tuple[str, int], sqlite3.Connection], path: str) -> sqlite3.Connection:
    # Keyed by the file's inode too: a database file replaced under the same name (a
    # restore) gets a connection of its own instead of the old file's.
    key = (path, Path(path).stat().st_ino)
    connection = connections.get(key)
    if connection is None:
        connection = sqlite3.connect(
            f"file:{path}?mode=ro",
            uri=True,
            detect_types=sqlite3.PARSE_DECLTYPES,
            check_same_thread=False,
        )
        connection.row_factory = sqlite3.Row
        connections[key] = connection
    return connection


def _read(path: str, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    """On the reader thread."""
    return [dict(row) for row in _open(_connections, path).execute(sql, args).fetchall()]


def _read_within_budget(path: str, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]] | None:
    """On the calling thread (the event loop's), on a connection of that thread's own; None
    when the read ran out of `INLINE_BUDGET`."""
    if not hasattr(_loop_side, "connections"):
        _loop_side.connections = {}
    connection = _open(_loop_side.connections, path)
    deadline = time.perf_counter() + INLINE_BUDGET
    stopped = False

    def over_budget() -> bool:
        nonlocal stopped
        stopped = time.perf_counter() > deadline
        return stopped

    connection.set_progress_handler(over_budget, CHECK_EVERY)
    try:
        return [dict(row) for row in connection.execute(sql, args).fetchall()]
    except sqlite3.OperationalError:
        if stopped:  # "interrupted" by the handler above: nothing was changed, read again
            return None
        raise


async def fetch(query: Select | Count | Raw) -> Any:
    """`await query`, through the kept-open reader on SQLite (reads only: the connection is
    read-only, and it sees what is committed, not an open transaction's own writes)."""
    engine = query.table._meta.db
    if not isinstance(engine, SQLiteEngine):
        return await query
    sql, args = query.querystrings[0].compile_string(engine_type="sqlite")
    path = engine.connection_kwargs["database"]
    rows = _read_within_budget(path, sql, tuple(args))
    if rows is None:
        loop = asyncio.get_running_loop()
        rows = await loop.run_in_executor(_thread, _read, path, sql, tuple(args))
    if isinstance(query, Count):
        return rows[0]["count"] if rows else 0
    return rows
