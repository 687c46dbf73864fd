"""The accountability view (问责, seed 000 §7): per department, what was not done on time and who
was responsible for it.

Three kinds of lapse:

- not_inspected (未按期检查): the plan's inspection window has ended and a department
  has not submitted its part of the task; responsible: that department's team;
- published_late (逾期公示): first published after the publication deadline;
  responsible: the publisher and the reviewers;
- delayed (任务延误): a department submitted after the task's last day (its team), or
  the publication deadline has passed unpublished (the reviewers, else the
  department's back-office staff).

Beside the lapses, `feedback` gives each department's figures of the businesses'
side: ratings (count, mean score) and objections (filed, upheld, rejected, open,
overdue — answered after the working-day deadline or still open after it).

`lapses` is plain Python over plain rows; `accountability` gathers the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from server.accounts.errors import DEPARTMENT_FORBIDDEN
from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.calendar import service as calendar
from server.http.paging import Page, clamp_limit, page_of
from server.records.reports import errors, figures, queries
from server.records.reports.periods import FIRST_YEAR, LAST_YEAR
from server.records.reports.schemas import AccountabilityOut, FeedbackOut, Responsible
from server.records.reports.service import feedback_facts
from shared.errors import SuichaError

KINDS = {"not_inspected": "未按期检查", "published_late": "逾期公示", "delayed": "任务延误"}
EVERY_DEPARTMENT = frozenset({Role.ADMIN, Role.BACK_OFFICE, Role.OBSERVER})
"""Roles that see every department; a team lead sees their own."""


@dataclass(frozen=True)
class Lapse:
    kind: str
    department: str
    plan_code: str
    task_id: int
    business: str
    credit_code: str
    due: date
    happened: date | None
    days_late: int
    responsible: tuple[Responsible, ...]


@dataclass(frozen=True)
class People:
    """Who was on each task, as the database says."""

    teams: dict[tuple[int, str], list[Responsible]]
    """(task, department) → active team members."""
    reviewers: dict[int, list[Responsible]]
    publishers: dict[int, Responsible]
    back_office: dict[str, list[Responsible]]


def _late(due: date, happened: date | None, today: date) -> int:
    return ((happened or today) - due).days


def lapses(
    today: date,
    unsubmitted: Iterable[dict[str, Any]],
    submissions: Iterable[dict[str, Any]],
    deadlines: Iterable[dict[str, Any]],
    people: People,
) -> list[Lapse]:
    """Every lapse, ordered by department, kind and task.

    `unsubmitted`: items of tasks past their plan's window with no submission of
    their department; `submissions`: each department's submission with its day
    (China time) and the task's last day; `deadlines`: deadlines before today,
    with the first publication day or None.
    """
    found: list[Lapse] = []
    seen: set[tuple[int, str]] = set()
    for row in unsubmitted:
        key = (row["task"], row["department"])
        if key in seen:
            continue
        seen.add(key)
        found.append(
            Lapse(
                "not_inspected",
                row["department"],
                row["plan_code"],
                row["task"],
                row["object_name"],
                row["credit_code"],
                row["window_end"],
                None,
                _late(row["window_end"], None, today),
                tuple(people.teams.get(key, [])),
            )
        )
    for row in submissions:
        if row["day"] <= row["due_date"]:
            continue
        found.append(
            Lapse(
                "delayed",
                row["department"],
                row["plan_code"],
                row["task"],
                row["object_name"],
                row["credit_code"],
                row["due_date"],
                row["day"],
                _late(row["due_date"], row["day"], today),
                tuple(people.teams.get((row["task"], row["department"]), [])),
            )
        )
    for row in deadlines:
        published = row["published_on"]
        if published is not None and published <= row["deadline"]:
            continue
        reviewers = people.reviewers.get(row["task"], [])
        if published is None:
            kind = "delayed"
            responsible = reviewers or people.back_office.get(row["department"], [])
        else:
            kind = "published_late"
            publisher = people.publishers.get(row["task"])
            responsible = ([publisher] if publisher else []) + [
                r for r in reviewers if publisher is None or r.username != publisher.username
            ]
        found.append(
            Lapse(
                kind,
                row["department"],
                row["plan_code"],
                row["task"],
                row["object_name"],
                row["credit_code"],
                row["deadline"],
                published,
                _late(row["deadline"], published, today),
                tuple(responsible),
            )
        )
    order = list(KINDS)
    return sorted(
        found, key=lambda lapse: (lapse.department, order.index(lapse.kind), lapse.task_id)
    )


async def _people(task_ids: Sequence[int], departments: Iterable[str]) -> People:
    teams: dict[tuple[int, str], list[Responsible]] = {}
    for row in await queries.teams(task_ids):
        teams.setdefault((row["task"], row["department"]), []).append(
            Responsible(name=row["name"], role="team", badge_no=row["badge_no"])
        )
    decided = await queries.reviewers(task_ids)
    published = await queries.first_publications(task_ids)
    names = await queries.display_names(
        [row["reviewer"] for row in decided] + [row["published_by"] for row in published.values()]
    )
    reviewers: dict[int, list[Responsible]] = {}
    for row in decided:
        listed = reviewers.setdefault(row["task"], [])
        if all(r.username != row["reviewer"] for r in listed):
            listed.append(
                Responsible(
                    name=names.get(row["reviewer"], row["reviewer"]),
                    role="reviewer",
                    username=row["reviewer"],
                )
            )
    publishers = {
        task: Responsible(
            name=names.get(row["published_by"], row["published_by"]),
            role="publisher",
            username=row["published_by"],
        )
        for task, row in published.items()
    }
    office: dict[str, list[Responsible]] = {}
    for row in await queries.back_office(departments):
        office.setdefault(row["department"], []).append(
            Responsible(name=row["display_name"], role="back_office", username=row["username"])
        )
    return People(teams, reviewers, publishers, office)


async def _department_id(principal: Principal, department: str | None) -> int | None:
    if principal.role not in EVERY_DEPARTMENT:
        department = department or principal.department_code
        if department != principal.department_code or department is None:
            raise SuichaError(
                DEPARTMENT_FORBIDDEN, own=principal.department_code or "-", other=department or "-"
            )
    if not department:
        return None
    row = await queries.department_by_code(department)
    if row is None:
        raise SuichaError(errors.UNKNOWN_DEPARTMENT, department=department[:32])
    return row["id"]


async def accountability(
    principal: Principal,
    department: str | None,
    kind: str | None,
    limit: int,
    offset: int,
    today: date | None = None,
) -> Page[AccountabilityOut]:
    """The lapses the caller may see, one page of them."""
    if kind is not None and kind not in KINDS:
        raise SuichaError(errors.UNKNOWN_ACCOUNTABILITY_KIND, kind=kind[:32])
    limit = clamp_limit(limit)
    today = today or datetime.now(calendar.CHINA).date()
    department_id = await _department_id(principal, department)
    past = await queries.overdue_tasks(today, department_id)
    past_ids = sorted({row["task"] for row in past})
    submitted = {(row["task"], row["department"]) for row in await queries.submissions(past_ids)}
    unsubmitted = [row for row in past if (row["task"], row["department"]) not in submitted]
    submissions = [
        {**row, "day": calendar.completion_day(row["submitted_at"])}
        for row in await queries.all_submissions(department_id)
    ]
    submissions = [row for row in submissions if row["day"] > row["due_date"]]
    deadlines = await queries.late_or_overdue_deadlines(today, department_id)
    task_ids = sorted(
        {row["task"] for row in unsubmitted}
        | {row["task"] for row in submissions}
        | {row["task"] for row in deadlines}
    )
    departments = {row["department"] for row in deadlines}
    people = await _people(task_ids, departments)
    found = [
        lapse
        for lapse in lapses(today, unsubmitted, submissions, deadlines, people)
        if kind is None or lapse.kind == kind
    ]
    items = [
        AccountabilityOut(
            kind=lapse.kind,
            kind_zh=KINDS[lapse.kind],
            department=lapse.department,
            plan_code=lapse.plan_code,
            task_id=lapse.task_id,
            business=lapse.business,
            credit_code=lapse.credit_code,
            due=lapse.due,
            happened=lapse.happened,
            days_late=lapse.days_late,
            responsible=list(lapse.responsible),
        )
        for lapse in found[offset : offset + limit]
    ]
    return page_of(items, len(found), limit, offset)


async def feedback(
    principal: Principal, department: str | None, year: int | None, today: date | None = None
) -> list[FeedbackOut]:
    """Per department the caller may see: the year's ratings and objections."""
    today = today or datetime.now(calendar.CHINA).date()
    year = year or today.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SuichaError(
            errors.PERIOD_OUT_OF_RANGE, period=str(year), first=FIRST_YEAR, last=LAST_YEAR
        )
    department_id = await _department_id(principal, department)
    rows = await queries.departments()
    if department_id is not None:
        rows = [row for row in rows if row["id"] == department_id]
    rated, objected = await feedback_facts(year)
    out = []
    for row in rows:
        mine = [o for o in objected if o.department == row["code"]]
        counted = figures.feedback(rated, mine, None, today, row["code"])
        overdue = [o.id for o in mine if figures.is_overdue(o, today)]
        out.append(
            FeedbackOut(
                department=row["code"],
                department_name=row["name"],
                year=year,
                ratings=counted.ratings,
                rating_mean=counted.mean,
                objections_filed=counted.filed,
                objections_upheld=counted.upheld,
                objections_rejected=counted.rejected,
                objections_open=counted.open,
                objections_overdue=counted.overdue,
                overdue_objections=overdue,
            )
        )
    return out
