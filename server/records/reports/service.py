"""Reports (报表): gather the facts, count them (`figures`), build the XLSX (`workbook`), store it.

Who may: admins and back-office staff generate and read every department's and
the combined report; a team lead only their own department's. A stored report
is never changed; generating again adds a newer file beside it (both listed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from hashlib import sha256
from typing import Any

from server.accounts.errors import DEPARTMENT_FORBIDDEN
from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.audit.log import append as audit
from server.calendar import service as calendar
from server.db.transaction import write_transaction
from server.http.paging import Page, clamp_limit, page_of
from server.records.reports import errors, figures, queries, workbook
from server.records.reports.periods import Period, check_kind, parse_period, previous_month
from server.records.reports.schemas import ReportOut
from shared.errors import SuichaError

SCHEDULER = "scheduler"
COMBINED_NAME = "全部部门（汇总）"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_MINUTE = 10
"""Reports one user may generate per minute (each reads a year of facts)."""
EVERYWHERE = frozenset({Role.ADMIN, Role.BACK_OFFICE})
"""Roles that read and generate every department's and the combined report."""


@dataclass(frozen=True)
class Scope:
    department_id: int | None
    department_code: str
    """'' for the combined report."""
    department_name: str


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else calendar.completion_day(moment)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in China time, as UTC moments (a rating at 01:00 on 1 Jan counts in that year)."""
    start = datetime(year, 1, 1, tzinfo=calendar.CHINA).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=calendar.CHINA).astimezone(UTC)
    return start, end


async def feedback_facts(year: int) -> tuple[list[figures.Rated], list[figures.Objected]]:
    """The year's ratings and objections (China time), every department."""
    start, end = _year_bounds(year)
    ratings = [
        figures.Rated(row["department"] or "", row["score"], calendar.completion_day(row["at"]))
        for row in await queries.ratings_between(start, end)
    ]
    objections = [
        figures.Objected(
            department=row["department"] or "",
            filed_on=calendar.completion_day(row["filed_at"]),
            due_on=row["due_on"],
            status=row["status"],
            decided_on=_day(row["decided_at"]),
            id=row["id"],
        )
        for row in await queries.objections_between(start, end)
    ]
    return ratings, objections


async def facts(year: int, department_id: int | None) -> list[figures.Fact]:
    """Every item on a task of the year's (and last year's) draws, as plain facts."""
    rows = await queries.task_items(year, department_id)
    task_ids = sorted({row["task"] for row in rows})
    bodies = await queries.current_bodies(task_ids)
    deadlines = await queries.deadlines(task_ids)
    directed = await queries.directed(task_ids)
    result = []
    for row in rows:
        body = bodies.get((row["task"], row["item_code"]))
        deadline = deadlines.get(row["task"])
        result.append(
            figures.Fact(
                department=row["department"],
                item_code=row["item_code"],
                item_name=row["item_name"],
                kind="directed" if row["task"] in directed else "random",
                drawn_on=_day(row["drawn_at"]),
                completed_on=_day(row["completed_at"]) if body is not None else None,
                category=str(body.get("category", "")) if body is not None else "",
                follow_up=bool(body and str(body.get("follow_up", "")).strip()),
                published_on=deadline["published_on"] if deadline else None,
                deadline=deadline["deadline"] if deadline else None,
            )
        )
    return result


async def ratios(year: int) -> dict[str, str]:
    """Item code → the ratios of the year's plans in force that hold it."""
    texts: dict[str, list[str]] = {}
    for row in await queries.plan_ratios(year):
        text = figures.ratio_text(row["ratios"] or {}, row["general_cap"])
        if text and text not in texts.setdefault(row["item_code"], []):
            texts[row["item_code"]].append(text)
    return {code: "；".join(values) for code, values in texts.items()}


async def readiness(year: int, scope: Scope, planned: set[str]) -> figures.Readiness:
    plans = await queries.published_plans(year, scope.department_id)
    items = await queries.active_items(scope.department_id)
    return figures.Readiness(
        department=scope.department_code or "汇总",
        department_name=scope.department_name,
        rules=tuple(f"{plan['name']}（{plan['code']}）" for plan in plans),
        items=len(items),
        inspectors=await queries.active_inspectors(scope.department_id),
        objects=await queries.active_objects(),
        planned_items=sum(1 for code in items if code in planned),
    )


async def _scopes(department: str | None) -> tuple[Scope, list[Scope]]:
    """The report's own scope and, for the combined report, each department's."""
    if department:
        row = await queries.department_by_code(department)
        if row is None:
            raise SuichaError(errors.UNKNOWN_DEPARTMENT, department=department[:32])
        return Scope(row["id"], row["code"], row["name"]), []
    parts = [Scope(row["id"], row["code"], row["name"]) for row in await queries.departments()]
    return Scope(None, "", COMBINED_NAME), parts


async def build(period: Period, department: str | None, generated: datetime) -> bytes:
    """The report file of a period, for one department or combined (with a sheet per department)."""
    own, parts = await _scopes(department)
    all_facts = await facts(period.year, own.department_id)
    item_ratios = await ratios(period.year)
    planned = set(item_ratios)
    rated, objected = await feedback_facts(period.year)
    today = generated.astimezone(calendar.CHINA).date()

    async def section(scope: Scope) -> workbook.Section:
        mine = [
            f
            for f in all_facts
            if not scope.department_code or f.department == scope.department_code
        ]
        return workbook.Section(
            await readiness(period.year, scope, planned),
            figures.item_lines(mine, period, item_ratios),
            figures.feedback(rated, objected, period, today, scope.department_code),
        )

    combined = await section(own)
    sections = [await section(scope) for scope in parts]
    if period.kind == "quarterly":
        rows = [figures.progress_row(s.readiness, s.lines, s.feedback) for s in sections]
        total = figures.progress_row(combined.readiness, combined.lines, combined.feedback)
        return workbook.progress_workbook(period, rows, total, generated)
    return workbook.summary_workbook(period, combined, sections, generated)


def _check_scope(principal: Principal | None, department: str | None) -> None:
    if principal is None or principal.role in EVERYWHERE:
        return
    if not department:
        raise SuichaError(errors.COMBINED_FORBIDDEN)
    if department != principal.department_code:
        raise SuichaError(
            DEPARTMENT_FORBIDDEN, own=principal.department_code or "-", other=department
        )


def _out(row: dict[str, Any]) -> ReportOut:
    return ReportOut(
        id=row["id"],
        kind=row["kind"],
        period=row["period"],
        department=row["department"],
        generated_at=row["generated_at"],
        generated_by=row["generated_by"],
        sha256=row["sha256"],
        size=row["size"],
    )


async def generate(
    principal: Principal | None, kind: str, period_text: str, department: str | None
) -> ReportOut:
    """Build and store one report; `principal` None is the scheduler."""
    period = parse_period(check_kind(kind), period_text)
    department = department or None
    _check_scope(principal, department)
    actor = principal.username if principal else SCHEDULER
    now = datetime.now(UTC)
    if principal is not None and (
        await queries.generated_since(actor, now - timedelta(minutes=1)) >= PER_MINUTE
    ):
        raise SuichaError(errors.TOO_MANY, limit=PER_MINUTE)
    content = await build(period, department, now.astimezone(calendar.CHINA))
    values = {
        "kind": kind,
        "period": period.label,
        "department": department or "",
        "generated_at": now,
        "generated_by": actor,
        "sha256": sha256(content).hexdigest(),
        "size": len(content),
        "content": content,
    }
    async with write_transaction():
        report_id = await queries.insert_report(values)
        await audit(
            actor=actor,
            action="reports.generate",
            entity="report",
            entity_id=str(report_id),
            change={k: values[k] for k in ("kind", "period", "department", "sha256", "size")},
        )
    return _out({"id": report_id, **values})


async def list_reports(
    principal: Principal, kind: str | None, limit: int, offset: int
) -> Page[ReportOut]:
    if kind is not None:
        check_kind(kind)
    limit = clamp_limit(limit)
    departments = None if principal.role in EVERYWHERE else [principal.department_code or ""]
    if departments == [""]:
        departments = []
    rows, total = await queries.list_reports(departments, kind, limit, offset)
    return page_of([_out(row) for row in rows], total, limit, offset)


async def download(principal: Principal, report_id: int) -> tuple[ReportOut, bytes]:
    row = await queries.report(report_id)
    if row is None:
        raise SuichaError(errors.UNKNOWN_REPORT, report_id=report_id)
    try:
        _check_scope(principal, row["department"] or None)
    except SuichaError:
        # Another department's report is as absent as a missing one to this caller.
        raise SuichaError(errors.UNKNOWN_REPORT, report_id=report_id) from None
    return _out(row), bytes(row["content"])


def file_name(report: ReportOut) -> str:
    department = report.department or "combined"
    return f"report-{report.kind}-{report.period}-{department}.xlsx"


async def monthly_job(today: date | None = None) -> int:
    """The scheduler's monthly job: last month's combined report and one per department.

    A report already stored for that month and scope is not generated again, so
    a job run twice (or by two processes) stores each once.
    """
    today = today or datetime.now(calendar.CHINA).date()
    period = previous_month(today)
    made = 0
    for code in ["", *(row["code"] for row in await queries.departments())]:
        if await queries.report_exists("monthly", period.label, code):
            continue
        await generate(None, "monthly", period.label, code or None)
        made += 1
    return made
