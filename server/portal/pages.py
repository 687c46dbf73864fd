"""The public portal's pages at the site root: search, a business's history, a result, open data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, MediaType, Response, get
from litestar.params import FromPath, QueryParameter

from server.http.auth import PUBLIC
from server.http.html import environment
from server.portal import service
from server.portal.limits import PORTAL_RATE_LIMIT
from shared.errors import SuichaError

_ENV = environment(Path(__file__).parent.parent / "public" / "templates")


def _html(template: str, status_code: int = 200, **context: Any) -> Response[str]:
    body = _ENV.get_template(template).render(**context)
    return Response(content=body, media_type=MediaType.HTML, status_code=status_code)


class PortalPages(Controller):
    path = "/"
    opt = PUBLIC
    middleware = [PORTAL_RATE_LIMIT.middleware]
    include_in_schema = False

    @get("/")
    async def home(self) -> Response[str]:
        """The portal home (门户首页): search, the latest results, links to plans and draws."""
        return _html("portal_home.html", latest=await service.latest(20))

    @get("/search")
    async def search(
        self,
        q: Annotated[str, QueryParameter(max_length=200)] = "",
        offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
    ) -> Response[str]:
        try:
            page = await service.search(q, 20, offset)
        except SuichaError as error:
            return _html(
                "portal_search.html",
                status_code=error.status,
                q=q,
                page=None,
                message=error.detail_zh,
            )
        return _html("portal_search.html", q=q, page=page, message=None)

    @get("/businesses/{credit_code:str}")
    async def business(self, credit_code: FromPath[str]) -> Response[str]:
        try:
            history = await service.business_history(credit_code)
        except SuichaError as error:
            return _html("missing.html", status_code=error.status, message=error.detail_zh)
        return _html(
            "portal_business.html",
            credit_code=credit_code.upper(),
            name=history[0].name if history else "",
            history=history,
            message=None,
        )

    @get("/results/{task_id:int}")
    async def result(self, task_id: FromPath[int]) -> Response[str]:
        try:
            published = await service.published_task(task_id)
        except SuichaError as error:
            return _html("missing.html", status_code=error.status, message=error.detail_zh)
        return _html("portal_result.html", task_id=task_id, versions=published.versions)

    @get("/open-data")
    async def open_data(self) -> Response[str]:
        return _html("portal_open_data.html", maximum=service.OPEN_DATA_LIMIT)
