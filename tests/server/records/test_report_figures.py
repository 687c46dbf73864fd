"""The report rules without a database: periods, the counting of part 二, the XLSX shape."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from server.records.reports import figures, workbook
from server.records.reports.periods import parse_period, previous_month
from shared.errors import SuichaError

NOV = parse_period("monthly", "2026-11")


def fact(**changes: object) -> figures.Fact:
    values: dict[str, object] = {
        "department": "SCJG",
        "item_code": "SCJG-012",
        "item_name": "餐饮服务食品安全检查",
        "kind": "random",
        "drawn_on": date(2026, 11, 2),
        "completed_on": date(2026, 11, 10),
        "category": "1",
        "follow_up": False,
        "published_on": date(2026, 11, 20),
        "deadline": date(2026, 11, 24),
    }
    values.update(changes)
    return figures.Fact(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "text", "start", "end"),
    [
        ("monthly", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("monthly", "2024-12", date(2024, 12, 1), date(2024, 12, 31)),
        ("quarterly", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("half_year", "2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("year", "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods(kind: str, text: str, start: date, end: date) -> None:
    period = parse_period(kind, text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("kind", "text", "code"),
    [
        ("monthly", "2026-13", "reports.bad_period"),
        ("monthly", "2026-1", "reports.bad_period"),
        ("quarterly", "2026-Q5", "reports.bad_period"),
        ("year", "1999", "reports.period_out_of_range"),
        ("weekly", "2026", "reports.unknown_kind"),
    ],
)
def test_bad_periods_are_refused(kind: str, text: str, code: str) -> None:
    with pytest.raises(SuichaError) as refused:
        parse_period(kind, text)
    assert refused.value.code == code


def test_previous_month_crosses_the_year() -> None:
    assert previous_month(date(2027, 1, 1)).label == "2026-12"
    assert previous_month(date(2026, 12, 1)).label == "2026-11"


def test_each_count_of_part_two() -> None:
    facts = [
        fact(),  # drawn, inspected clean, published on time
        fact(category="B", follow_up=True, published_on=date(2026, 11, 25)),  # problem, late
        fact(category="E"),  # corrected on order: a handled problem
        fact(category="3", follow_up=False, published_on=None),  # problem, not yet handled
        fact(category="", completed_on=None, published_on=None),  # drawn only
        fact(drawn_on=date(2026, 10, 30), completed_on=date(2026, 12, 1), published_on=None),
        fact(kind="directed", category="8", follow_up=True, published_on=None),
    ]
    lines = figures.item_lines(facts, NOV, {"SCJG-012": "5%"})
    assert [(line.kind, line.counts()) for line in lines] == [
        ("random", (5, 4, 3, 2, 2, 1)),
        ("directed", (1, 1, 1, 1, 0, 0)),
    ]
    assert lines[0].ratio == "5%"
    assert figures.total(lines) == (6, 5, 4, 3, 2, 1)
    assert figures.total([]) == (0,) * 6


def test_ratio_text() -> None:
    assert figures.ratio_text({"all": "0.05"}, None) == "5%"
    assert figures.ratio_text({"B": "0.05", "A": "0.03"}, 20) == "A类 3%、B类 5%（每层至多20户）"


def test_workbook_holds_both_parts_and_a_sheet_per_department() -> None:
    ready = figures.Readiness("SCJG", "市场监督管理局", ("餐饮计划（P-1）",), 3, 12, 2000, 2)
    lines = figures.item_lines([fact(), fact(category="B", follow_up=True)], NOV, {})
    section = workbook.Section(ready, lines)
    combined = workbook.Section(
        figures.Readiness("汇总", "全部部门（汇总）", ("餐饮计划（P-1）",), 3, 12, 2000, 2), lines
    )
    data = workbook.summary_workbook(NOV, combined, [section], datetime(2026, 12, 1, 8))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["汇总", "SCJG"]
    sheet = book["SCJG"]
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "市场监管领域部门联合“双随机、一公开”抽查工作月报表"
    assert values[1][0] == "（2026年11月）"
    rules = next(row for row in values if row[0] == 1)
    assert rules[2:4] == ["是", "餐饮计划（P-1）"]
    header = values.index(list(workbook.PART_TWO_HEADER))
    assert values[header + 1][:4] == ["餐饮服务食品安全检查", "SCJG-012", "随机抽查", None]
    assert values[header + 1][4:] == [2, 2, 1, 1, 2, 0]
    assert values[header + 2][0] == "合计" and values[header + 2][4:] == [2, 2, 1, 1, 2, 0]


def test_progress_table() -> None:
    ready = figures.Readiness("SCJG", "市场监督管理局", (), 4, 12, 2000, 3)
    row = figures.progress_row(ready, figures.item_lines([fact(), fact(category="C")], NOV, {}))
    assert row.coverage == 0.75 and row.on_time_rate == 1.0
    combined = figures.progress_row(ready, [])
    data = workbook.progress_workbook(
        parse_period("quarterly", "2026-Q4"), [row], combined, datetime(2026, 12, 1)
    )
    sheet = load_workbook(io.BytesIO(data))["推进情况"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "“双随机一公开”工作推进情况统计表（2026年第4季度）"
    assert rows[3][:13] == ("市场监督管理局", "否", 4, 3, 0.75, 12, 2000, 2, 2, 1, 2, 0, 1)
    # Without ratings or objections their columns count nothing (no mean score).
    assert rows[3][13:] == (0, None, 0, 0, 0, 0, 0)
    assert rows[4][0] == "合计" and rows[4][7:13] == (0, 0, 0, 0, 0, 0)
