"""The review queue (审核公示): submitted tasks with their deadlines, one task's results with
photos full size on click, approve or return with a reason, publish, corrections.

Thin: `server.publication.review` and `server.publication.service` do every read and
write, department scope included (another department's task is "unknown").
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter

from server.accounts.principal import Principal
from server.accounts.roles import PERMISSIONS
from server.field import uploads
from server.http.auth import allow
from server.publication import review, service
from server.publication.categories import DEFAULT_WORDING
from server.publication.errors import ITEM_UNKNOWN
from server.publication.schemas import DecisionIn, TaskReviewOut
from server.workspace.pages import redirect, render
from shared.errors import SuichaError

QUEUE_LIMIT = 100
DECISIONS = {"approve", "return"}


def days_left(deadline: date, today: date) -> int:
    """Days from today to a publication deadline (negative: overdue)."""
    return (deadline - today).days


async def _task_page(
    request: Request[Any, Any, Any],
    task: TaskReviewOut,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    principal: Principal = request.user
    return await render(
        request,
        "review/task.html",
        status_code=status_code,
        task=task,
        errors=errors or {},
        today=review.today(),
        days_left=days_left,
        can_decide=principal.role in PERMISSIONS["review.decide"],
        manages=lambda code: principal.is_admin or principal.department_code == code,
        category_wording=DEFAULT_WORDING,
        can_publish=principal.role in PERMISSIONS["publication.publish"],
        can_archive=principal.role in PERMISSIONS["records.archive"],
    )


class ReviewPages(Controller):
    path = "/workspace/review"

    @get("/", guards=[allow("review.read")])
    async def queue(
        self,
        request: Request[Any, Any, Any],
        plan: Annotated[str | None, QueryParameter(max_length=64)] = None,
        published: Annotated[str | None, QueryParameter(max_length=5)] = None,
    ) -> Response[str]:
        principal: Principal = request.user
        page = await review.review_list(
            principal,
            plan=plan or None,
            department=None,
            published={"yes": True, "no": False}.get(published or ""),
            due_before=None,
            limit=QUEUE_LIMIT,
            offset=0,
        )
        return await render(
            request,
            "review/queue.html",
            tasks=page.items,
            total=page.total,
            plan=plan or "",
            published=published or "",
            today=review.today(),
            days_left=days_left,
        )

    @get("/{task_id:int}", guards=[allow("review.read")])
    async def task(self, request: Request[Any, Any, Any], task_id: FromPath[int]) -> Response[str]:
        return await _task_page(request, await review.task_review(request.user, task_id))

    @get("/{task_id:int}/photos/{sha256:str}", guards=[allow("review.read")])
    async def photo(
        self, request: Request[Any, Any, Any], task_id: FromPath[int], sha256: FromPath[str]
    ) -> Response[bytes]:
        """A photo of one of the task's current results, full size (only for those who see the
        task)."""
        task = await review.task_review(request.user, task_id)
        shown = {p.sha256 for i in task.items if i.result for p in i.result.photos}
        if sha256 not in shown:
            raise SuichaError(ITEM_UNKNOWN, task_id=task_id, item=sha256[:64])
        data, media_type = await uploads.read(sha256)
        return Response(data, media_type=media_type, headers={"cache-control": "private"})

    @post("/{task_id:int}/items/{item:str}", guards=[allow("review.decide")], status_code=200)
    async def decide(
        self, request: Request[Any, Any, Any], task_id: FromPath[int], item: FromPath[str]
    ) -> Response[str] | Any:
        form = await request.form()
        decision = form.get("decision")
        reason = form.get(f"reason-{item}")
        version = form.get("version")
        field = f"reason-{item}"
        error = ""
        if decision not in DECISIONS or not isinstance(version, str) or not version.isdigit():
            error = "请选择通过或退回"
        else:
            try:
                await review.decide(
                    request.user,
                    task_id,
                    item,
                    DecisionIn(
                        decision=str(decision),
                        version=int(version),
                        reason=reason if isinstance(reason, str) else "",
                    ),
                )
            except SuichaError as refusal:
                if refusal.status in (403, 404):
                    raise
                error = refusal.detail_zh
        if error:
            task = await review.task_review(request.user, task_id)
            return await _task_page(request, task, errors={field: error}, status_code=422)
        words = "已审核通过" if decision == "approve" else "已退回修改"
        return redirect(request, f"/workspace/review/{task_id}", f"{item} {words}")

    @post("/{task_id:int}/publish", guards=[allow("publication.publish")], status_code=200)
    async def publish(self, request: Request[Any, Any, Any], task_id: FromPath[int]) -> Any:
        form = await request.form()
        reason = form.get("publish_reason")
        try:
            await service.publish(request.user, task_id, reason if isinstance(reason, str) else "")
        except SuichaError as refusal:
            if refusal.status in (403, 404):
                raise
            task = await review.task_review(request.user, task_id)
            return await _task_page(
                request, task, errors={"publish_reason": refusal.detail_zh}, status_code=422
            )
        return redirect(request, f"/workspace/review/{task_id}", "已公示")
