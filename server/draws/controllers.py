"""HTTP endpoints of the draw ceremony (staff side; the public side is `server.public`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from server.draws import service
from server.draws.schemas import AmendmentIn, AmendmentOut, WitnessIn
from server.http.auth import CurrentPrincipal, allow


class PlanDrawController(Controller):
    path = "/plans/{plan_id:int}/draws"
    tags = ["draws"]

    @post("/", guards=[allow("draws.run")])
    async def schedule(self, principal: CurrentPrincipal, plan_id: FromPath[int]) -> dict[str, Any]:
        """Fix the population and pools, publish the commitment to the server secret."""
        public_id = await service.schedule(principal, plan_id)
        return await service.published(public_id)


class DrawController(Controller):
    path = "/draws"
    tags = ["draws"]

    @get("/{draw_id:str}", guards=[allow("draws.read")])
    async def get_draw(self, draw_id: FromPath[str]) -> dict[str, Any]:
        return await service.published(draw_id)

    @post("/{draw_id:str}/witness", status_code=200)
    async def witness(
        self, principal: CurrentPrincipal, draw_id: FromPath[str], data: JSONBody[WitnessIn]
    ) -> dict[str, Any]:
        """The observer enters the witness input and signs (the service refuses anyone else)."""
        await service.witness(principal, draw_id, data.witness_input)
        return await service.published(draw_id)

    @post("/{draw_id:str}/draw", guards=[allow("draws.run")], status_code=200)
    async def run(self, principal: CurrentPrincipal, draw_id: FromPath[str]) -> dict[str, Any]:
        await service.run(principal, draw_id)
        return await service.published(draw_id)

    @post("/{draw_id:str}/amendments", guards=[allow("draws.run")])
    async def amend(
        self, principal: CurrentPrincipal, draw_id: FromPath[str], data: JSONBody[AmendmentIn]
    ) -> AmendmentOut:
        entry = await service.amend_team(
            principal,
            draw_id,
            object_id=data.object_id,
            department=data.department,
            removed=data.removed,
            reason=data.reason,
            conflict=data.conflict,
        )
        return AmendmentOut(**entry)
