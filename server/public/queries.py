"""Queries of the public pages: only what is published (plans from 公示 on, and their draws)."""

from __future__ import annotations

from typing import Any

from server.draws import queries as draw_queries
from server.plans import queries as plan_queries


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
