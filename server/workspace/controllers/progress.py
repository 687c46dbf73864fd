"""The progress dashboard of a plan (进度看板) and the amendment dialog replacing an
inspector after the draw (回避, illness). Thin: `server.workspace.progress` summarises,
`server.draws.service.amend_team` amends."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from server.accounts.principal import Principal
from server.accounts.roles import PERMISSIONS, Role
from server.calendar import queries as calendar_queries
from server.draws import queries as draw_queries
from server.draws import service as draws
from server.http.auth import allow
from server.publication.review import today
from server.tasks import queries as task_queries
from server.workspace.controllers.plans import visible_plan
from server.workspace.pages import redirect, render
from server.workspace.progress import TASK_STATUS_ZH, summarise
from shared.errors import SuichaError

TASKS_LIMIT = 1000
"""Most tasks shown on one dashboard (a plan draws a few hundred at most)."""
REASON_LIMIT = 500


async def _page(
    request: Request[Any, Any, Any],
    plan_id: int,
    *,
    status: str = "",
    understaffed: bool = False,
    overdue: bool = False,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    principal: Principal = request.user
    plan = await visible_plan(principal, plan_id)
    draw = await draw_queries.draw_for_plan(plan_id)
    progress = None
    if draw is not None and draw["status"] == "sealed":
        tasks, _ = await task_queries.list_tasks(
            draw_public_id=draw["public_id"], inspector_id=None, limit=TASKS_LIMIT, offset=0
        )
        ids = [t["id"] for t in tasks]
        progress = summarise(
            tasks,
            await task_queries.members_of(ids),
            await calendar_queries.deadlines_of(ids),
            today(),
            status=status,
            understaffed_only=understaffed,
            overdue_only=overdue,
        )
    lead = principal.role in (Role.TEAM_LEAD, Role.ADMIN) and principal.manages_department(
        plan["lead_department"]
    )
    return await render(
        request,
        "plans/progress.html",
        status_code=status_code,
        plan=plan,
        draw=draw,
        progress=progress,
        status_zh=TASK_STATUS_ZH,
        status=status,
        understaffed=understaffed,
        overdue=overdue,
        lead=lead,
        can_archive=principal.role in PERMISSIONS["records.archive"],
        errors=errors or {},
        typed=typed or {},
    )


class ProgressPages(Controller):
    path = "/workspace/plans/{plan_id:int}/progress"

    @get("/", guards=[allow("tasks.read")])
    async def dashboard(
        self,
        request: Request[Any, Any, Any],
        plan_id: FromPath[int],
        status: Annotated[str, QueryParameter(max_length=16)] = "",
        understaffed: Annotated[str, QueryParameter(max_length=3)] = "",
        overdue: Annotated[str, QueryParameter(max_length=3)] = "",
    ) -> Response[str]:
        return await _page(
            request,
            plan_id,
            status=status if status in TASK_STATUS_ZH else "",
            understaffed=understaffed == "1",
            overdue=overdue == "1",
        )

    @post("/amend", guards=[allow("draws.run")], status_code=200)
    async def amend(
        self, request: Request[Any, Any, Any], plan_id: FromPath[int]
    ) -> Response[str] | Redirect:
        """Replace one inspector of one task; a refusal is shown beside the form's fields."""
        await visible_plan(request.user, plan_id)
        form = await request.form()
        typed = {
            k: (form.get(k) if isinstance(form.get(k), str) else "").strip()[: REASON_LIMIT + 1]
            for k in ("object_id", "department", "removed", "reason")
        }
        errors = {k: "必填" for k, v in typed.items() if not v}
        if len(typed["reason"]) > REASON_LIMIT:
            errors["reason"] = f"最多{REASON_LIMIT}个字符"
        draw = await draw_queries.draw_for_plan(plan_id)
        if draw is None:
            errors["form"] = "尚未抽签"
        if not errors and draw is not None:
            try:
                entry = await draws.amend_team(
                    request.user,
                    draw["public_id"],
                    object_id=typed["object_id"],
                    department=typed["department"],
                    removed=typed["removed"],
                    reason=typed["reason"],
                    conflict=form.get("conflict") == "1",
                )
            except SuichaError as refusal:
                if refusal.status == 403:
                    raise
                errors["form"] = refusal.detail_zh
            else:
                replacement = entry["replacement"] or "无人可替换（任务缺员）"
                return redirect(
                    request,
                    f"/workspace/plans/{plan_id}/progress",
                    f"已调整检查组：{typed['removed']} → {replacement}",
                )
        return await _page(request, plan_id, errors=errors, typed=typed, status_code=422)
