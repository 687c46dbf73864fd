"""HTTP endpoints of plans: create, edit (draft), approve, publish, amend, close."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from server.http.auth import CurrentPrincipal, allow
from server.http.paging import Page, clamp_limit, page_of
from server.plans import queries, service
from server.plans.schemas import (
    PlanAmendmentIn,
    PlanChanges,
    PlanCreate,
    PlanOut,
    changes_dict,
    create_dict,
    plan_out,
)

PlanId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]
"""A plan's row id: the column is a 32-bit serial, so a larger id is refused, not looked up."""


class PlanController(Controller):
    path = "/plans"
    tags = ["plans"]

    @get("/", guards=[allow("plans.read")])
    async def list_plans(
        self,
        principal: CurrentPrincipal,
        status: Annotated[str | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[PlanOut]:
        limit = clamp_limit(limit)
        rows, total = await queries.list_plans(
            statuses=service.visible_statuses(principal, status), limit=limit, offset=offset
        )
        return page_of([plan_out(await service.plan_view(r)) for r in rows], total, limit, offset)

    @post("/", guards=[allow("plans.write")])
    async def create_plan(self, principal: CurrentPrincipal, data: JSONBody[PlanCreate]) -> PlanOut:
        plan_id, _ = await service.create_plan(principal, create_dict(data))
        return plan_out(await service.plan_view_by_id(plan_id))

    @get("/{plan_id:int}", guards=[allow("plans.read")])
    async def get_plan(self, principal: CurrentPrincipal, plan_id: PlanId) -> PlanOut:
        return plan_out(await service.plan_view_by_id(plan_id, principal))

    @patch("/{plan_id:int}", guards=[allow("plans.write")])
    async def update_plan(
        self, principal: CurrentPrincipal, plan_id: PlanId, data: JSONBody[PlanChanges]
    ) -> PlanOut:
        await service.update_plan(principal, plan_id, changes_dict(data))
        return plan_out(await service.plan_view_by_id(plan_id))

    @post("/{plan_id:int}/amendments", guards=[allow("plans.write")])
    async def amend_plan(
        self, principal: CurrentPrincipal, plan_id: PlanId, data: JSONBody[PlanAmendmentIn]
    ) -> PlanOut:
        await service.amend_plan(principal, plan_id, data.reason, changes_dict(data.changes))
        return plan_out(await service.plan_view_by_id(plan_id))

    @post("/{plan_id:int}/approve", guards=[allow("plans.write")], status_code=200)
    async def approve(self, principal: CurrentPrincipal, plan_id: PlanId) -> PlanOut:
        await service.advance(principal, plan_id, "approve")
        return plan_out(await service.plan_view_by_id(plan_id))

    @post("/{plan_id:int}/publish", guards=[allow("plans.write")], status_code=200)
    async def publish(self, principal: CurrentPrincipal, plan_id: PlanId) -> PlanOut:
        await service.advance(principal, plan_id, "publish")
        return plan_out(await service.plan_view_by_id(plan_id))

    @post("/{plan_id:int}/close", guards=[allow("plans.write")], status_code=200)
    async def close(self, principal: CurrentPrincipal, plan_id: PlanId) -> PlanOut:
        await service.advance(principal, plan_id, "close")
        return plan_out(await service.plan_view_by_id(plan_id))
