"""HTTP endpoints of the working-day calendar and the deadline rules (admins edit, staff read)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from server.calendar import queries, service
from server.calendar.schemas import (
    CalendarDayOut,
    CalendarYearOut,
    DayMark,
    DeadlineRuleIn,
    DeadlineRuleOut,
    MovedOut,
    RecomputeOut,
)
from server.http.auth import CurrentPrincipal, allow

DEFAULT = "default"


def _moved(moved: list[service.Moved]) -> RecomputeOut:
    return RecomputeOut(
        moved=[
            MovedOut(m.task_id, m.before, m.after, m.provisional_before, m.provisional_after)
            for m in moved
        ]
    )


class CalendarController(Controller):
    path = "/calendar"
    tags = ["calendar"]

    @get("/days", guards=[allow("calendar.read")])
    async def list_days(
        self, year: Annotated[int, QueryParameter(ge=service.FIRST_YEAR, le=service.LAST_YEAR)]
    ) -> list[CalendarDayOut]:
        """Holidays and make-up working days of one year."""
        return [
            CalendarDayOut(day=r["day"], kind=r["kind"], name=r["name"], source=r["source"])
            for r in await queries.calendar_days(year)
        ]

    @put("/days/{day:str}", guards=[allow("calendar.write")])
    async def mark_day(
        self, principal: CurrentPrincipal, day: FromPath[str], data: JSONBody[DayMark]
    ) -> RecomputeOut:
        """Mark a day a holiday, a make-up working day, or normal; moved deadlines are listed."""
        return _moved(
            await service.mark_day(principal.username, service.parse_day(day), data.kind, data.name)
        )

    @get("/years", guards=[allow("calendar.read")])
    async def list_years(self) -> list[CalendarYearOut]:
        """Years whose official holidays are complete (deadlines in other years are provisional)."""
        return [
            CalendarYearOut(year=r["year"], source=r["source"], completed_at=r["completed_at"])
            for r in await queries.calendar_years()
        ]

    @post("/years/{year:int}/complete", guards=[allow("calendar.write")], status_code=200)
    async def complete_year(self, principal: CurrentPrincipal, year: FromPath[int]) -> RecomputeOut:
        """Declare a year's holidays entered: its provisional deadlines become final."""
        return _moved(await service.complete_year(principal.username, year))


class DeadlineRuleController(Controller):
    path = "/deadline-rules"
    tags = ["calendar"]

    @get("/", guards=[allow("calendar.read")])
    async def list_rules(self) -> list[DeadlineRuleOut]:
        """The default publication rule and every department's own."""
        return [
            DeadlineRuleOut(
                department=r["department_code"],
                days=r["days"],
                working_days=bool(r["working_days"]),
                reminder_days=r["reminder_days"],
                updated_at=r["updated_at"],
                updated_by=r["updated_by"],
            )
            for r in await queries.settings()
        ]

    @put("/{department:str}", guards=[allow("calendar.write")])
    async def set_rule(
        self,
        principal: CurrentPrincipal,
        department: FromPath[str],
        data: JSONBody[DeadlineRuleIn],
    ) -> RecomputeOut:
        """Set a department's rule (`default` for the default); its deadlines are recomputed."""
        return _moved(
            await service.set_rule(
                principal.username,
                None if department == DEFAULT else department,
                days=data.days,
                working_days=data.working_days,
                reminder_days=data.reminder_days,
            )
        )
