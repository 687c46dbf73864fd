"""Bulk writes of roster rows: the one fast path for objects (import, demo data).

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
from server.rosters.tables import InspectionObject

OBJECT_COLUMNS: tuple[str, ...] = (
    "credit_code",
    "name",
    "kind",
    "industry_code",
    "licences",
    "region",
    "address",
    "risk_class",
    "status",
    "abnormal",
    "complaints",
    "tags",
    "updated_at",
)
"""Column order of the row tuples `insert_objects` and `update_objects` take.

`licences` and `tags` are JSON text (`'["a","b"]'`), `updated_at` a timezone-aware
datetime, `abnormal` a bool, `complaints` an int.
"""

OBJECT_TABLE: str = InspectionObject._meta.tablename

_CHUNK = 50_000
"""Rows per driver call: bounds memory while keeping per-call overhead negligible."""


def _chunks(rows: Iterable[Sequence[Any]], size: int = _CHUNK) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _is_postgres() -> bool:
    return isinstance(current_engine(), PostgresEngine)


def timestamp_param(at: datetime) -> Any:
    """`at` as a driver parameter for a Timestamptz column, converted once.

    On SQLite the adapter Piccolo registers would otherwise run once per row;
    passing its result (the stored text) for every row of a batch saves that.
    """
    if _is_postgres():
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
        if _is_postgres():
            for chunk in _chunks(rows):
                await connection.copy_records_to_table(table, records=chunk, columns=list(columns))
                count += len(chunk)
        else:
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            if constant is not None:
                names += f', "{constant[0]}"'
                marks += f", {constant[1]}"
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            for chunk in _chunks(rows):
                await connection.executemany(sql, chunk)
                count += len(chunk)
    return count


async def insert_objects(
    rows: Iterable[Sequence[Any]], *, updated_at: datetime | None = None
) -> int:
    """Insert objects given as tuples in `OBJECT_COLUMNS` order; return how many.

    With `updated_at`, rows leave out the last column and all get that time
    (on SQLite as one literal in the statement rather than a value per row).
    """
    if updated_at is None:
        return await insert_rows(OBJECT_TABLE, OBJECT_COLUMNS, rows)
    if _is_postgres():
        return await insert_rows(OBJECT_TABLE, OBJECT_COLUMNS, ((*row, updated_at) for row in rows))
    # The literal is our own ISO text (digits, '-', ':', '.', '+', ' '): safe to inline.
    stamp = convert_datetime_in(updated_at)
    return await insert_rows(
        OBJECT_TABLE, OBJECT_COLUMNS[:-1], rows, constant=("updated_at", f"'{stamp}'")
    )


async def update_objects(rows: Iterable[Sequence[Any]]) -> int:
    """Overwrite existing objects (matched by credit code) with rows in `OBJECT_COLUMNS` order.

    PostgreSQL copies the rows into a temporary table and updates in one
    statement; SQLite runs one prepared UPDATE per row through `executemany`
    (in-process, so no round trips).
    """
    rest = OBJECT_COLUMNS[1:]
    count = 0
    async with write_transaction() as transaction:
        connection = transaction.connection
        if _is_postgres():
            names = ", ".join(f'"{c}"' for c in OBJECT_COLUMNS)
            await connection.execute(
                "CREATE TEMP TABLE IF NOT EXISTS object_update ON COMMIT DROP AS "
                f'SELECT {names} FROM "{OBJECT_TABLE}" WITH NO DATA'
            )
            await connection.execute("TRUNCATE object_update")
            for chunk in _chunks(rows):
                await connection.copy_records_to_table(
                    "object_update", records=chunk, columns=list(OBJECT_COLUMNS)
                )
                count += len(chunk)
            assignments = ", ".join(f'"{c}" = u."{c}"' for c in rest)
            await connection.execute(
                f'UPDATE "{OBJECT_TABLE}" AS o SET {assignments} '
                "FROM object_update AS u WHERE o.credit_code = u.credit_code"
            )
        else:
            assignments = ", ".join(f'"{c}" = ?' for c in rest)
            sql = f'UPDATE "{OBJECT_TABLE}" SET {assignments} WHERE "credit_code" = ?'
            for chunk in _chunks(rows):
                await connection.executemany(sql, [(*row[1:], row[0]) for row in chunk])
                count += len(chunk)
    return count
