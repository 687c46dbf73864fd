"""Public HTML pages in Chinese: the index, a plan, a draw with its verification."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, MediaType, Response, Router, get
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

from server.http.auth import PUBLIC
from server.http.html import environment
from server.public import queries
from server.public.controllers import public_plan
from server.public.view import draw_page, draw_summary, plan_page_view
from shared.errors import SuichaError

_HERE = Path(__file__).parent
_ENV = environment(_HERE / "templates")

STATIC_PATH = "/public/static"
"""The pages' stylesheet and the in-browser re-check script (verify.js): files,
not inline, so the pages' Content-Security-Policy admits scripts from 'self' only."""


def static_files() -> Router:
    return create_static_files_router(
        path=STATIC_PATH, directories=[_HERE / "static"], name="public_static", opt=PUBLIC
    )


STATUS_ZH = {
    "draft": "草稿",
    "approved": "已审批",
    "published": "已公示",
    "drawn": "已抽取",
    "closed": "已结束",
    "scheduled": "已安排（已公布承诺值）",
    "witnessed": "已见证",
    "sealed": "已抽取并封存",
}
_ENV.globals["status_zh"] = lambda s: STATUS_ZH.get(s, s)


def _html(template: str, status_code: int = 200, **context: Any) -> Response[str]:
    body = _ENV.get_template(template).render(**context)
    return Response(content=body, media_type=MediaType.HTML, status_code=status_code)


class PublicPages(Controller):
    path = "/public"
    opt = PUBLIC
    include_in_schema = False

    @get("/")
    async def index(self) -> Response[str]:
        plan_rows, _ = await queries.published_plans(200, 0)
        draw_rows, _ = await queries.draws(200, 0)
        departments = await queries.department_names()
        return _html(
            "index.html",
            plans=[await plan_page_view(r, departments) for r in plan_rows],
            draws=[draw_summary(r) for r in draw_rows],
        )

    @get("/plans/{plan_code:str}")
    async def plan(self, plan_code: FromPath[str]) -> Response[str]:
        try:
            row = await public_plan(plan_code)
        except SuichaError as error:
            return _html("missing.html", status_code=error.status, message=error.detail_zh)
        draw = await queries.draw_of_plan(row["id"])
        return _html(
            "plan.html",
            plan=await plan_page_view(row, await queries.department_names()),
            draw=draw_summary(draw) if draw else None,
        )

    @get("/draws/{draw_id:str}")
    async def draw(self, draw_id: FromPath[str]) -> Response[str]:
        try:
            context = await draw_page(draw_id)
        except SuichaError as error:
            return _html("missing.html", status_code=error.status, message=error.detail_zh)
        return _html("draw.html", **context)


@get("/", opt=PUBLIC, include_in_schema=False)
async def home() -> Redirect:
    """The site root is the public information page (信息公示)."""
    return Redirect(path="/public/")
