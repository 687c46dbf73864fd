"""Every query of the draws area."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from server.accounts.tables import User
from server.draws.tables import Draw, DrawAmendment
from server.plans.tables import Plan
from server.rosters.queries import sub_roster_conditions
from server.rosters.tables import Department, InspectionObject, Inspector
from server.tasks.tables import Task, TaskItem


async def objects_for_scope(scope: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Objects of the scope's sub-roster, narrowed in SQL; the service applies the exact rule."""
    query = InspectionObject.select(
        InspectionObject.credit_code,
        InspectionObject.risk_class,
        InspectionObject.status,
        InspectionObject.region,
        InspectionObject.industry_code,
        InspectionObject.kind,
        InspectionObject.tags,
    ).where(*sub_roster_conditions(scope))
    rows = await query
    for row in rows:
        row["tags"] = json.loads(row["tags"] or "[]")
    return rows


async def recent_inspections(since: datetime) -> dict[str, set[str]]:
    """Object credit code → item codes of tasks from draws made since `since`."""
    rows = await TaskItem.select(
        TaskItem.task.object.credit_code.as_alias("object_id"),
        TaskItem.item.code.as_alias("item_code"),
    ).where(TaskItem.task.draw.drawn_at >= since)
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["object_id"], set()).add(row["item_code"])
    return out


async def drawn_in_other_plans(plan_id: int, start: date, end: date) -> dict[str, str]:
    """Object credit code → code of another plan, of an overlapping window, that drew it."""
    rows = (
        await Task.select(
            Task.object.credit_code.as_alias("object_id"),
            Task.draw.plan.code.as_alias("plan_code"),
        )
        .where(Task.draw.plan.id != plan_id)
        .where(Task.draw.plan.window_start <= end)
        .where(Task.draw.plan.window_end >= start)
        .order_by(Task.draw.plan.code)
    )
    out: dict[str, str] = {}
    for row in rows:
        out.setdefault(row["object_id"], row["plan_code"])
    return out


async def inspectors_of(department_codes: list[str]) -> list[dict[str, Any]]:
    return (
        await Inspector.select(
            Inspector.id,
            Inspector.badge_no,
            Inspector.status,
            Inspector.qualifications,
            Inspector.station_region,
            Inspector.conflicts,
            Inspector.department.code.as_alias("department_code"),
        )
        .where(Inspector.department.code.is_in(department_codes))
        .output(load_json=True)
    )


async def inspector_ids(badges: list[str]) -> dict[str, int]:
    if not badges:
        return {}
    rows = await Inspector.select(Inspector.id, Inspector.badge_no).where(
        Inspector.badge_no.is_in(badges)
    )
    return {row["badge_no"]: row["id"] for row in rows}


async def object_ids(codes: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for start in range(0, len(codes), 500):  # bounded IN lists on every engine
        chunk = codes[start : start + 500]
        rows = await InspectionObject.select(
            InspectionObject.id, InspectionObject.credit_code
        ).where(InspectionObject.credit_code.is_in(chunk))
        out.update({row["credit_code"]: row["id"] for row in rows})
    return out


async def department_ids(codes: list[str]) -> dict[str, int]:
    rows = await Department.select(Department.id, Department.code).where(
        Department.code.is_in(codes)
    )
    return {row["code"]: row["id"] for row in rows}


async def display_name(username: str) -> str:
    row = await User.select(User.display_name).where(User.username == username).first()
    return row["display_name"] if row else username


_DRAW_COLUMNS = (
    *Draw.all_columns(),
    Draw.plan.code.as_alias("plan_code"),
    Draw.plan.name.as_alias("plan_name"),
    Draw.plan.lead_department.as_alias("lead_department_id"),
    Draw.plan.lead_department.code.as_alias("lead_code"),
)


async def draw_by_public_id(public_id: str) -> dict[str, Any] | None:
    return (
        await Draw.select(*_DRAW_COLUMNS)
        .where(Draw.public_id == public_id)
        .output(load_json=True)
        .first()
    )


async def draw_for_plan(plan_id: int) -> dict[str, Any] | None:
    return (
        await Draw.select(*_DRAW_COLUMNS).where(Draw.plan == plan_id).output(load_json=True).first()
    )


async def list_draws(*, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    rows = (
        await Draw.select(*_DRAW_COLUMNS)
        .order_by(Draw.scheduled_at, ascending=False)
        .order_by(Draw.id, ascending=False)
        .limit(limit)
        .offset(offset)
        .output(load_json=True)
    )
    return rows, await Draw.count()


async def insert_draw(values: dict[str, Any]) -> int:
    rows = await Draw.insert(Draw(**values)).returning(Draw.id)
    return rows[0]["id"]


async def update_draw(draw_id: int, values: dict[str, Any]) -> None:
    await Draw.update({getattr(Draw, key): value for key, value in values.items()}).where(
        Draw.id == draw_id
    )


async def amendments(draw_id: int) -> list[dict[str, Any]]:
    return (
        await DrawAmendment.select()
        .where(DrawAmendment.draw == draw_id)
        .order_by(DrawAmendment.seq)
    )


async def insert_amendment(values: dict[str, Any]) -> None:
    await DrawAmendment.insert(DrawAmendment(**values))


async def plan_status(plan_id: int, status: str, **stamps: Any) -> None:
    await Plan.update(
        {Plan.status: status, **{getattr(Plan, k): v for k, v in stamps.items()}}
    ).where(Plan.id == plan_id)
