"""The calendar and the publication deadlines: edit the calendar, compute and recompute deadlines.

The calendar comes from our own table (seeded from chinesecalendar for
2004–2026); a deadline reaching a year whose holidays are not complete is
provisional. Every change to the calendar or a rule recomputes the deadlines
it can move, tells the devices on those tasks, and writes one audit entry
listing each deadline that moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from server.audit.log import append as audit
from server.calendar import errors, queries
from server.db.transaction import write_transaction
from server.field.queries import active_inspectors
from server.tasks import changes
from shared.calendar import DAY_KINDS, WorkCalendar
from shared.deadlines import MAX_DAYS, DeadlineRule, publication_deadline
from shared.errors import SuichaError

CHINA = ZoneInfo("Asia/Shanghai")
FIRST_YEAR = 2004
LAST_YEAR = 2100
MAX_REMINDER_DAYS = 30
NAME_LIMIT = 60
WEEKDAYS_ZH = "一二三四五六日"
KIND_ZH = {"holiday": "节假日", "workday": "调休上班", "normal": "恢复正常"}


@dataclass(frozen=True)
class Rule:
    """A jurisdiction's deadline rule and reminder lead time, as stored."""

    deadline: DeadlineRule
    reminder_days: int


@dataclass(frozen=True)
class Moved:
    task_id: int
    before: date
    after: date
    provisional_before: bool
    provisional_after: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task_id,
            "before": self.before.isoformat(),
            "after": self.after.isoformat(),
            "provisional_before": self.provisional_before,
            "provisional_after": self.provisional_after,
        }


def completion_day(moment: datetime) -> date:
    """The day an inspection ended, in China Standard Time (the device sends UTC offsets)."""
    return moment.astimezone(CHINA).date()


async def load_calendar() -> WorkCalendar:
    rows = await queries.calendar_days()
    return WorkCalendar.of(((row["day"], row["kind"]) for row in rows), await queries.known_years())


async def rules() -> tuple[Rule, dict[int, Rule]]:
    """The default rule and the per-department rules."""
    default = Rule(DeadlineRule(), 3)
    by_department: dict[int, Rule] = {}
    for row in await queries.settings():
        rule = Rule(DeadlineRule(row["days"], bool(row["working_days"])), row["reminder_days"])
        if row["department"] is None:
            default = rule
        else:
            by_department[row["department"]] = rule
    return default, by_department


async def rule_for(department_id: int) -> Rule:
    default, by_department = await rules()
    return by_department.get(department_id, default)


async def record_completion(task_ids: Iterable[int]) -> list[Moved]:
    """Compute (or recompute) the deadlines of completed tasks, inside the caller's transaction."""
    rows = await queries.completed_tasks(task_ids)
    if not rows:
        return []
    calendar = await load_calendar()
    default, by_department = await rules()
    existing = await queries.deadlines_of(row["id"] for row in rows)
    now = datetime.now(UTC)
    moved: list[Moved] = []
    for row in rows:
        rule = by_department.get(row["department"], default).deadline
        completed = completion_day(row["completed_at_device"])
        deadline = publication_deadline(completed, rule, calendar)
        values = {
            "department": row["department"],
            "completed_on": completed,
            "deadline": deadline.day,
            "provisional": deadline.provisional,
            "days": rule.days,
            "working_days": rule.working_days,
            "computed_at": now,
        }
        before = existing.get(row["id"])
        if before is None:
            await queries.insert_deadline({"task": row["id"], **values})
        elif before["published_on"] is None and (
            before["deadline"] != deadline.day
            or bool(before["provisional"]) != deadline.provisional
            or before["completed_on"] != completed
        ):
            await queries.update_deadline(row["id"], values)
            moved.append(
                Moved(
                    row["id"],
                    before["deadline"],
                    deadline.day,
                    bool(before["provisional"]),
                    deadline.provisional,
                )
            )
    return moved


async def _recompute(rows: list[dict[str, Any]]) -> list[Moved]:
    moved = await record_completion(row["task"] for row in rows)
    # The devices on a task show its deadline: a moved one reaches them at next sync.
    for change in moved:
        await changes.record(change.task_id, await active_inspectors(change.task_id), "updated")
    return moved


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SuichaError(errors.BAD_DATE, value=text[:20]) from None


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SuichaError(errors.YEAR_OUT_OF_RANGE, year=year, first=FIRST_YEAR, last=LAST_YEAR)


async def mark_day(actor: str, day: date, kind: str, name: str = "") -> list[Moved]:
    """Make `day` a holiday, a make-up working day, or an ordinary day again ("normal")."""
    if kind not in (*DAY_KINDS, "normal"):
        raise SuichaError(errors.UNKNOWN_KIND, kind=kind[:20])
    _check_year(day.year)
    if len(name) > NAME_LIMIT:
        raise SuichaError(errors.NAME_TOO_LONG, limit=NAME_LIMIT)
    weekend = day.weekday() >= 5
    if (kind == "holiday" and weekend) or (kind == "workday" and not weekend):
        raise SuichaError(
            errors.NO_EFFECT,
            day=day.isoformat(),
            weekday_zh=f"星期{WEEKDAYS_ZH[day.weekday()]}",
            weekday_en=day.strftime("%A"),
            kind_zh=KIND_ZH[kind],
            kind=kind,
        )
    async with write_transaction():
        before = await queries.day_row(day)
        now = datetime.now(UTC)
        if kind == "normal":
            if before is not None:
                await queries.delete_day(day)
        else:
            await queries.upsert_day(day, kind, name.strip(), actor, now)
        moved = await _recompute(await queries.open_deadlines(spanning=day))
        await audit(
            actor=actor,
            action="calendar.day.mark",
            entity="calendar_day",
            entity_id=day.isoformat(),
            change={
                "before": before["kind"] if before else "normal",
                "after": kind,
                "name": name.strip(),
                "deadlines": [m.to_dict() for m in moved],
            },
        )
    return moved


async def complete_year(actor: str, year: int) -> list[Moved]:
    """Declare `year`'s official holidays entered: its provisional deadlines become final."""
    _check_year(year)
    async with write_transaction():
        if year in await queries.known_years():
            raise SuichaError(errors.YEAR_ALREADY_COMPLETE, year=year)
        await queries.insert_year(year, actor, datetime.now(UTC))
        moved = await _recompute(await queries.open_deadlines(provisional=True))
        await audit(
            actor=actor,
            action="calendar.year.complete",
            entity="calendar_year",
            entity_id=str(year),
            change={"deadlines": [m.to_dict() for m in moved]},
        )
    return moved


async def set_rule(
    actor: str,
    department_code: str | None,
    *,
    days: int,
    working_days: bool,
    reminder_days: int,
) -> list[Moved]:
    """Set the default rule (no department) or a department's rule; recompute its deadlines."""
    if not (1 <= days <= MAX_DAYS and 0 <= reminder_days <= MAX_REMINDER_DAYS):
        raise SuichaError(
            errors.RULE_OUT_OF_RANGE, max_days=MAX_DAYS, max_reminder=MAX_REMINDER_DAYS
        )
    async with write_transaction():
        department_id = None
        if department_code is not None:
            department_id = await queries.department_id(department_code)
            if department_id is None:
                raise SuichaError(errors.UNKNOWN_DEPARTMENT, code=department_code[:32])
        await queries.save_setting(
            department_id,
            {
                "days": days,
                "working_days": working_days,
                "reminder_days": reminder_days,
                "updated_at": datetime.now(UTC),
                "updated_by": actor,
            },
        )
        moved = await _recompute(await queries.open_deadlines(department_id=department_id))
        await audit(
            actor=actor,
            action="deadline.rule.set",
            entity="deadline_setting",
            entity_id=department_code or "default",
            change={
                "days": days,
                "working_days": working_days,
                "reminder_days": reminder_days,
                "deadlines": [m.to_dict() for m in moved],
            },
        )
    return moved


async def deadline_for(completed: date, days: int | None = None) -> tuple[date, bool]:
    """The default rule's deadline for a completion day (the `suicha deadline` command)."""
    default, _ = await rules()
    rule = default.deadline if days is None else DeadlineRule(days, default.deadline.working_days)
    deadline = publication_deadline(completed, rule, await load_calendar())
    return deadline.day, deadline.provisional
