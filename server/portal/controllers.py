"""The portal's JSON and open data under `/api/v1/public/` (no login)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get
from litestar.params import FromPath, QueryParameter

from server.http.auth import PUBLIC
from server.portal import service
from server.portal.limits import PORTAL_RATE_LIMIT
from server.portal.service import PortalPage, PublicResult, PublishedTask

Offset = Annotated[int, QueryParameter(ge=0, le=1_000_000)]


class PortalController(Controller):
    path = "/public"
    tags = ["public"]
    opt = PUBLIC
    middleware = [PORTAL_RATE_LIMIT.middleware]

    @get("/results")
    async def search(
        self,
        q: Annotated[str, QueryParameter(max_length=200)],
        limit: Annotated[int, QueryParameter(ge=1)] = 20,
        offset: Offset = 0,
    ) -> PortalPage:
        """Current published results by credit code or a 3+ character part of the name."""
        return await service.search(q, limit, offset)

    @get("/results/{task_id:int}")
    async def result(self, task_id: FromPath[int]) -> PublishedTask:
        """Every published version of one task's result (corrections beside the original)."""
        return await service.published_task(task_id)

    @get("/businesses/{credit_code:str}")
    async def business(self, credit_code: FromPath[str]) -> list[PublicResult]:
        """A business's inspection history: every published version, newest first."""
        return await service.business_history(credit_code)

    @get("/open-data.json")
    async def open_data_json(
        self,
        start: Annotated[date | None, QueryParameter(name="from")] = None,
        end: Annotated[date | None, QueryParameter(name="to")] = None,
        department: Annotated[str | None, QueryParameter(max_length=32)] = None,
        plan: Annotated[str | None, QueryParameter(max_length=64)] = None,
        limit: Annotated[int, QueryParameter(ge=1)] = 1000,
        offset: Offset = 0,
    ) -> PortalPage:
        """Open data: every published version, paged, by publication date, department, plan."""
        return await service.open_data(
            start=start, end=end, department=department, plan=plan, limit=limit, offset=offset
        )

    @get("/open-data.csv", media_type="text/csv; charset=utf-8")
    async def open_data_csv(
        self,
        start: Annotated[date | None, QueryParameter(name="from")] = None,
        end: Annotated[date | None, QueryParameter(name="to")] = None,
        department: Annotated[str | None, QueryParameter(max_length=32)] = None,
        plan: Annotated[str | None, QueryParameter(max_length=64)] = None,
        limit: Annotated[int, QueryParameter(ge=1)] = 1000,
        offset: Offset = 0,
    ) -> Response[str]:
        """The same open data as CSV; `X-More: 1` when another page follows."""
        page = await service.open_data(
            start=start, end=end, department=department, plan=plan, limit=limit, offset=offset
        )
        return Response(
            content=service.open_data_csv(page),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="suicha-results.csv"',
                "X-More": "1" if page.more else "0",
            },
        )
