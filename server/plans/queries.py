"""Every query of the plans area."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from server.draws.tables import Draw
from server.plans.tables import Plan, PlanAmendment, PlanDepartment, PlanItem
from server.rosters.tables import Department, InspectionItem, RiskClass

PUBLIC_STATUSES = ("published", "drawn", "closed")


async def departments_by_code(codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    codes = list(codes)
    if not codes:
        return {}
    rows = await Department.select().where(Department.code.is_in(codes))
    return {row["code"]: row for row in rows}


async def items_by_code(codes: Iterable[str]) -> dict[str, dict[str, Any]]:
    codes = list(codes)
    if not codes:
        return {}
    rows = (
        await InspectionItem.select(
            *InspectionItem.all_columns(),
            InspectionItem.department.code.as_alias("department_code"),
        )
        .where(InspectionItem.code.is_in(codes))
        .output(load_json=True)
    )
    return {row["code"]: row for row in rows}


async def risk_class_codes() -> list[str]:
    """Configured classes from lowest to highest risk (empty when none are configured)."""
    rows = await RiskClass.select(RiskClass.code).order_by(RiskClass.rank).order_by(RiskClass.code)
    return [row["code"] for row in rows]


async def plan_by_id(plan_id: int) -> dict[str, Any] | None:
    return (
        await Plan.select(*Plan.all_columns(), Plan.lead_department.code.as_alias("lead_code"))
        .where(Plan.id == plan_id)
        .output(load_json=True)
        .first()
    )


async def plan_by_code(code: str) -> dict[str, Any] | None:
    return (
        await Plan.select(*Plan.all_columns(), Plan.lead_department.code.as_alias("lead_code"))
        .where(Plan.code == code)
        .output(load_json=True)
        .first()
    )


async def scheduled_draw(plan_id: int) -> str | None:
    """The public id of the plan's draw once it is scheduled (its inputs fixed), else None."""
    row = await Draw.select(Draw.public_id).where(Draw.plan == plan_id).first()
    return row["public_id"] if row else None


async def plan_code_taken(code: str) -> bool:
    return await Plan.exists().where(Plan.code == code)


async def plan_departments(plan_id: int) -> list[dict[str, Any]]:
    return (
        await PlanDepartment.select(
            PlanDepartment.department,
            PlanDepartment.per_task,
            PlanDepartment.department.code.as_alias("code"),
            PlanDepartment.department.name.as_alias("name"),
        )
        .where(PlanDepartment.plan == plan_id)
        .order_by(PlanDepartment.department.code)
    )


async def plan_items(plan_id: int) -> list[dict[str, Any]]:
    return (
        await PlanItem.select(
            PlanItem.item.as_alias("item_id"),
            PlanItem.item.code.as_alias("code"),
            PlanItem.item.name.as_alias("name"),
            PlanItem.item.kind.as_alias("kind"),
            PlanItem.item.ratio_cap.as_alias("ratio_cap"),
            PlanItem.item.required_qualifications.as_alias("required_qualifications"),
            PlanItem.item.department.as_alias("department_id"),
            PlanItem.item.department.code.as_alias("department_code"),
        )
        .where(PlanItem.plan == plan_id)
        .order_by(PlanItem.item.code)
        .output(load_json=True)
    )


async def plan_amendments(plan_id: int) -> list[dict[str, Any]]:
    return (
        await PlanAmendment.select()
        .where(PlanAmendment.plan == plan_id)
        .order_by(PlanAmendment.seq)
        .output(load_json=True)
    )


async def list_plans(
    *, statuses: Iterable[str] | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    query = Plan.select(*Plan.all_columns(), Plan.lead_department.code.as_alias("lead_code"))
    count = Plan.count()
    if statuses is not None:
        statuses = list(statuses)
        if not statuses:
            return [], 0
        query = query.where(Plan.status.is_in(statuses))
        count = count.where(Plan.status.is_in(statuses))
    rows = (
        await query.order_by(Plan.year, ascending=False)
        .order_by(Plan.code)
        .limit(limit)
        .offset(offset)
        .output(load_json=True)
    )
    return rows, await count


async def insert_plan(values: dict[str, Any]) -> int:
    rows = await Plan.insert(Plan(**values)).returning(Plan.id)
    return rows[0]["id"]


async def update_plan(plan_id: int, values: dict[str, Any]) -> None:
    await Plan.update({getattr(Plan, key): value for key, value in values.items()}).where(
        Plan.id == plan_id
    )


async def replace_departments(plan_id: int, per_task: dict[int, int]) -> None:
    await PlanDepartment.delete().where(PlanDepartment.plan == plan_id)
    rows = [PlanDepartment(plan=plan_id, department=d, per_task=n) for d, n in per_task.items()]
    if rows:
        await PlanDepartment.insert(*rows)


async def replace_items(plan_id: int, item_ids: Iterable[int]) -> None:
    await PlanItem.delete().where(PlanItem.plan == plan_id)
    rows = [PlanItem(plan=plan_id, item=i) for i in item_ids]
    if rows:
        await PlanItem.insert(*rows)


async def insert_amendment(values: dict[str, Any]) -> None:
    await PlanAmendment.insert(PlanAmendment(**values))


async def next_amendment_seq(plan_id: int) -> int:
    last = (
        await PlanAmendment.select(PlanAmendment.seq)
        .where(PlanAmendment.plan == plan_id)
        .order_by(PlanAmendment.seq, ascending=False)
        .first()
    )
    return (last["seq"] if last else 0) + 1


async def lock_plan(plan_id: int) -> None:
    """Serialise writers of one plan (and its draw) until the transaction ends.

    PostgreSQL takes the row lock (SELECT … FOR UPDATE); SQLite needs none, as
    its IMMEDIATE write transaction already holds the database's write lock.
    """
    if isinstance(Plan._meta.db, PostgresEngine):
        await Plan.select(Plan.id).where(Plan.id == plan_id).lock_rows()
