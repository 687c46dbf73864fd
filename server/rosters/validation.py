"""Validate a whole roster file: every bad row found in one pass (pure: no DB).

Runs in a worker thread during an import. Rows are numbered as a spreadsheet
shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice, repeat
from pathlib import Path
from typing import Any

from server.rosters.columns import Lookups, RosterKind, fold_header, header_index
from server.rosters.files import read_rows
from server.rosters.rules import FieldProblem

_MISSING = object()
_BATCH = 10_000
"""Rows validated together, column by column."""
_MEMO_LIMIT = 4096
"""Distinct cell texts remembered per column (names and addresses soon stop being added)."""

MAX_REPORTED_ERRORS = 10_000
"""Errors listed in one answer; `error_count` still counts them all."""


@dataclass
class ParsedFile:
    kind: RosterKind
    present: tuple[bool, ...] = ()
    """Per field: whether the file has its column (absent columns keep stored values)."""
    records: list[tuple[Any, ...]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0

    def add_error(self, row: int, column: str, code: str, zh: str, en: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(
                {"row": row, "column": column, "code": code, "reason": {"zh": zh, "en": en}}
            )


def _header_positions(kind: RosterKind, header: list[str], parsed: ParsedFile) -> dict[str, int]:
    index = header_index(kind)
    positions: dict[str, int] = {}
    for position, text in enumerate(header):
        folded = fold_header(text)
        if not folded:
            continue
        name = index.get(folded)
        if name is None:
            parsed.add_error(
                1,
                text,
                "rosters.column_unknown",
                f"未知列“{text}”",
                f"unknown column {text!r}",
            )
        elif name in positions:
            parsed.add_error(
                1,
                text,
                "rosters.column_repeated",
                f"列“{text}”重复",
                f"column {text!r} appears twice",
            )
        else:
            positions[name] = position
    for column in kind.columns:
        if column.required and column.field not in positions:
            parsed.add_error(
                1,
                column.zh,
                "rosters.column_missing",
                f"缺少必需的列“{column.zh}”（{column.field}）",
                f"the required column {column.field!r} ({column.zh}) is missing",
            )
    return positions


class _ColumnCheck:
    """Converts one column of a batch of rows, remembering results per cell text.

    Most columns repeat a few values (classes, statuses, regions, tags): after
    the first rows, a cell is one dict lookup, done by `map` without a Python
    loop. The key column (unique) is not memoised.
    """

    def __init__(self, parse: Any, lookups: Lookups, *, memoise: bool) -> None:
        self.parse = parse
        self.lookups = lookups
        self.memo: dict[str, Any] | None = {} if memoise else None
        self.refused: set[str] = set()
        """Cell texts known to be bad (their problems are in `memo`)."""

    def _convert(self, cell: str) -> Any:
        try:
            value = self.parse(cell, self.lookups)
        except FieldProblem as problem:
            self.refused.add(cell)
            value = problem
        if self.memo is not None and len(self.memo) < _MEMO_LIMIT:
            self.memo[cell] = value
        return value

    def _convert_unique(self, cell: str) -> Any:
        try:
            return self.parse(cell, self.lookups)
        except FieldProblem as problem:
            self.refused.add(cell)
            return problem

    def run(self, cells: tuple[str, ...]) -> tuple[list[Any], bool]:
        """Converted values (a `FieldProblem` where refused) and whether any was refused."""
        refused_before = len(self.refused)
        memo = self.memo
        if memo is None:
            values = list(map(self._convert_unique, cells))
        else:
            values = list(map(memo.get, cells, repeat(_MISSING)))
            misses = values.count(_MISSING)
            if misses * 2 > len(values) and len(memo) >= _MEMO_LIMIT:
                self.memo = None  # a column of unique texts (names, addresses): stop looking up
            if misses:
                convert = self._convert
                values = [
                    convert(c) if v is _MISSING else v for c, v in zip(cells, values, strict=True)
                ]
        bad = len(self.refused) > refused_before or (
            bool(self.refused) and not self.refused.isdisjoint(cells)
        )
        return values, bad


def _fit(cells: list[str], width: int) -> list[str]:
    return (cells + [""] * width)[:width] if len(cells) < width else cells[:width]


def _batches(
    rows: Iterator[list[str]], width: int, key_position: int
) -> Iterator[tuple[list[int], list[list[str]]]]:
    """Non-blank rows padded to the header's width, with their row numbers, in batches."""
    first_number = 2
    while chunk := list(islice(rows, _BATCH)):
        numbers = list(range(first_number, first_number + len(chunk)))
        first_number += len(chunk)
        # The usual row has the header's width and a key: only others are looked at.
        odd = [i for i, cells in enumerate(chunk) if len(cells) != width or not cells[key_position]]
        if odd:
            for i in odd:
                chunk[i] = _fit(chunk[i], width)
            blank = {i for i in odd if not "".join(chunk[i]).strip()}
            if blank:
                numbers = [n for i, n in enumerate(numbers) if i not in blank]
                chunk = [cells for i, cells in enumerate(chunk) if i not in blank]
        if chunk:
            yield numbers, chunk


def iter_valid_rows(
    kind: RosterKind, rows: Iterator[list[str]], lookups: Lookups, parsed: ParsedFile
) -> Iterator[tuple[list[int], list[tuple[Any, ...]]]]:
    """The good records of each batch with their row numbers; errors go to `parsed`.

    Streaming, so an import can write batches while later ones are checked
    (and roll back if any row turns out bad).
    """
    header = next(rows, None)
    if header is None:
        parsed.add_error(1, "", "rosters.file_empty", "文件为空", "the file is empty")
        return
    positions = _header_positions(kind, header, parsed)
    if parsed.error_count:
        return
    parsed.present = tuple(c.field in positions for c in kind.columns)
    names = [header[positions[c.field]] if c.field in positions else c.zh for c in kind.columns]
    # Absent optional columns take their default, computed once.
    defaults = [None if c.field in positions else c.parse("", lookups) for c in kind.columns]
    checks = [
        _ColumnCheck(c.parse, lookups, memoise=index > 0) for index, c in enumerate(kind.columns)
    ]
    seen: dict[Any, int] = {}
    width = len(header)
    for numbers, batch in _batches(rows, width, positions[kind.key]):
        # Rows were fitted to the header's width, columns have one value per row.
        cells_by_position = list(zip(*batch, strict=False))
        columns: list[list[Any]] = []
        errors: list[tuple[int, int, FieldProblem]] = []
        for index, column in enumerate(kind.columns):
            position = positions.get(column.field, -1)
            if position < 0:
                columns.append([defaults[index]] * len(batch))
                continue
            values, bad = checks[index].run(cells_by_position[position])
            if bad:
                for offset, value in enumerate(values):
                    if isinstance(value, FieldProblem):
                        errors.append((offset, index, value))
                        values[offset] = None
            columns.append(values)
        records = list(zip(*columns, strict=False))
        bad_rows = {offset for offset, _, _ in errors}
        if kind.cross_check is not None:
            for offset, record in enumerate(records):
                if offset in bad_rows:
                    continue
                for name, problem in kind.cross_check(dict(zip(kind.fields, record, strict=True))):
                    errors.append((offset, kind.fields.index(name), problem))
        keys = columns[0]
        batch_keys = set(keys)
        # `seen.keys().isdisjoint(...)` walks the batch; `set.isdisjoint(dict)`
        # would walk the whole (growing) dict every batch.
        if (
            len(batch_keys) == len(keys)
            and None not in batch_keys
            and seen.keys().isdisjoint(batch_keys)
        ):
            seen.update(zip(keys, numbers, strict=False))
        else:
            # A repeated key (in this batch or an earlier one): find which, row by row.
            for offset, (key, number) in enumerate(zip(keys, numbers, strict=True)):
                if key is None:
                    continue
                earlier = seen.setdefault(key, number)
                if earlier != number:
                    errors.append(
                        (
                            offset,
                            0,
                            FieldProblem(
                                "rosters.duplicate_key",
                                f"“{key}”与第{earlier}行重复",
                                f"{key!r} repeats row {earlier}",
                            ),
                        )
                    )
        if errors:
            errors.sort(key=lambda error: (error[0], error[1]))
            for offset, index, problem in errors:
                parsed.add_error(
                    numbers[offset], names[index], problem.code, problem.zh, problem.en
                )
            bad_rows = {offset for offset, _, _ in errors}
            yield (
                [n for o, n in enumerate(numbers) if o not in bad_rows],
                [r for o, r in enumerate(records) if o not in bad_rows],
            )
        else:
            yield numbers, records


def validate_rows(kind: RosterKind, rows: Iterator[list[str]], lookups: Lookups) -> ParsedFile:
    """Every good record and every error of a whole file, collected."""
    parsed = ParsedFile(kind=kind)
    for numbers, records in iter_valid_rows(kind, rows, lookups, parsed):
        parsed.row_numbers.extend(numbers)
        parsed.records.extend(records)
    return parsed


def validate_file(kind: RosterKind, path: Path, fmt: str, lookups: Lookups) -> ParsedFile:
    return validate_rows(kind, read_rows(path, fmt), lookups)
