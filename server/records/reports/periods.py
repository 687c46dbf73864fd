"""Report periods (报表期间): a month, a quarter, a half-year or a year, as China-time dates.

Seed 001: the monthly report (月报表) before the 5th of the next month, the
half-year summary before 6 September and the year summary before 30 November;
seed 003: the quarterly progress table before the 3rd of the following month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from server.records.reports import errors
from shared.errors import SuichaError

KINDS = ("monthly", "quarterly", "half_year", "year")
KIND_ZH = {
    "monthly": "月报表",
    "quarterly": "季度工作推进情况统计表",
    "half_year": "半年工作总结",
    "year": "年度工作总结",
}
FIRST_YEAR = 2000
LAST_YEAR = 2100

_FORMS = {
    "monthly": (re.compile(r"(\d{4})-(\d{2})"), "年-月，如 2026-11", "YYYY-MM, e.g. 2026-11"),
    "quarterly": (re.compile(r"(\d{4})-Q([1-4])"), "年-季度，如 2026-Q4", "YYYY-Qn, e.g. 2026-Q4"),
    "half_year": (re.compile(r"(\d{4})-H([12])"), "年-半年，如 2026-H1", "YYYY-Hn, e.g. 2026-H1"),
    "year": (re.compile(r"(\d{4})"), "四位年份，如 2026", "YYYY, e.g. 2026"),
}


@dataclass(frozen=True)
class Period:
    kind: str
    label: str
    start: date
    end: date
    """Inclusive."""

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def title_zh(self) -> str:
        if self.kind == "monthly":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarterly":
            return f"{self.start.year}年第{(self.start.month + 2) // 3}季度"
        if self.kind == "half_year":
            return f"{self.start.year}年{'上' if self.start.month == 1 else '下'}半年"
        return f"{self.start.year}年度"

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise SuichaError(errors.UNKNOWN_KIND, kind=kind[:32])
    return kind


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_period(kind: str, text: str) -> Period:
    """The period of a report kind from its label; refuses a malformed or far-off one."""
    pattern, expected_zh, expected_en = _FORMS[check_kind(kind)]
    match = pattern.fullmatch(text)
    if match is None or (kind == "monthly" and not 1 <= int(match.group(2)) <= 12):
        raise SuichaError(
            errors.BAD_PERIOD, period=text[:32], expected_zh=expected_zh, expected_en=expected_en
        )
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SuichaError(errors.PERIOD_OUT_OF_RANGE, period=text, first=FIRST_YEAR, last=LAST_YEAR)
    if kind == "monthly":
        month = int(match.group(2))
        return Period(kind, text, date(year, month, 1), _month_end(year, month))
    if kind == "quarterly":
        first = (int(match.group(2)) - 1) * 3 + 1
        return Period(kind, text, date(year, first, 1), _month_end(year, first + 2))
    if kind == "half_year":
        first = 1 if match.group(2) == "1" else 7
        return Period(kind, text, date(year, first, 1), _month_end(year, first + 5))
    return Period(kind, text, date(year, 1, 1), date(year, 12, 31))


def previous_month(today: date) -> Period:
    """The month a report generated on `today` covers (the scheduler runs on the 1st)."""
    last = today.replace(day=1) - timedelta(days=1)
    return parse_period("monthly", f"{last.year}-{last.month:02d}")
