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
from server.db.transaction import write_transaction
from server.draws import queries as draw_queries
from server.draws import service as draws
from server.http.auth import allow
from server.inspection_codes import directed
from server.inspection_codes.schemas import DirectedTaskIn
from server.publication.review import today
from server.tasks import queries as task_queries
from server.workspace.controllers.plans import visible_plan
from server.workspace.pages import redirect, render
from server.workspace.progress import (
    TASK_STATUS_ZH,
    directed_lines,
    read_directed_form,
    summarise,
)
from shared import inspection_code
from shared.credit_code import is_valid_credit_code as credit_code_valid
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


DIRECTED_LIMIT = 200
"""Newest directed tasks shown on the page."""


async def _directed_page(
    request: Request[Any, Any, Any],
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, Any] | None = None,
    team_errors: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    principal: Principal = request.user
    own = None if principal.is_admin else principal.department_id
    rows = await task_queries.directed_tasks_of(own, DIRECTED_LIMIT)
    members = await task_queries.members_of([r["id"] for r in rows])
    departments = await task_queries.departments_for_directed(own)
    department_ids = [d["id"] for d in departments]
    can_create = principal.role in PERMISSIONS["directed_tasks.create"] and bool(departments)
    return await render(
        request,
        "progress/directed.html",
        status_code=status_code,
        lines=directed_lines(rows, members, inspection_code.REASON_CATEGORIES),
        can_create=can_create,
        departments=departments,
        items=await task_queries.active_items_of(department_ids) if can_create else [],
        officers=await task_queries.active_officers_of(department_ids) if can_create else [],
        reasons=inspection_code.REASON_CATEGORIES,
        errors=errors or {},
        typed=typed or {},
        team_errors=team_errors or {},
    )


async def _credit_code_of(business: str) -> tuple[str, str]:
    """(credit code, "") for a credit code or a unique exact name; ("", why) otherwise."""
    if credit_code_valid(business.upper()):
        return business.upper(), ""
    named = await task_queries.objects_named(business)
    if len(named) == 1:
        return named[0]["credit_code"], ""
    if named:
        return "", "同名企业不止一家，请填写统一社会信用代码"
    return "", "名录库中没有该企业（请填写统一社会信用代码或完整名称）"


def _form_list(form: Any, name: str) -> list[str]:
    return [v.strip()[:64] for v in form.getall(name, []) if isinstance(v, str)][:60]


class DirectedPages(Controller):
    """Directed tasks (定向检查) by hand: created with their team, never drawn."""

    path = "/workspace/directed"

    @get("/", guards=[allow("tasks.read")])
    async def directed_tasks(self, request: Request[Any, Any, Any]) -> Response[str]:
        return await _directed_page(request)

    @post("/", guards=[allow("directed_tasks.create")], status_code=200)
    async def create(self, request: Request[Any, Any, Any]) -> Response[str] | Redirect:
        """Create the task and assign its team in one transaction: a refusal changes nothing."""
        form = await request.form()
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        typed, errors = read_directed_form(
            values,
            _form_list(form, "items"),
            _form_list(form, "badges"),
            inspection_code.REASON_CATEGORIES,
        )
        credit_code = ""
        if typed["business"]:
            credit_code, why = await _credit_code_of(typed["business"])
            if why:
                errors["business"] = why
        if not errors:
            data = DirectedTaskIn(
                object_id=credit_code,
                reason_category=typed["reason_category"],
                reference_no=typed["reference_no"],
                department=typed["department"],
                items=typed["items"],
                window_start=typed["window_start"],
                window_end=typed["window_end"],
            )
            try:
                async with write_transaction():
                    made = await directed.create(request.user, data)
                    await directed.assign_team(request.user, made["task_id"], typed["badges"])
            except SuichaError as refusal:
                if refusal.status == 403:
                    raise
                field = "badges" if refusal.code == "task_team.invalid" else "form"
                errors[field] = refusal.detail_zh
            else:
                return redirect(
                    request,
                    "/workspace/directed/",
                    f"已创建定向检查任务 {made['code']}，检查组已指派",
                )
        return await _directed_page(request, errors=errors, typed=typed, status_code=422)

    @post("/{task_id:int}/team", guards=[allow("directed_tasks.create")], status_code=200)
    async def team(
        self, request: Request[Any, Any, Any], task_id: FromPath[int]
    ) -> Response[str] | Redirect:
        """Replace the team of an open directed task (badges separated by commas or 、)."""
        form = await request.form()
        raw = form.get("badges")
        text = raw[:400] if isinstance(raw, str) else ""
        badges = [b.strip() for b in text.replace("、", ",").replace("，", ",").split(",")]
        try:
            await directed.assign_team(request.user, task_id, [b for b in badges if b])
        except SuichaError as refusal:
            if refusal.status in (403, 404):
                raise
            return await _directed_page(
                request, team_errors={task_id: refusal.detail_zh}, status_code=422
            )
        return redirect(request, "/workspace/directed/", f"已调整任务{task_id}的检查组")
