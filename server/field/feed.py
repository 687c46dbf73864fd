"""Task packages for the field, by cursor (`GET /field/tasks?since=`).

The cursor is the id of the last `TaskChange` row of the caller's inspector
that the answer covers. Every task touched after the cursor is sent whole, in
its newest state, or listed as removed when the inspector is no longer
actively on it — the feed row kinds only say something changed; the current
team decides.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import msgspec

from server.accounts.principal import Principal
from server.calendar import queries as deadline_queries
from server.categories import service as categories
from server.field import authority, errors, queries, templates
from server.http.bounds import INTEGER_MAX
from server.publication import returns
from server.tasks.queries import field_marks
from shared.errors import SuichaError
from shared.sync.protocol import (
    RESULT_BATCH_MAX,
    ItemReturn,
    PlanRef,
    ResultCategoryRef,
    TaskFeed,
    TaskItemPackage,
    TaskObject,
    TaskPackage,
    TeamMember,
)

PAGE = 500
"""Feed rows read per answer; `more` tells the device to ask again."""


def parse_cursor(cursor: str | None) -> int:
    if cursor is None or cursor == "":
        return 0
    # ASCII digits only ("²" is a digit to isdigit), and within the id column's INTEGER.
    if not (cursor.isascii() and cursor.isdigit()) or int(cursor) > INTEGER_MAX:
        raise SuichaError(errors.BAD_CURSOR, cursor=cursor[:40])
    return int(cursor)


async def task_feed(principal: Principal, since: str | None, page: int = PAGE) -> TaskFeed:
    inspector_id = authority.inspector_of(principal)
    after = parse_cursor(since)
    rows = await queries.changes_since(inspector_id, after, page)
    cursor = rows[-1]["id"] if rows else after
    touched = list(dict.fromkeys(row["task"] for row in rows))
    mine = await queries.active_memberships(inspector_id, touched)
    packages = await packages_of(mine)
    if packages:
        badge = await queries.inspector_badge(inspector_id)
        for package in packages:
            package.my_badge = badge
    return TaskFeed(
        cursor=str(cursor),
        tasks=packages,
        removed=[task_id for task_id in touched if task_id not in mine],
        more=len(rows) == page,
        result_batch_max=RESULT_BATCH_MAX,
    )


async def packages_of(my_departments: dict[int, str]) -> list[TaskPackage]:
    """Whole packages of these tasks; `my_departments`: task id → the caller's department."""
    ids = list(my_departments)
    if not ids:
        return []
    team: dict[int, list[TeamMember]] = defaultdict(list)
    for row in await queries.teams(ids):
        team[row["task"]].append(
            TeamMember(badge_no=row["badge_no"], name=row["name"], department=row["department"])
        )
    items: dict[int, list[TaskItemPackage]] = defaultdict(list)
    item_rows = await queries.items_of_tasks(ids)
    versions = await templates.versions_of((r["item"], _json(r["checklist"])) for r in item_rows)
    for row in item_rows:
        items[row["task"]].append(
            TaskItemPackage(
                code=row["code"],
                name=row["name"],
                department=row["department"],
                legal_basis=row["legal_basis"],
                kind=row["kind"],
                checklist=_json(row["checklist"]),
                template_version=versions.get(row["item"]),
            )
        )
    submitted = {
        (row["task"], row["department"]): row["submitted_at"]
        for row in await queries.submissions_of_tasks(ids)
    }
    tasks = {row["id"]: row for row in await queries.tasks_for_packages(ids)}
    packages = [
        _package(tasks[task_id], my_departments[task_id], team, items, submitted)
        for task_id in ids
        if task_id in tasks
    ]
    await _add_review(packages)
    offered = [
        ResultCategoryRef(code=c["code"], zh=c["zh"], en=c["en"], parent=c["parent"])
        for c in await categories.active_categories()
    ]
    marks = await field_marks(ids)
    for package in packages:
        package.categories = offered
        mark = marks.get(package.id)
        if mark is not None:
            package.kind = mark["kind"]
            package.reason_category = mark["reason_category"]
            package.inspection_code, package.code_signature = mark["code"], mark["signature"]
    return packages


async def _add_review(packages: list[TaskPackage]) -> None:
    """The publication deadline, and the returns (退回修改) of the caller's department."""
    ids = [package.id for package in packages]
    deadlines = await deadline_queries.deadlines_of(ids)
    returned: dict[int, list[ItemReturn]] = defaultdict(list)
    by_task = {package.id: package for package in packages}
    for row in await returns.open_returns(ids):
        if row["department_code"] == by_task[row["task"]].my_department:
            returned[row["task"]].append(
                ItemReturn(
                    item=row["item_code"],
                    result_id=row["result_uuid"],
                    version=row["result_version"],
                    reason=row["reason"],
                    returned_at=row["decided_at"],
                )
            )
    for package in packages:
        deadline = deadlines.get(package.id)
        if deadline is not None:
            package.publication_deadline = deadline["deadline"]
            package.deadline_provisional = bool(deadline["provisional"])
        package.returns = returned.get(package.id, [])


def _package(
    row: dict[str, Any],
    my_department: str,
    team: dict[int, list[TeamMember]],
    items: dict[int, list[TaskItemPackage]],
    submitted: dict[tuple[int, str], Any],
) -> TaskPackage:
    return TaskPackage(
        id=row["id"],
        version=row["version"],
        status=row["status"],
        draw_id=row["draw_id"] or "",  # a directed task has no draw and no plan
        plan=PlanRef(code=row["plan_code"] or "", name=row["plan_name"] or ""),
        object=TaskObject(
            credit_code=row["credit_code"],
            name=row["object_name"],
            address=row["address"],
            region=row["region"],
            industry_code=row["industry_code"],
            risk_class=row["risk_class"],
            licences=_licences(row["licences"]),
        ),
        team=team.get(row["id"], []),
        my_department=my_department,
        items=items.get(row["id"], []),
        due_date=row["due_date"],
        submitted_at=submitted.get((row["id"], my_department)),
    )


def _licences(value: Any) -> list[str]:
    """The roster keeps licences as JSON text; anything but a list of strings shows none."""
    try:
        data = msgspec.json.decode(value) if isinstance(value, str) else value
    except msgspec.DecodeError:
        return []
    return [str(x) for x in data] if isinstance(data, list) else []


def _json(value: Any) -> Any:
    # SQLite hands JSON columns back as text, PostgreSQL as text or data.
    return msgspec.json.decode(value) if isinstance(value, str) else value
