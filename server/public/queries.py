"""Queries of the public pages: only what is published (plans from 公示 on, and their draws)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from server.draws import queries as draw_queries
from server.plans import queries as plan_queries
from server.rosters.tables import Department, InspectionObject


async def published_plans(limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    return await plan_queries.list_plans(
        statuses=plan_queries.PUBLIC_STATUSES, limit=limit, offset=offset
    )


async def published_plan(code: str) -> dict[str, Any] | None:
    plan = await plan_queries.plan_by_code(code)
    if plan is None or plan["status"] not in plan_queries.PUBLIC_STATUSES:
        return None
    return plan


async def draws(limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    return await draw_queries.list_draws(limit=limit, offset=offset)


async def draw_of_plan(plan_id: int) -> dict[str, Any] | None:
    return await draw_queries.draw_for_plan(plan_id)


NAME_BATCH = 500
"""Credit codes looked up per query (well under either engine's parameter limit)."""


async def object_names(credit_codes: Iterable[str]) -> dict[str, str]:
    """Business names (企业名称) by credit code: who was drawn is public information."""
    wanted = sorted(set(credit_codes))
    names: dict[str, str] = {}
    for start in range(0, len(wanted), NAME_BATCH):
        batch = wanted[start : start + NAME_BATCH]
        rows = await InspectionObject.select(
            InspectionObject.credit_code, InspectionObject.name
        ).where(InspectionObject.credit_code.is_in(batch))
        names.update({row["credit_code"]: row["name"] for row in rows})
    return names


async def department_names() -> dict[str, str]:
    """Department names (部门名称) by code."""
    rows = await Department.select(Department.code, Department.name)
    return {row["code"]: row["name"] for row in rows}
