"""The calendar's starting content: official days 2004–2026 and the default deadline rule."""

from __future__ import annotations

from datetime import UTC, datetime

from server.calendar.official import FIRST_YEAR, LAST_YEAR, official_days
from server.calendar.tables import CalendarDay, CalendarYear, DeadlineSetting

CHUNK = 200


async def seed_calendar() -> None:
    """Fill an empty calendar (run by the seeding migration; idempotent)."""
    now = datetime.now(UTC)
    if not await CalendarDay.count():
        days = [
            CalendarDay(
                day=day,
                kind=kind,
                name=name,
                source="chinesecalendar",
                updated_at=now,
                updated_by="seed",
            )
            for day, kind, name in official_days()
        ]
        for start in range(0, len(days), CHUNK):
            await CalendarDay.insert(*days[start : start + CHUNK])
    if not await CalendarYear.count():
        await CalendarYear.insert(
            *[
                CalendarYear(
                    year=year, source="chinesecalendar", completed_at=now, completed_by="seed"
                )
                for year in range(FIRST_YEAR, LAST_YEAR + 1)
            ]
        )
    if not await DeadlineSetting.count():
        await DeadlineSetting.insert(
            DeadlineSetting(
                department=None,
                days=10,
                working_days=True,
                reminder_days=3,
                updated_at=now,
                updated_by="seed",
            )
        )
