"""Plan builder pages (计划编制): list, new plan with a live preview, one plan, approve, publish.

Thin: the form is read by `server.workspace.plan_form`, the preview computed by
`server.workspace.plan_builder`, every write done by `server.plans.service`.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from server.accounts.principal import Principal
from server.http.auth import allow
from server.plans import errors as plan_errors
from server.plans import queries as plan_queries
from server.plans import rules, service
from server.workspace import plan_form
from server.workspace import plan_queries as workspace_queries
from server.workspace.pages import ENV, redirect, render
from server.workspace.plan_builder import live_preview
from shared.errors import SuichaError

LIST_LIMIT = 200
PREVIEW_ITEMS_LIMIT = 500


async def visible_plan(principal: Principal, plan_id: int) -> dict[str, Any]:
    """The plan, if the caller's department takes part in it (an admin: any plan).

    Another department's plan is "not found": its existence is not theirs; a
    draft is hidden from observers as the API hides it.
    """
    plan = await plan_queries.plan_by_id(plan_id)
    missing = SuichaError(plan_errors.PLAN_NOT_FOUND, plan=str(plan_id))
    if plan is None:
        raise missing
    if not principal.is_admin:
        taking_part = await workspace_queries.departments_of_plan(plan_id)
        if principal.department_id not in taking_part | {plan["lead_department"]}:
            raise missing
    if plan["status"] == rules.DRAFT and not service.sees_drafts(principal):
        raise missing
    return plan


async def _form_choices() -> dict[str, Any]:
    classes = await plan_queries.risk_class_codes() or list(rules.DEFAULT_RISK_CLASSES)
    return {"classes": classes, "items": await workspace_queries.active_items()}


def _preview_html(request: Request[Any, Any, Any], shown: Any, scope_errors: dict) -> str:
    return ENV.get_template("plans/_preview.html").render(preview=shown, scope_errors=scope_errors)


async def _read(request: Request[Any, Any, Any]) -> tuple[plan_form.PlanForm, dict[str, Any]]:
    principal: Principal = request.user
    form = await request.form()
    choices = await _form_choices()
    parsed = plan_form.read_form(
        form,
        form.getall("items", [])[:PREVIEW_ITEMS_LIMIT],
        lead_department=principal.department_code or "",
        item_departments={i["code"]: i["department_code"] for i in choices["items"]},
        classes=choices["classes"],
    )
    return parsed, choices


class PlanPages(Controller):
    path = "/workspace/plans"

    @get("/", guards=[allow("plans.read")])
    async def plans(self, request: Request[Any, Any, Any]) -> Response[str]:
        principal: Principal = request.user
        rows = await workspace_queries.plans_for(
            None if principal.is_admin else principal.department_id or -1,
            service.visible_statuses(principal, None),
            LIST_LIMIT,
        )
        return await render(
            request,
            "plans/list.html",
            plans=rows,
            status_zh=rules.STATUS_ZH,
            can_write=principal.role.value in {"team_lead", "admin"},
        )

    @get("/new", guards=[allow("plans.write")])
    async def new(self, request: Request[Any, Any, Any]) -> Response[str]:
        choices = await _form_choices()
        values = {"ratios": {}, "items": [], "year": "", "undifferentiated": False}
        return await render(request, "plans/new.html", values=values, errors={}, **choices)

    @post("/preview", guards=[allow("plans.write")], status_code=200)
    async def preview(self, request: Request[Any, Any, Any]) -> Response[str]:
        """The live part of the form (htmx): objects in scope and drawn per class, cap check."""
        parsed, _ = await _read(request)
        data = parsed.data
        shown, scope_problems = await live_preview(
            scope=data["scope"],
            ratios=data["ratios"],
            item_codes=data["items"],
            general_cap=data["general_cap"],
            key_full_coverage=data["key_full_coverage"],
        )
        return Response(
            content=_preview_html(request, shown, plan_form.problem_errors(scope_problems)),
            media_type=MediaType.HTML,
            headers={"cache-control": "no-store"},
        )

    @post("/new", guards=[allow("plans.write")], status_code=200)
    async def create(self, request: Request[Any, Any, Any]) -> Response[str] | Redirect:
        principal: Principal = request.user
        parsed, choices = await _read(request)
        errors = dict(parsed.errors)
        if not errors:
            try:
                plan_id, _ = await service.create_plan(principal, parsed.data)
            except SuichaError as refusal:
                problems = (refusal.extra or {}).get("errors") or []
                errors = plan_form.problem_errors(problems) if problems else {}
                if not problems:
                    field = "code" if refusal.code == "plans.code_taken" else "form"
                    errors[field] = refusal.detail_zh
            else:
                return redirect(request, f"/workspace/plans/{plan_id}", "计划草案已保存")
        shown, _ = await live_preview(
            scope=parsed.data["scope"] if "scope" not in errors else {},
            ratios=parsed.data["ratios"],
            item_codes=parsed.data["items"],
            general_cap=parsed.data["general_cap"],
            key_full_coverage=parsed.data["key_full_coverage"],
        )
        return await render(
            request,
            "plans/new.html",
            status_code=422,
            values=parsed.values,
            errors=errors,
            preview=shown,
            **choices,
        )

    @get("/{plan_id:int}", guards=[allow("plans.read")])
    async def plan(self, request: Request[Any, Any, Any], plan_id: FromPath[int]) -> Response[str]:
        principal: Principal = request.user
        row = await visible_plan(principal, plan_id)
        view = await service.plan_view(row)
        shown, _ = await live_preview(
            scope=view["scope"],
            ratios=view["ratios"],
            item_codes=view["items"],
            general_cap=view["general_cap"],
            key_full_coverage=view["key_full_coverage"],
        )
        owner = principal.role.value in {"team_lead", "admin"} and principal.manages_department(
            row["lead_department"]
        )
        return await render(
            request,
            "plans/plan.html",
            plan=view,
            preview=shown,
            status_zh=rules.STATUS_ZH,
            owner=owner,
        )

    @post("/{plan_id:int}/{action:str}", guards=[allow("plans.write")])
    async def advance(
        self, request: Request[Any, Any, Any], plan_id: FromPath[int], action: FromPath[str]
    ) -> Redirect:
        """approve / publish (a refusal comes back as a message on the plan's page)."""
        principal: Principal = request.user
        await visible_plan(principal, plan_id)
        if action not in ("approve", "publish"):
            raise SuichaError(plan_errors.PLAN_NOT_FOUND, plan=str(plan_id))
        page = f"/workspace/plans/{plan_id}"
        try:
            status = await service.advance(principal, plan_id, action)
        except SuichaError as refusal:
            problems = (refusal.extra or {}).get("errors") or []
            detail = "；".join(p["zh"] for p in problems) or refusal.detail_zh
            return redirect(request, page, detail, kind="error")
        return redirect(request, page, f"计划已{rules.STATUS_ZH[status]}")
