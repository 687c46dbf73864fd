"""Validate a whole roster file: every bad row found in one pass (pure: no DB).

Runs in a worker thread during an import. Rows are numbered as a spreadsheet
shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from server.rosters.columns import Lookups, RosterKind, fold_header, header_index
from server.rosters.files import read_rows
from server.rosters.rules import FieldProblem

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


def validate_rows(kind: RosterKind, rows: Iterator[list[str]], lookups: Lookups) -> ParsedFile:
    parsed = ParsedFile(kind=kind)
    header = next(rows, None)
    if header is None:
        parsed.add_error(1, "", "rosters.file_empty", "文件为空", "the file is empty")
        return parsed
    positions = _header_positions(kind, header, parsed)
    if parsed.error_count:
        return parsed
    parsed.present = tuple(c.field in positions for c in kind.columns)
    plan = [
        (
            positions.get(c.field, -1),
            c.parse,
            header[positions[c.field]] if c.field in positions else c.zh,
        )
        for c in kind.columns
    ]
    # Absent optional columns take their default, computed once.
    defaults = [None if pos >= 0 else parse("", lookups) for pos, parse, _ in plan]
    cross_check = kind.cross_check
    seen: dict[Any, int] = {}
    records = parsed.records
    row_numbers = parsed.row_numbers
    width = len(header)
    for row_number, cells in enumerate(rows, start=2):
        if not any(cells) or not "".join(cells).strip():
            continue  # blank rows (common at the end of spreadsheets)
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        values: list[Any] = []
        bad = False
        for (position, parse, column_name), default in zip(plan, defaults, strict=True):
            if position < 0:
                values.append(default)
                continue
            try:
                values.append(parse(cells[position], lookups))
            except FieldProblem as problem:
                parsed.add_error(row_number, column_name, problem.code, problem.zh, problem.en)
                values.append(None)
                bad = True
        if cross_check is not None and not bad:
            named = dict(zip(kind.fields, values, strict=True))
            for name, problem in cross_check(named):
                column_name = plan[kind.fields.index(name)][2]
                parsed.add_error(row_number, column_name, problem.code, problem.zh, problem.en)
                bad = True
        key = values[0]
        if key is not None:
            earlier = seen.get(key)
            if earlier is not None:
                parsed.add_error(
                    row_number,
                    plan[0][2],
                    "rosters.duplicate_key",
                    f"“{key}”与第{earlier}行重复",
                    f"{key!r} repeats row {earlier}",
                )
                bad = True
            else:
                seen[key] = row_number
        if not bad:
            records.append(tuple(values))
            row_numbers.append(row_number)
    return parsed


def validate_file(kind: RosterKind, path: Path, fmt: str, lookups: Lookups) -> ParsedFile:
    return validate_rows(kind, read_rows(path, fmt), lookups)
