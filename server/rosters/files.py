"""Reading and writing roster files, CSV and XLSX, as rows of cell texts (streaming).

CSV is read as UTF-8 (with or without BOM) or, failing that, GB18030 (what
Excel writes on Chinese Windows); it is written as UTF-8 with a BOM so Excel
shows the Chinese correctly. XLSX is read with openpyxl's read-only mode and
written with its write-only mode, so neither loads a whole sheet in memory.

Reading is bounded (`ReadLimits`, from the settings): rows, the header's
width, the length of a CSV line and what an XLSX unpacks to. Only the header's
width is read from every later row, and an XLSX's `<dimension>` is ignored —
openpyxl would otherwise pad every row to the width it claims (a 4.7 KB file
saying `A1:XFD20000` meant 327 million cells).

Every written cell goes through `export_cell`: text a spreadsheet would run as
a formula gets a leading `'` (`shared.spreadsheet`), and the importer takes
that quote off again, so export → import changes nothing.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from server.rosters.errors import IMPORT_FORMAT, IMPORT_TOO_LARGE
from server.settings import get_settings
from shared.errors import SuichaError
from shared.spreadsheet import neutralise, restore

FORMATS = ("csv", "xlsx")
_SNIFF_BYTES = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """How much of an import file is read at most (see `RosterSettings`)."""

    max_rows: int
    max_columns: int
    max_line_chars: int
    max_unpacked_bytes: int
    max_shared_strings_bytes: int

    @classmethod
    def from_settings(cls) -> ReadLimits:
        rosters = get_settings().rosters
        return cls(
            max_rows=rosters.import_max_rows,
            max_columns=rosters.import_max_columns,
            max_line_chars=rosters.import_max_line_chars,
            max_unpacked_bytes=rosters.xlsx_max_unpacked_bytes,
            max_shared_strings_bytes=rosters.xlsx_max_shared_strings_bytes,
        )


def _unreadable(zh: str, en: str) -> SuichaError:
    return SuichaError(IMPORT_FORMAT, reason=zh, reason_en=en)


def _too_large(zh: str, en: str) -> SuichaError:
    return SuichaError(IMPORT_TOO_LARGE, reason=zh, reason_en=en)


def format_of(path: Path, declared: str | None = None) -> str:
    """The file format: the declared one, else from the suffix or the file's first bytes."""
    if declared:
        fmt = declared.lower().lstrip(".")
        if fmt not in FORMATS:
            raise unknown_format(declared)
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    with path.open("rb") as handle:
        return "xlsx" if handle.read(4) == b"PK\x03\x04" else "csv"


def unknown_format(declared: str) -> SuichaError:
    return _unreadable(
        f"未知文件格式“{declared}”，可用CSV（csv）或XLSX（xlsx）",
        f"unknown format {declared!r} (csv or xlsx)",
    )


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


# --- cells as exported ---------------------------------------------------------------------

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 (so XLSX) cannot hold; writes refuse them, older rows may have them."""


def export_cell(text: str) -> str:
    """A cell's text as exported (CSV and XLSX alike): no formula, nothing XML cannot hold.

    Formulas are neutralised (`shared.spreadsheet`); the importer restores them.
    """
    text = neutralise(text)
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub("\ufffd", text)
    return text


# --- reading ------------------------------------------------------------------------------


def read_rows(path: Path, fmt: str, limits: ReadLimits | None = None) -> Iterator[list[str]]:
    """Every row of the file (the header first) as a list of cell texts.

    Later rows hold at most the header's width of cells. Raises
    `rosters.import_too_large` past a limit and `rosters.import_format` for a
    file that cannot be read.
    """
    limits = limits or ReadLimits.from_settings()
    rows = _read_xlsx(path, limits) if fmt == "xlsx" else _read_csv(path, limits)
    last = limits.max_rows + 1
    for number, row in enumerate(rows, start=1):
        if number > last:
            raise _too_large(
                f"表头之后最多{limits.max_rows}行",
                f"at most {limits.max_rows} rows after the header",
            )
        # One C-speed scan per row; the cells are looked at only when a quote is there.
        if "'" in "".join(row):
            row = [restore(cell) for cell in row]
        yield row


def _header_width(header: list[str], limits: ReadLimits) -> int:
    """The header's width without trailing blank cells, within the column limit."""
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    if width > limits.max_columns:
        raise _too_large(
            f"表头有{width}列，最多{limits.max_columns}列",
            f"the header has {width} columns, at most {limits.max_columns} are read",
        )
    return width


def _bounded_lines(handle: TextIO, limit: int) -> Iterator[str]:
    """The file's lines, refusing one longer than `limit` characters before it is split."""
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        if len(line) > limit:
            raise _too_large(
                f"第{number}行超过{limit}个字符", f"line {number} is longer than {limit} characters"
            )
        yield line


def _read_csv(path: Path, limits: ReadLimits) -> Iterator[list[str]]:
    encoding = _csv_encoding(path)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            reader = csv.reader(_bounded_lines(handle, limits.max_line_chars))
            header = next(reader, None)
            if header is None:
                return
            width = _header_width(header, limits)
            yield header[:width]
            for row in reader:
                yield row if len(row) <= width else row[:width]
    except UnicodeDecodeError as error:
        raise _unreadable(
            "文件既不是UTF-8编码也不是GB18030编码",
            f"the CSV is neither UTF-8 nor GB18030 ({error.reason})",
        ) from None
    except csv.Error as error:
        raise _unreadable("CSV格式有误（引号不成对或单元格过长）", f"CSV: {error}") from None


def _check_xlsx_parts(path: Path, limits: ReadLimits) -> None:
    """Refuse, before anything is unpacked, a workbook whose parts claim too many bytes.

    `zipfile` never reads past a member's declared size, so the declared sizes bound
    what openpyxl can unpack.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise _unreadable("不是XLSX工作簿", "not an XLSX workbook") from None
    total = sum(part.file_size for part in parts)
    if total > limits.max_unpacked_bytes:
        raise _too_large(
            f"工作簿解压后有{total}字节，最多{limits.max_unpacked_bytes}字节",
            f"the workbook unpacks to {total} bytes, at most {limits.max_unpacked_bytes}",
        )
    for part in parts:
        if (
            part.filename.lower().endswith("sharedstrings.xml")
            and part.file_size > limits.max_shared_strings_bytes
        ):
            raise _too_large(
                f"工作簿的共享文字部分有{part.file_size}字节，"
                f"最多{limits.max_shared_strings_bytes}字节",
                f"the workbook's shared strings are {part.file_size} bytes, "
                f"at most {limits.max_shared_strings_bytes}",
            )


def _read_xlsx(path: Path, limits: ReadLimits) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    _check_xlsx_parts(path, limits)
    with path.open("rb") as handle:
        # A file object, not the path: openpyxl refuses a path without an .xlsx suffix
        # (a raw-body upload with ?format=xlsx is saved without one).
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a non-workbook
            raise _unreadable("不是XLSX工作簿", "not an XLSX workbook") from None
        try:
            if not workbook.worksheets:
                return
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # never trust <dimension>: see the module docstring
            first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
            if first is None:
                return
            header = [_cell_text(value) for value in first]
            width = _header_width(header, limits)
            yield header[:width]
            if width == 0:
                return
            for values in sheet.iter_rows(min_row=2, max_col=width, values_only=True):
                yield [_cell_text(value) for value in values]
        finally:
            workbook.close()


# --- writing ------------------------------------------------------------------------------


class RowWriter:
    """Writes rows of cell texts (the header first) to a CSV or XLSX file, batch by batch.

    `close()` finishes the file; `abort()` removes what was written so far, openpyxl's
    own temporary file included.
    """

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
                self._sheet.append([export_cell(value) for value in row])
        else:
            self._csv.writerows([export_cell(value) for value in row] for row in rows)

    def close(self) -> None:
        if self._fmt == "xlsx":
            self._workbook.save(self._path)
        else:
            self._handle.close()

    def abort(self) -> None:
        if self._fmt == "xlsx":
            # The write-only sheet streams its rows to a temporary file of its own,
            # removed only by `save()` (or at interpreter exit): remove it now.
            rows = getattr(self._sheet, "_rows", None)
            if rows is not None:
                with contextlib.suppress(Exception):
                    rows.close()  # ends the sheet's XML while its file is still open
            writer = getattr(self._sheet, "_writer", None)
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.close()
                with contextlib.suppress(Exception):
                    writer.cleanup()
        else:
            self._handle.close()
        self._path.unlink(missing_ok=True)
