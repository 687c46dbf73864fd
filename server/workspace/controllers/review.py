"""The review queue (审核公示): submitted tasks with their deadlines, one task's results with
photos full size on click, the visit record (现场检查笔录) with its signatures, conflicts
shown side by side and settled (keep one version, or keep it and return it), approve or
return with a reason, publish, corrections.

Thin: `server.publication.review` and `server.publication.service` do every read and
write of review and publication, department scope included (another department's task
is "unknown"); `server.field.review` lists and settles conflicts (of the caller's
department); the visit record is the field app's latest version of each record.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter

from server.accounts.principal import Principal
from server.accounts.roles import PERMISSIONS
from server.db.transaction import write_transaction
from server.field import errors as field_errors
from server.field import queries as field_queries
from server.field import review as conflicts
from server.field import uploads
from server.http.auth import allow
from server.http.paging import MAX_PAGE_SIZE
from server.publication import review, service
from server.publication.categories import DEFAULT_WORDING
from server.publication.errors import ITEM_UNKNOWN
from server.publication.schemas import DecisionIn, TaskReviewOut
from server.workspace.pages import redirect, render
from shared import visit as visit_rules
from shared.errors import SuichaError
from shared.sync.protocol import ConflictResolution, ConflictView, ResultView

QUEUE_LIMIT = 100
DECISIONS = {"approve", "return"}
KEEP = {"server", "client"}
CONFLICT_REASON_ZH = {
    "stale_base": "设备在旧版本上作了修改",
    "second_result": "同一检查项收到了第二份结果",
    "after_submission": "部门提交后设备又作了修改",
}
METHOD_ZH = {m.value: m.zh for m in visit_rules.METHODS}
SIGNER_ZH = {"representative": "企业代表", "inspector": "检查人员"}


def days_left(deadline: date, today: date) -> int:
    """Days from today to a publication deadline (negative: overdue)."""
    return (deadline - today).days


def answer_text(value: Any) -> str:
    """A checklist answer as the page shows it (是/否 for yes-no questions, — for none)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _body(row: dict[str, Any]) -> dict[str, Any]:
    body = row["body"]
    return msgspec.json.decode(body) if isinstance(body, str | bytes) else body


async def visit_records(task_id: int) -> list[dict[str, Any]]:
    """The latest version of each visit record of the task (a returned task may be signed
    again: the earlier versions stay in the archive), as the template shows it."""
    latest: dict[str, dict[str, Any]] = {}
    for row in await field_queries.visits_of_task(task_id):
        latest[row["record_uuid"]] = row  # ordered by record, then version
    shown = []
    for row in latest.values():
        body = _body(row)
        shown.append(
            {
                "record_id": row["record_uuid"],
                "version": row["version"],
                "received_at": row["received_at"],
                "arrival_at": body.get("arrival_at"),
                "method": METHOD_ZH.get(body.get("method", ""), body.get("method", "")),
                "notes": body.get("notes", ""),
                "people": body.get("people") or [],
                "signatures": body.get("signatures") or [],
            }
        )
    return shown


async def task_conflicts(principal: Principal, task: TaskReviewOut) -> dict[str, ConflictView]:
    """Open conflicts of the task's items the caller may settle, by item code.

    The conflict service lists a department's open conflicts (an admin's: all); the
    few of this task are picked from it. Others' conflicts stay a notice on the page.
    """
    wanted = {item.conflict_id for item in task.items if item.conflict_id}
    if not wanted or principal.role not in PERMISSIONS["review.conflicts"]:
        return {}
    found: dict[int, ConflictView] = {}
    offset = 0
    while wanted - found.keys():
        page = await conflicts.list_conflicts(
            principal, status="open", limit=MAX_PAGE_SIZE, offset=offset
        )
        found.update({c.id: c for c in page.items if c.id in wanted})
        offset += len(page.items)
        if not page.items or offset >= page.total:
            break
    return {c.item: c for c in found.values()}


def differs(conflict: ConflictView) -> dict[str, bool]:
    """Which rows of the side-by-side table differ between the two versions."""
    server, client = conflict.server, conflict.client
    rows = {
        "category": server.category != client.category,
        "findings": server.findings != client.findings,
        "follow_up": server.follow_up != client.follow_up,
        "photos": [p.sha256 for p in server.photos] != [p.sha256 for p in client.photos],
        "inspector": (server.inspector, server.device_id) != (client.inspector, client.device_id),
        "recorded_at": server.recorded_at != client.recorded_at,
    }
    for question in {*server.answers, *client.answers}:
        rows[f"answer:{question}"] = server.answers.get(question) != client.answers.get(question)
    return rows


def _shown_attachments(
    task: TaskReviewOut, visits: list[dict[str, Any]], open_conflicts: dict[str, ConflictView]
) -> set[str]:
    """Photos and signature images this caller sees on the task's page (and no other)."""
    versions: list[ResultView] = [i.result for i in task.items if i.result]
    for conflict in open_conflicts.values():
        versions += [conflict.server, conflict.client]
    shown = {p.sha256 for v in versions for p in v.photos}
    return shown | {s.get("sha256", "") for v in visits for s in v["signatures"]}


async def _task_page(
    request: Request[Any, Any, Any],
    task: TaskReviewOut,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    principal: Principal = request.user
    open_conflicts = await task_conflicts(principal, task)
    return await render(
        request,
        "review/task.html",
        status_code=status_code,
        task=task,
        errors=errors or {},
        values=values or {},
        visits=await visit_records(task.task_id),
        conflicts=open_conflicts,
        differs=differs,
        answer_text=answer_text,
        conflict_reason_zh=CONFLICT_REASON_ZH,
        signer_zh=SIGNER_ZH,
        can_resolve=principal.role in PERMISSIONS["review.conflicts"],
        can_return=task.status in review.REVIEWABLE,
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
        """A photo or signature image shown on the task's page, full size (only for those who
        see the task, and only what its page shows them)."""
        task = await review.task_review(request.user, task_id)
        shown = _shown_attachments(
            task, await visit_records(task_id), await task_conflicts(request.user, task)
        )
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

    @post(
        "/{task_id:int}/conflicts/{conflict_id:int}",
        guards=[allow("review.conflicts")],
        status_code=200,
    )
    async def settle(
        self, request: Request[Any, Any, Any], task_id: FromPath[int], conflict_id: FromPath[int]
    ) -> Response[str] | Any:
        """Keep one of the two versions (冲突复核); with `action=return`, keep it and return it
        to the inspectors with a reason — both in one transaction, or neither."""
        principal: Principal = request.user
        task = await review.task_review(principal, task_id)
        item = next((i for i in task.items if i.conflict_id == conflict_id), None)
        if item is None:
            raise SuichaError(field_errors.CONFLICT_UNKNOWN, conflict_id=conflict_id)
        form = await request.form()
        keep = form.get(f"keep-{conflict_id}")
        action = form.get("action")
        note_field = f"note-{conflict_id}"
        note = str(form.get(note_field) or "").strip()
        errors: dict[str, str] = {}
        if keep not in KEEP:
            errors[f"keep-{conflict_id}"] = "请选择采用哪个版本"
        if action == "return" and not note:
            errors[note_field] = "退回修改必须填写原因"
        elif len(note) > review.REASON_LIMIT:
            errors[note_field] = f"说明最多{review.REASON_LIMIT}个字"
        if action == "return" and task.status not in review.REVIEWABLE:
            errors[note_field] = "任务尚未全部提交，只能先采用一个版本"
        if not errors:
            try:
                async with write_transaction():
                    ack = await conflicts.resolve(
                        principal, conflict_id, ConflictResolution(keep=str(keep), note=note)
                    )
                    if action == "return":
                        version = ack.version or (item.result.version if item.result else None)
                        await review.decide(
                            principal,
                            task_id,
                            item.item,
                            DecisionIn(decision="return", version=version or 0, reason=note),
                        )
            except SuichaError as refusal:
                if refusal.status in (403, 404):
                    raise
                errors[note_field] = refusal.detail_zh
        if errors:
            task = await review.task_review(principal, task_id)
            values = {note_field: note, f"keep-{conflict_id}": str(keep or "")}
            return await _task_page(request, task, errors=errors, values=values, status_code=422)
        kept = "服务器当前版本" if keep == "server" else "设备提交的版本"
        words = f"已采用{kept}" + ("并退回修改" if action == "return" else "")
        return redirect(request, f"/workspace/review/{task_id}", f"{item.item} {words}")
