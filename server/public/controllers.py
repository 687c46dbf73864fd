"""The public API: published plans and draw records, readable without login."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import FromPath, QueryParameter

from server.draws import service as draws
from server.http.auth import PUBLIC
from server.http.paging import Page, clamp_limit, page_of
from server.plans import errors as plan_errors
from server.plans import service as plans
from server.plans.schemas import PlanOut, plan_out
from server.public import queries
from server.public.view import draw_summary
from shared.errors import SuichaError


async def public_plan(code: str) -> dict[str, Any]:
    plan = await queries.published_plan(code)
    if plan is None:
        raise SuichaError(plan_errors.PLAN_NOT_FOUND, plan=code)
    return plan


class PublicController(Controller):
    path = "/public"
    tags = ["public"]
    opt = PUBLIC

    @get("/draws")
    async def list_draws(
        self,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[dict[str, Any]]:
        limit = clamp_limit(limit)
        rows, total = await queries.draws(limit, offset)
        return page_of([draw_summary(r) for r in rows], total, limit, offset)

    @get("/draws/{draw_id:str}")
    async def get_draw(self, draw_id: FromPath[str]) -> dict[str, Any]:
        """The record of spec §6 (secret revealed once drawn) with its amendments."""
        return await draws.published(draw_id)

    @get("/plans")
    async def list_plans(
        self,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[PlanOut]:
        limit = clamp_limit(limit)
        rows, total = await queries.published_plans(limit, offset)
        return page_of([plan_out(await plans.plan_view(r)) for r in rows], total, limit, offset)

    @get("/plans/{plan_code:str}")
    async def get_plan(self, plan_code: FromPath[str]) -> PlanOut:
        return plan_out(await plans.plan_view(await public_plan(plan_code)))
