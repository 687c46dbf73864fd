"""Import bombs: a lying XLSX `<dimension>`, too many rows or columns, long CSV lines, a
workbook that unpacks to too much; raw-body uploads streamed to disk, `?format=xlsx`."""

from __future__ import annotations

import asyncio
import io
import re
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Request
from openpyxl import Workbook

from server.rosters.columns import OBJECTS, Lookups
from server.rosters.files import ReadLimits, read_rows
from server.rosters.tables import InspectionObject
from server.rosters.validation import validate_file
from server.settings import get_settings
from shared.errors import SuichaError
from tests.server import factories
from tests.server.rosters.helpers import OBJECT_HEADER, csv_text, object_row

LIMITS = ReadLimits(
    max_rows=100,
    max_columns=20,
    max_line_chars=1000,
    max_unpacked_bytes=1 << 20,
    max_shared_strings_bytes=1 << 20,
)


def xlsx_bytes(rows: list[list[str]], *, dimension: str | None = None) -> bytes:
    """A workbook of these rows; with `dimension`, its sheet claims that size instead."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data
                )
                assert count == 1
            target.writestr(part.filename, data)
    return out.getvalue()


@pytest.fixture
def bomb(tmp_path: Path) -> Path:
    """The reported file: a few rows in a sheet saying it is A1:XFD20000 (16,384 × 20,000)."""
    rows = [OBJECT_HEADER, *(object_row(n) for n in range(1, 4))]
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(xlsx_bytes(rows, dimension="A1:XFD20000"))
    assert path.stat().st_size < 8_000
    return path


def test_a_lying_dimension_is_ignored_and_only_the_header_width_read(bomb: Path) -> None:
    widths: list[int] = []
    for row in read_rows(bomb, "xlsx"):
        widths.append(len(row))
        assert len(row) == len(OBJECT_HEADER)  # not 16,384 cells a row
    assert widths == [len(OBJECT_HEADER)] * 4


def test_the_bomb_is_checked_within_bounded_memory(bomb: Path) -> None:
    lookups = Lookups(risk_classes=frozenset("ABCD"))
    tracemalloc.start()
    try:
        parsed = validate_file(OBJECTS, bomb, "xlsx", lookups)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert parsed.error_count == 0 and len(parsed.records) == 3
    assert peak < 16 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


async def test_the_bomb_imports_as_a_raw_body_with_format_xlsx(client, bomb: Path) -> None:
    headers = await factories.login_as(client, "admin", None)
    response = await client.post(
        "/api/v1/rosters/objects/import?format=xlsx",
        headers=headers,
        content=await asyncio.to_thread(bomb.read_bytes),
    )
    assert response.status_code == 200, response.text
    assert (response.json()["rows"], response.json()["inserted"]) == (3, 3)


async def test_a_raw_body_is_streamed_not_read_whole(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await factories.login_as(client, "admin", None)

    async def whole_body(self: Request) -> bytes:  # type: ignore[type-arg]
        raise AssertionError("the import read the whole body into memory")

    monkeypatch.setattr(Request, "body", whole_body)
    content = csv_text(OBJECT_HEADER, [object_row(n) for n in range(1, 50)]).encode()

    async def chunks() -> Iterator[bytes]:  # type: ignore[misc]
        for start in range(0, len(content), 700):
            yield content[start : start + 700]

    response = await client.post(
        "/api/v1/rosters/objects/import?format=csv", headers=headers, content=chunks()
    )
    assert response.status_code == 200, response.text
    assert response.json()["inserted"] == 49


def test_a_header_wider_than_the_limit_is_refused(tmp_path: Path) -> None:
    wide = [*OBJECT_HEADER, *(f"多余{n}" for n in range(30))]
    path = tmp_path / "wide.xlsx"
    path.write_bytes(xlsx_bytes([wide, object_row(1)]))
    with pytest.raises(SuichaError) as caught:
        list(read_rows(path, "xlsx", LIMITS))
    assert caught.value.code == "rosters.import_too_large"
    assert "最多20列" in caught.value.detail_zh


def test_trailing_blank_header_cells_do_not_count(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(csv_text([*OBJECT_HEADER, *[""] * 50], [object_row(1) + [""] * 60]))
    rows = list(read_rows(path, "csv", LIMITS))
    assert [len(row) for row in rows] == [len(OBJECT_HEADER)] * 2


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_too_many_rows_are_refused(tmp_path: Path, file_format: str) -> None:
    rows = [object_row(n) for n in range(1, 102)]
    path = tmp_path / f"long.{file_format}"
    if file_format == "csv":
        path.write_text(csv_text(OBJECT_HEADER, rows))
    else:
        path.write_bytes(xlsx_bytes([OBJECT_HEADER, *rows]))
    assert (
        len(list(read_rows(path, file_format, ReadLimits(**{**LIMITS.__dict__, "max_rows": 101}))))
        == 102
    )
    with pytest.raises(SuichaError) as caught:
        list(read_rows(path, file_format, LIMITS))
    assert caught.value.code == "rosters.import_too_large"
    assert caught.value.detail_zh.endswith("表头之后最多100行")


def test_a_long_csv_line_is_refused_before_it_is_split(tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    path.write_text(csv_text(OBJECT_HEADER, [object_row(1), ["," * 5000]]))
    with pytest.raises(SuichaError) as caught:
        list(read_rows(path, "csv", LIMITS))
    assert caught.value.code == "rosters.import_too_large"
    assert "第3行超过1000个字符" in caught.value.detail_zh


def test_a_workbook_that_unpacks_to_too_much_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "zip.xlsx"
    path.write_bytes(xlsx_bytes([OBJECT_HEADER, object_row(1)]))
    small = ReadLimits(**{**LIMITS.__dict__, "max_unpacked_bytes": 2_000})
    with pytest.raises(SuichaError) as caught:
        list(read_rows(path, "xlsx", small))
    assert caught.value.code == "rosters.import_too_large"


async def test_limits_come_from_the_settings(client, monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await factories.login_as(client, "admin", None)
    monkeypatch.setenv("SUICHA_IMPORT_MAX_ROWS", "2")
    get_settings.cache_clear()
    try:
        response = await client.post(
            "/api/v1/rosters/objects/import?format=csv",
            headers=headers,
            content=csv_text(OBJECT_HEADER, [object_row(n) for n in range(1, 4)]).encode(),
        )
    finally:
        monkeypatch.delenv("SUICHA_IMPORT_MAX_ROWS")
        get_settings.cache_clear()
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "rosters.import_too_large"
    assert await InspectionObject.count() == 0


async def test_an_unreadable_upload_is_explained_in_chinese(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    response = await client.post(
        "/api/v1/rosters/objects/import?format=xlsx", headers=headers, content=b"not a workbook"
    )
    assert (response.status_code, response.json()["code"]) == (400, "rosters.import_format")
    assert response.json()["detail"]["zh"] == "无法读取导入文件：不是XLSX工作簿"
    unknown = await client.post(
        "/api/v1/rosters/objects/import?format=ods", headers=headers, content=b"x"
    )
    assert unknown.json()["code"] == "rosters.import_format"
    assert "未知文件格式“ods”" in unknown.json()["detail"]["zh"]
    empty = await client.post(
        "/api/v1/rosters/objects/import?format=csv", headers=headers, content=b""
    )
    assert empty.json()["detail"]["zh"] == "无法读取导入文件：文件为空"
