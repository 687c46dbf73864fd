"""Reading and writing roster files, CSV and XLSX, as rows of cell texts (streaming).

CSV is read as UTF-8 (with or without BOM) or, failing that, GB18030 (what
Excel writes on Chinese Windows); it is written as UTF-8 with a BOM so Excel
shows the Chinese correctly. XLSX is read with openpyxl's read-only mode and
written with its write-only mode, so neither loads a whole sheet in memory.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from server.rosters.errors import IMPORT_FORMAT
from shared.errors import SuichaError

FORMATS = ("csv", "xlsx")
_SNIFF_BYTES = 1 << 20


def format_of(path: Path, declared: str | None = None) -> str:
    """The file format: the declared one, else from the suffix or the file's first bytes."""
    if declared:
        fmt = declared.lower().lstrip(".")
        if fmt not in FORMATS:
            raise SuichaError(IMPORT_FORMAT, reason=f"unknown format {declared!r} (csv or xlsx)")
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    with path.open("rb") as handle:
        return "xlsx" if handle.read(4) == b"PK\x03\x04" else "csv"


def _csv_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def read_rows(path: Path, fmt: str) -> Iterator[list[str]]:
    """Every row of the file (the header first) as a list of cell texts."""
    if fmt == "xlsx":
        yield from _read_xlsx(path)
    else:
        yield from _read_csv(path)


def _read_csv(path: Path) -> Iterator[list[str]]:
    encoding = _csv_encoding(path)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            yield from csv.reader(handle)
    except UnicodeDecodeError as error:
        raise SuichaError(
            IMPORT_FORMAT, reason=f"the CSV is neither UTF-8 nor GB18030 ({error.reason})"
        ) from None
    except csv.Error as error:
        raise SuichaError(IMPORT_FORMAT, reason=f"CSV: {error}") from None


def _read_xlsx(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a non-workbook
        raise SuichaError(IMPORT_FORMAT, reason=f"not an XLSX workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


class RowWriter:
    """Writes rows of cell texts (the header first) to a CSV or XLSX file, batch by batch."""

    def __init__(self, path: Path, fmt: str, *, sheet_title: str) -> None:
        self._fmt = fmt
        self._path = path
        if fmt == "xlsx":
            from openpyxl import Workbook

            self._workbook = Workbook(write_only=True)
            self._sheet = self._workbook.create_sheet(title=sheet_title)
        else:
            self._handle = path.open("w", encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._handle)

    def write(self, rows: Iterable[list[str]]) -> None:
        if self._fmt == "xlsx":
            for row in rows:
                self._sheet.append([self._text_cell(value) for value in row])
        else:
            self._csv.writerows(rows)

    def _text_cell(self, value: str) -> Any:
        """Text starting with '=' stays text (openpyxl would store a formula)."""
        if not value.startswith("="):
            return value
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"
        return cell

    def close(self) -> None:
        if self._fmt == "xlsx":
            self._workbook.save(self._path)
        else:
            self._handle.close()
