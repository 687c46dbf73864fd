"""Bulk writes of objects: the one fast path for the object roster (import, demo data).

Built on `server.db.bulk` (the raw-connection `executemany` / `COPY` path);
rows must already be validated; nothing here checks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from piccolo.engine.sqlite import convert_datetime_in

from server.db.bulk import chunks, insert_rows, is_postgres
from server.db.transaction import write_transaction
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


async def insert_objects(
    rows: Iterable[Sequence[Any]], *, updated_at: datetime | None = None
) -> int:
    """Insert objects given as tuples in `OBJECT_COLUMNS` order; return how many.

    With `updated_at`, rows leave out the last column and all get that time
    (on SQLite as one literal in the statement rather than a value per row).
    """
    if updated_at is None:
        return await insert_rows(OBJECT_TABLE, OBJECT_COLUMNS, rows)
    if is_postgres():
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
        if is_postgres():
            names = ", ".join(f'"{c}"' for c in OBJECT_COLUMNS)
            await connection.execute(
                "CREATE TEMP TABLE IF NOT EXISTS object_update ON COMMIT DROP AS "
                f'SELECT {names} FROM "{OBJECT_TABLE}" WITH NO DATA'
            )
            await connection.execute("TRUNCATE object_update")
            for chunk in chunks(rows):
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
            for chunk in chunks(rows):
                await connection.executemany(sql, [(*row[1:], row[0]) for row in chunk])
                count += len(chunk)
    return count
