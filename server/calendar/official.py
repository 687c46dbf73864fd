"""The official holidays and make-up working days as `chinesecalendar` knows them (2004–2026).

Read once, to seed the calendar table; no deadline ever calls the library
(its data ends with 2026 and every later lookup raises).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import chinese_calendar

from shared.calendar import DayKind

FIRST_YEAR = 2004
LAST_YEAR = 2026

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def official_days(
    first: int = FIRST_YEAR, last: int = LAST_YEAR
) -> Iterator[tuple[date, DayKind, str]]:
    """(day, kind, Chinese name) of every exception to the Monday–Friday week."""
    day = date(first, 1, 1)
    end = date(last, 12, 31)
    while day <= end:
        weekend = day.weekday() >= 5
        working = chinese_calendar.is_workday(day)
        if weekend == working:  # a weekday off, or a weekend day worked
            _, name = chinese_calendar.get_holiday_detail(day)
            zh = HOLIDAY_NAMES_ZH.get(name or "", "")
            if working:
                yield day, "workday", f"{zh}调休上班" if zh else "调休上班"
            else:
                yield day, "holiday", zh or "节假日"
        day += timedelta(days=1)
