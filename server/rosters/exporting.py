"""Export a roster to CSV or XLSX in the import layout (export → import changes nothing)."""

from __future__ import annotations

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
    """Write every row of the roster to `path`; return how many."""
    writer = RowWriter(path, fmt, sheet_title=kind.name)
    count = 0
    try:
        writer.write([header(kind)])
        async for batch in _batches(kind):
            writer.write(cells(kind, stored_record(kind, row)) for row in batch)
            count += len(batch)
    finally:
        writer.close()
    return count
