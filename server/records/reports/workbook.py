"""The report files as XLSX (openpyxl), in the shape of the seeds' annexes: data in, bytes out.

Sheet 月报表 (and the half-year / year summaries, same shape over their period):
the title, 填报单位 and 填报时间, part 一 (制度机制建设情况: three yes/no questions
with what backs them), then part 二 (随机抽查工作开展情况: one row per item and
kind, and 合计). A combined report adds one sheet per department after the
combined one. Sheet 推进情况 is the quarterly progress table of seed 003.
Text from the rosters goes through `shared.spreadsheet.neutralise`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from server.records.reports.figures import (
    KIND_ZH,
    Feedback,
    ItemLine,
    ProgressRow,
    Readiness,
    total,
)
from server.records.reports.periods import KIND_ZH as REPORT_ZH
from server.records.reports.periods import Period
from shared.spreadsheet import neutralise

PART_TWO_HEADER = (
    "抽查事项名称",
    "事项编码",
    "检查类型",
    "抽查比例",
    "抽取对象数",
    "已检查数",
    "发现问题数",
    "已处置数",
    "按时公示数",
    "逾期公示数",
)
PROGRESS_HEADER = (
    "部门",
    "是否出台工作细则",
    "抽查事项数",
    "纳入计划事项数",
    "事项覆盖率",
    "执法人员数",
    "市场主体数",
    "抽取对象数",
    "已检查数",
    "发现问题数",
    "已公示数",
    "逾期公示数",
    "按时公示率",
)
FEEDBACK_HEADER = (
    "企业评价数",
    "平均评分",
    "异议数",
    "异议成立数",
    "不予支持数",
    "异议处理中",
    "异议逾期答复数",
)
"""Part 三 of the summary, and the last columns of the progress table."""
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WIDTHS = (36, 14, 10, 22, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10)


@dataclass(frozen=True)
class Section:
    """One department's (or the combined) part 一 and part 二."""

    readiness: Readiness
    lines: Sequence[ItemLine]
    feedback: Feedback | None = None
    """Part 三 (企业评价与异议); omitted when None."""


def _title(sheet: Worksheet, text: str, width: int) -> None:
    sheet.append([text])
    sheet.merge_cells(
        start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
    )
    cell = sheet.cell(row=sheet.max_row, column=1)
    cell.font = Font(bold=True, size=14)
    cell.alignment = Alignment(horizontal="center")


def _boxed(sheet: Worksheet, row: Sequence[object], bold: bool = False) -> None:
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        cell.border = _BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if bold:
            cell.font = Font(bold=True)


def _widths(sheet: Worksheet, count: int) -> None:
    for column in range(1, count + 1):
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS[column - 1]


def _yes(condition: bool) -> str:
    return "是" if condition else "否"


def _section(sheet: Worksheet, period: Period, section: Section, generated: datetime) -> None:
    ready = section.readiness
    width = len(PART_TWO_HEADER)
    _title(sheet, f"市场监管领域部门联合“双随机、一公开”抽查工作{REPORT_ZH[period.kind]}", width)
    sheet.append([f"（{period.title_zh}）"])
    sheet.append(
        [
            f"填报单位（地区）：{neutralise(ready.department_name)}",
            None,
            None,
            None,
            None,
            f"填报时间：{generated:%Y年%m月%d日}",
        ]
    )
    sheet.append(["一、“双随机、一公开”制度机制建设情况"])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    rules = "；".join(neutralise(rule) for rule in ready.rules)
    _boxed(
        sheet,
        [1, "是否已出台工作细则和工作指引（注明文件名称及文号）", _yes(bool(ready.rules)), rules],
    )
    _boxed(
        sheet,
        [
            2,
            "是否建立随机抽查事项清单并完成录入",
            _yes(ready.items > 0),
            f"抽查事项{ready.items}项",
        ],
    )
    _boxed(
        sheet,
        [
            3,
            "是否建立市场主体名录库和执法人员库并完成录入",
            _yes(ready.objects > 0 and ready.inspectors > 0),
            f"市场主体{ready.objects}户，执法检查人员{ready.inspectors}人",
        ],
    )
    sheet.append([])
    sheet.append(["二、随机抽查工作开展情况"])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    _boxed(sheet, PART_TWO_HEADER, bold=True)
    for line in section.lines:
        _boxed(
            sheet,
            [
                neutralise(line.item_name),
                neutralise(line.item_code),
                KIND_ZH[line.kind],
                line.ratio,
                *line.counts(),
            ],
        )
    _boxed(sheet, ["合计", None, None, None, *total(section.lines)], bold=True)
    if section.feedback is not None:
        sheet.append([])
        sheet.append(["三、企业评价与异议处理情况"])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        _boxed(sheet, FEEDBACK_HEADER, bold=True)
        _boxed(sheet, list(section.feedback.counts()))
    _widths(sheet, width)


def _sheet_name(text: str) -> str:
    # Excel refuses []:*?/\ in a sheet name and more than 31 characters.
    cleaned = "".join(c for c in text if c not in "[]:*?/\\")
    return cleaned[:31] or "部门"


def summary_workbook(
    period: Period, combined: Section, departments: Sequence[Section], generated: datetime
) -> bytes:
    """The monthly report, or the half-year / year summary: one sheet, plus one per department."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "汇总" if departments else _sheet_name(combined.readiness.department)
    _section(sheet, period, combined, generated)
    for section in departments:
        _section(
            book.create_sheet(_sheet_name(section.readiness.department)), period, section, generated
        )
    return _bytes(book)


def progress_workbook(
    period: Period, rows: Sequence[ProgressRow], combined: ProgressRow, generated: datetime
) -> bytes:
    """The quarterly progress table (“双随机一公开”工作推进情况统计表, seed 003)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "推进情况"
    header = PROGRESS_HEADER + FEEDBACK_HEADER
    width = len(header)
    _title(sheet, f"“双随机一公开”工作推进情况统计表（{period.title_zh}）", width)
    sheet.append(
        [
            f"填报单位：{neutralise(combined.readiness.department_name)}",
            None,
            None,
            None,
            None,
            f"填报时间：{generated:%Y年%m月%d日}",
        ]
    )
    _boxed(sheet, header, bold=True)
    for row in (*rows, combined):
        ready = row.readiness
        _boxed(
            sheet,
            [
                "合计" if row is combined and rows else neutralise(ready.department_name),
                _yes(bool(ready.rules)),
                ready.items,
                ready.planned_items,
                round(row.coverage, 4),
                ready.inspectors,
                ready.objects,
                row.drawn,
                row.inspected,
                row.problems,
                row.published,
                row.published_late,
                round(row.on_time_rate, 4),
                *(row.feedback or Feedback()).counts(),
            ],
            bold=row is combined and bool(rows),
        )
        for column in (5, 13):
            sheet.cell(row=sheet.max_row, column=column).number_format = "0.0%"
    _widths(sheet, width)
    return _bytes(book)


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
