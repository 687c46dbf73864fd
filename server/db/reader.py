"""Reads of pages that must stay fast: on SQLite, one kept-open read-only connection on a
thread of its own.

Piccolo opens a new SQLite connection for every query, which costs several times an
indexed page of rows (measured in bench/workspace_bench.py: ~6 ms against ~0.3 ms).
`fetch(select)` runs a Piccolo SELECT on a connection that stays open instead, with
Piccolo's own type converters (declared column types), so rows look as Piccolo gives
them. On PostgreSQL Piccolo's pool is already fast: the query runs as it is.
"""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine
from piccolo.query import Count, Select

_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suicha-reader")
_connections: dict[tuple[str, int], sqlite3.Connection] = {}


def _read(path: str, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    # Keyed by the file's inode too: a database file replaced under the same name (a
    # restore) gets a connection of its own instead of the old file's.
    key = (path, Path(path).stat().st_ino)
    connection = _connections.get(key)
    if connection is None:
        connection = sqlite3.connect(
            f"file:{path}?mode=ro",
            uri=True,
            detect_types=sqlite3.PARSE_DECLTYPES,
            check_same_thread=False,
        )
        connection.row_factory = sqlite3.Row
        _connections[key] = connection
    return [dict(row) for row in connection.execute(sql, args).fetchall()]


async def fetch(query: Select | Count) -> Any:
    """`await query`, through the kept-open reader on SQLite."""
    engine = query.table._meta.db
    if not isinstance(engine, SQLiteEngine):
        return await query
    sql, args = query.querystrings[0].compile_string(engine_type="sqlite")
    path = engine.connection_kwargs["database"]
    rows = await asyncio.get_running_loop().run_in_executor(_thread, _read, path, sql, tuple(args))
    if isinstance(query, Count):
        return rows[0]["count"] if rows else 0
    return rows
