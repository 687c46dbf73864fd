"""Export a roster to CSV or XLSX in the import layout (export → import changes nothing)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from server.rosters import queries
from server.rosters.columns import INSPECTORS, OBJECTS, RosterKind
from server.rosters.files import RowWriter
from server.rosters.records import stored_record


def header(kind: RosterKind) -> list[str]:
    return [column.zh for column in kind.columns]


def cells(kind: RosterKind, record: tuple[Any, ...]) -> list[str]:
    return [column.format(value) for column, value in zip(kind.columns, record, strict=True)]


async def _batches(kind: RosterKind) -> AsyncIterator[list[dict[str, Any]]]:
    if kind is OBJECTS:
        async for batch in queries.all_objects(kind.fields):
            yield batch
    elif kind is INSPECTORS:
        yield await queries.all_inspectors()
    else:
        yield await queries.all_items()


async def export_roster(kind: RosterKind, fmt: str, path: Path) -> int:
    """Write every row of the roster to `path`; return how many.

    Batches are written in a worker thread (a million rows would hold the event
    loop for seconds). On any failure nothing is left behind: `path` and
    openpyxl's own temporary file are removed before the error goes on.
    """
    writer = await asyncio.to_thread(RowWriter, path, fmt, sheet_title=kind.name)
    count = 0
    try:
        await asyncio.to_thread(writer.write, [header(kind)])
        async for batch in _batches(kind):
            rows = [cells(kind, stored_record(kind, row)) for row in batch]
            await asyncio.to_thread(writer.write, rows)
            count += len(batch)
        await asyncio.to_thread(writer.close)
    except BaseException:
        await asyncio.shield(asyncio.to_thread(writer.abort))
        raise
    return count
