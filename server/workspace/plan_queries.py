"""Queries behind the plan builder's live parts (the scope count per risk class)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from piccolo.query.functions.aggregate import Count

from server.draws.eligibility import DEREGISTERED, REVOKED
from server.plans.tables import Plan, PlanDepartment
from server.rosters.queries import sub_roster_conditions
from server.rosters.tables import InspectionItem, InspectionObject


def scope_count_query(scope: Mapping[str, Sequence[str]]) -> Any:
    """The grouped count behind `scope_counts`, unexecuted (the bench times its bare SQL)."""
    return (
        InspectionObject.select(InspectionObject.risk_class, Count(alias="n"))
        .where(
            *sub_roster_conditions(scope),
            InspectionObject.status.not_in([DEREGISTERED, REVOKED]),
        )
        .group_by(InspectionObject.risk_class)
    )


async def scope_counts(scope: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Objects of the scope's sub-roster (子名录) still registered, counted per risk class.

    One grouped count over the indexed narrowing a draw uses
    (`sub_roster_conditions`); deregistered and revoked objects are left out as
    the draw leaves them out. Exclusions known only at the draw (inspected
    recently, drawn by another plan) are not subtracted: the page says so.
    """
    rows = await scope_count_query(scope)
    return {row["risk_class"]: int(row["n"]) for row in rows}


async def active_items() -> list[dict[str, object]]:
    """Every active inspection item with its department, for the plan form's choices."""
    return (
        await InspectionItem.select(
            InspectionItem.code,
            InspectionItem.name,
            InspectionItem.kind,
            InspectionItem.ratio_cap,
            InspectionItem.department.code.as_alias("department_code"),
            InspectionItem.department.name.as_alias("department_name"),
        )
        .where(InspectionItem.active.eq(True))
        .order_by(InspectionItem.department.code)
        .order_by(InspectionItem.code)
    )


async def departments_of_plan(plan_id: int) -> set[int]:
    """Ids of the departments taking part in a plan (the lead among them)."""
    rows = await PlanDepartment.select(PlanDepartment.department).where(
        PlanDepartment.plan == plan_id
    )
    return {row["department"] for row in rows}


async def plans_for(
    department_id: int | None, statuses: list[str] | None, limit: int
) -> list[dict[str, object]]:
    """Newest plans a department takes part in (None: every plan, for admins)."""
    query = Plan.select(*Plan.all_columns(), Plan.lead_department.code.as_alias("lead_code"))
    conditions = []
    if department_id is not None:
        ids = await PlanDepartment.select(PlanDepartment.plan).where(
            PlanDepartment.department == department_id
        )
        conditions.append(Plan.id.is_in([row["plan"] for row in ids] or [-1]))
    if statuses is not None:
        conditions.append(Plan.status.is_in(statuses or ["-"]))
    if conditions:
        query = query.where(*conditions)
    return await query.order_by(Plan.id, ascending=False).limit(limit)
