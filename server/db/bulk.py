"""Bulk writes of plain row tuples: the one fast path for large inserts.

Piccolo's `insert(*rows)` builds SQL in Python (25× slower than the driver)
and fails past the bound-variable limit, so bulk paths use the raw connection
of the current Piccolo transaction: `executemany` on SQLite (aiosqlite), and
`COPY` (`copy_records_to_table`) on PostgreSQL (asyncpg). Rows must already be
validated; nothing here checks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import convert_datetime_in

from server.db.transaction import current_engine, write_transaction

_CHUNK = 50_000
"""Rows per driver call: bounds memory while keeping per-call overhead negligible."""


def chunks(rows: Iterable[Sequence[Any]], size: int = _CHUNK) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def is_postgres() -> bool:
    return isinstance(current_engine(), PostgresEngine)


def timestamp_param(at: datetime) -> Any:
    """`at` as a driver parameter for a Timestamptz column, converted once.

    On SQLite the adapter Piccolo registers would otherwise run once per row;
    passing its result (the stored text) for every row of a batch saves that.
    """
    if is_postgres():
        return at
    return convert_datetime_in(at)


async def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    constant: tuple[str, str] | None = None,
) -> int:
    """Insert plain row tuples into `table`; inside the caller's transaction if one is open.

    `constant` (SQLite only): (column, SQL literal) for one more column that
    every row shares.
    """
    count = 0
    async with write_transaction() as transaction:
        connection = transaction.connection
        if is_postgres():
            for chunk in chunks(rows):
                await connection.copy_records_to_table(table, records=chunk, columns=list(columns))
                count += len(chunk)
        else:
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            if constant is not None:
                names += f', "{constant[0]}"'
                marks += f", {constant[1]}"
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            for chunk in chunks(rows):
                await connection.executemany(sql, chunk)
                count += len(chunk)
    return count
