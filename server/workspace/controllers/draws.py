"""The draw ceremony on one screen (抽签现场): the commitment, the observer's witness input
and signature in the observer's own session, the draw, the result table, the printed
record and the link to the public verification page.

Thin: every step is `server.draws.service`; the page shows the published record
with the names behind its codes (`server.records.archive.draw_sheet`).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.draws import queries as draw_queries
from server.draws import service as draws
from server.draws.errors import DRAW_NOT_FOUND
from server.http.auth import allow
from server.public.pages import STATUS_ZH as DRAW_STATUS_ZH
from server.records.archive import draw_sheet
from server.records.draw_form import EXCLUSION_WORDS, draw_record_pdf
from server.workspace.controllers.plans import visible_plan
from server.workspace.pages import redirect, render
from shared.errors import SuichaError

WITNESS_LIMIT = 200
"""Longest witness input (a phrase or a number the observer types)."""


def _exclusion_zh(reason: str) -> str:
    return EXCLUSION_WORDS.get(reason.split(":", 1)[0], reason)


class DrawPages(Controller):
    path = "/workspace/plans/{plan_id:int}/draw"

    @get("/", guards=[allow("draws.read")])
    async def ceremony(
        self, request: Request[Any, Any, Any], plan_id: FromPath[int]
    ) -> Response[str]:
        principal: Principal = request.user
        plan = await visible_plan(principal, plan_id)
        draw = await draw_queries.draw_for_plan(plan_id)
        sheet = await draw_sheet(draw["public_id"]) if draw else None
        lead = principal.role in (Role.TEAM_LEAD, Role.ADMIN) and principal.manages_department(
            plan["lead_department"]
        )
        return await render(
            request,
            "draws/ceremony.html",
            plan=plan,
            draw=draw,
            sheet=sheet,
            record=sheet.record if sheet else None,
            lead=lead,
            observer=principal.role is Role.OBSERVER,
            status_zh=DRAW_STATUS_ZH,
            exclusion_zh=_exclusion_zh,
            witness_limit=WITNESS_LIMIT,
            errors={},
        )

    @post("/schedule", guards=[allow("draws.run")])
    async def schedule(self, request: Request[Any, Any, Any], plan_id: FromPath[int]) -> Redirect:
        await visible_plan(request.user, plan_id)
        page = f"/workspace/plans/{plan_id}/draw"
        try:
            await draws.schedule(request.user, plan_id)
        except SuichaError as refusal:
            return redirect(request, page, refusal.detail_zh, kind="error")
        return redirect(request, page, "已安排抽签，承诺值已公布")

    @post("/witness", guards=[allow("draws.read")], status_code=200)
    async def witness(
        self, request: Request[Any, Any, Any], plan_id: FromPath[int]
    ) -> Response[str] | Redirect:
        """The observer's witness input and signature (only an observer; the service checks)."""
        principal: Principal = request.user
        plan = await visible_plan(principal, plan_id)
        draw = await draw_queries.draw_for_plan(plan_id)
        if draw is None:
            raise SuichaError(DRAW_NOT_FOUND, draw=plan["code"])
        form = await request.form()
        value = form.get("witness_input")
        text = value if isinstance(value, str) else ""
        error = ""
        if len(text) > WITNESS_LIMIT:
            error = f"最多{WITNESS_LIMIT}个字符"
        else:
            try:
                await draws.witness(principal, draw["public_id"], text)
            except SuichaError as refusal:
                if refusal.status == 403:
                    raise
                error = refusal.detail_zh
        if not error:
            return redirect(request, f"/workspace/plans/{plan_id}/draw", "已见证并签字")
        sheet = await draw_sheet(draw["public_id"])
        return await render(
            request,
            "draws/ceremony.html",
            status_code=422,
            plan=plan,
            draw=await draw_queries.draw_for_plan(plan_id),
            sheet=sheet,
            record=sheet.record,
            lead=False,
            observer=principal.role is Role.OBSERVER,
            status_zh=DRAW_STATUS_ZH,
            exclusion_zh=_exclusion_zh,
            witness_limit=WITNESS_LIMIT,
            errors={"witness_input": error},
            typed=text,
        )

    @post("/run", guards=[allow("draws.run")])
    async def run(self, request: Request[Any, Any, Any], plan_id: FromPath[int]) -> Redirect:
        await visible_plan(request.user, plan_id)
        draw = await draw_queries.draw_for_plan(plan_id)
        page = f"/workspace/plans/{plan_id}/draw"
        if draw is None:
            return redirect(request, page, "尚未安排抽签", kind="error")
        try:
            await draws.run(request.user, draw["public_id"])
        except SuichaError as refusal:
            return redirect(request, page, refusal.detail_zh, kind="error")
        return redirect(request, page, "抽签完成，记录已封存，任务已生成")

    @get("/record.pdf", guards=[allow("draws.read")])
    async def printed(
        self, request: Request[Any, Any, Any], plan_id: FromPath[int]
    ) -> Response[bytes]:
        """The printable record (抽签记录) for signatures on paper."""
        plan = await visible_plan(request.user, plan_id)
        draw = await draw_queries.draw_for_plan(plan_id)
        if draw is None:
            raise SuichaError(DRAW_NOT_FOUND, draw=plan["code"])
        pdf = draw_record_pdf(await draw_sheet(draw["public_id"]))
        return Response(
            content=pdf,
            media_type="application/pdf",
            headers={
                "content-disposition": f'inline; filename="draw-{draw["public_id"]}.pdf"',
                "cache-control": "no-store",
            },
        )
