"""Objections (异议处理): the businesses' objections to published results, their deadlines,
and upholding (the items go back for correction through review) or rejecting with a reason.

Thin: `server.inspection_codes.objections` does every read and write, department scope
included (another department's objection is "unknown").
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter

from server.accounts.principal import Principal
from server.accounts.roles import PERMISSIONS
from server.http.auth import allow
from server.inspection_codes import objections
from server.inspection_codes.schemas import ObjectionDecisionIn, ObjectionOut
from server.publication import review
from server.workspace.pages import redirect, render
from shared.errors import SuichaError

PAGE_SIZE = 50
STATUS_FILTER = [("", "全部"), *objections.STATUS_ZH.items()]


async def _page(
    request: Request[Any, Any, Any],
    objection: ObjectionOut,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    principal: Principal = request.user
    task = await review.task_review(principal, objection.task_id)
    return await render(
        request,
        "objections/objection.html",
        status_code=status_code,
        objection=objection,
        task=task,
        errors=errors or {},
        can_decide=principal.role in PERMISSIONS["review.decide"],
        manages=lambda code: principal.is_admin or principal.department_code == code,
    )


class ObjectionPages(Controller):
    path = "/workspace/objections"

    @get("/", guards=[allow("review.read")])
    async def list_objections(
        self,
        request: Request[Any, Any, Any],
        status: Annotated[str | None, QueryParameter(max_length=16)] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
    ) -> Response[str]:
        chosen = status if status in objections.STATUS_ZH else None
        listed = await objections.office_list(
            request.user, chosen, PAGE_SIZE, (page - 1) * PAGE_SIZE
        )
        base = f"?status={chosen}&" if chosen else "?"
        return await render(
            request,
            "objections/list.html",
            rows=listed.items,
            total=listed.total,
            status=chosen or "",
            statuses=STATUS_FILTER,
            next_href=f"{base}page={page + 1}" if page * PAGE_SIZE < listed.total else None,
            first_href=base if page > 1 else None,
        )

    @get("/{objection_id:int}", guards=[allow("review.read")])
    async def objection(
        self, request: Request[Any, Any, Any], objection_id: FromPath[int]
    ) -> Response[str]:
        return await _page(request, await objections.one(request.user, objection_id))

    @get("/{objection_id:int}/attachments/{sha256:str}", guards=[allow("review.read")])
    async def attachment(
        self, request: Request[Any, Any, Any], objection_id: FromPath[int], sha256: FromPath[str]
    ) -> Response[bytes]:
        """A photo the business attached, full size (only for those who see the objection)."""
        content, media_type = await objections.attachment(request.user, objection_id, sha256)
        return Response(content, media_type=media_type, headers={"cache-control": "private"})

    @post("/{objection_id:int}/decision", guards=[allow("review.decide")], status_code=200)
    async def decide(self, request: Request[Any, Any, Any], objection_id: FromPath[int]) -> Any:
        form = await request.form()
        decision = form.get("decision")
        reason = form.get("reason")
        items = [i for i in form.getall("items", []) if isinstance(i, str)]
        try:
            await objections.decide(
                request.user,
                objection_id,
                ObjectionDecisionIn(
                    decision=decision if isinstance(decision, str) else "",
                    reason=reason if isinstance(reason, str) else "",
                    items=items,
                ),
            )
        except SuichaError as refusal:
            if refusal.status in (403, 404) and refusal.spec.code != "review.unknown_item":
                raise
            current = await objections.one(request.user, objection_id)
            return await _page(
                request, current, errors={"reason": refusal.detail_zh}, status_code=422
            )
        words = "异议成立，所选检查项已退回检查组更正" if decision == "uphold" else "已不予支持"
        return redirect(request, f"/workspace/objections/{objection_id}", words)
