"""HTTP endpoints of field sync (`docs/sync-protocol.md`) and of conflict review."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, head, patch, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from server.field import feed, results, review, submission, uploads, visits
from server.field.schemas import ResolutionAck
from server.field.storage import UploadState
from server.http.auth import CurrentPrincipal, allow
from server.http.paging import Page
from shared.sync.protocol import (
    HEADER_UPLOAD_COMPLETE,
    HEADER_UPLOAD_LENGTH,
    HEADER_UPLOAD_OFFSET,
    ConflictResolution,
    ConflictView,
    ResultAck,
    ResultBatch,
    ResultBatchAck,
    ResultWrite,
    SubmitAck,
    SubmitRequest,
    TaskFeed,
    VisitAck,
    VisitWrite,
    encode_complete_header,
)


def _upload_headers(state: UploadState) -> dict[str, str]:
    return {
        HEADER_UPLOAD_OFFSET: str(state.offset),
        HEADER_UPLOAD_LENGTH: str(state.length),
        HEADER_UPLOAD_COMPLETE: encode_complete_header(state.complete),
        "Cache-Control": "no-store",
    }


class FieldController(Controller):
    """The tablet's side of sync: only inspector accounts."""

    path = "/field"
    tags = ["field"]
    guards = [allow("field.sync")]

    @get("/tasks")
    async def tasks(
        self,
        principal: CurrentPrincipal,
        since: Annotated[str | None, QueryParameter()] = None,
    ) -> TaskFeed:
        return await feed.task_feed(principal, since)

    @put("/tasks/{task_id:int}/results/{result_id:str}")
    async def put_result(
        self,
        principal: CurrentPrincipal,
        task_id: FromPath[int],
        result_id: FromPath[str],
        data: JSONBody[ResultWrite],
    ) -> Response[ResultAck]:
        results.check_result_id(result_id)
        outcome = await results.put_result(principal, task_id, result_id, data)
        # Raised only now, after the transaction that kept both versions committed.
        if isinstance(outcome, results.Conflicted):
            raise outcome.error()
        return Response(
            ResultAck(result_id=outcome.result_id, version=outcome.version, status=outcome.status),
            status_code=201 if outcome.created else 200,
        )

    @post(
        "/tasks/{task_id:int}/results",
        status_code=200,
        request_max_body_size=results.BATCH_BODY_MAX,
    )
    async def put_results(
        self, principal: CurrentPrincipal, task_id: FromPath[int], data: JSONBody[ResultBatch]
    ) -> ResultBatchAck:
        """Many results of one task in one request (sync-v1.2), each with its own outcome."""
        return ResultBatchAck(outcomes=await results.put_batch(principal, task_id, data.results))

    @put("/tasks/{task_id:int}/visit/{record_id:str}")
    async def put_visit(
        self,
        principal: CurrentPrincipal,
        task_id: FromPath[int],
        record_id: FromPath[str],
        data: JSONBody[VisitWrite],
    ) -> Response[VisitAck]:
        """The visit record (现场检查笔录) with its signatures: idempotent, versioned."""
        stored = await visits.put_visit(principal, task_id, record_id, data)
        return Response(
            VisitAck(record_id=stored.record_id, version=stored.version, status=stored.status),
            status_code=201 if stored.created else 200,
        )

    @post("/tasks/{task_id:int}/submit", status_code=200)
    async def submit(
        self, principal: CurrentPrincipal, task_id: FromPath[int], data: JSONBody[SubmitRequest]
    ) -> SubmitAck:
        return await submission.submit(principal, task_id, data)

    @head("/attachments/{sha256:str}")
    async def attachment_state(
        self, principal: CurrentPrincipal, sha256: FromPath[str]
    ) -> Response[None]:
        state = await uploads.upload_state(principal, sha256)
        if state is None:
            return Response(None, status_code=404, headers={"Cache-Control": "no-store"})
        return Response(None, status_code=200, headers=_upload_headers(state))

    # The body limit is enforced by the upload itself, against Upload-Length and
    # settings.attachments.max_photo_bytes, as the bytes stream in.
    @patch("/attachments/{sha256:str}", status_code=200, request_max_body_size=None)
    async def attachment_append(
        self, principal: CurrentPrincipal, sha256: FromPath[str], request: Request[Any, Any, Any]
    ) -> Response[None]:
        state = await uploads.append(
            principal,
            sha256,
            offset_header=request.headers.get(HEADER_UPLOAD_OFFSET),
            length_header=request.headers.get(HEADER_UPLOAD_LENGTH),
            content_type=request.headers.get("content-type"),
            chunks=request.stream(),
        )
        return Response(None, status_code=200, headers=_upload_headers(state))


class AttachmentReadController(Controller):
    path = "/field/photos"
    tags = ["field"]
    guards = [allow("field.photos.read")]

    @get("/{sha256:str}")
    async def photo(self, sha256: FromPath[str]) -> Response[bytes]:
        data, media_type = await uploads.read(sha256)
        return Response(data, media_type=media_type)


class ReviewController(Controller):
    path = "/review"
    tags = ["review"]
    guards = [allow("review.conflicts")]

    @get("/conflicts")
    async def conflicts(
        self,
        principal: CurrentPrincipal,
        status: Annotated[str | None, QueryParameter()] = "open",
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[ConflictView]:
        return await review.list_conflicts(
            principal, status=status or None, limit=limit, offset=offset
        )

    @post("/conflicts/{conflict_id:int}/resolve", status_code=200)
    async def resolve(
        self,
        principal: CurrentPrincipal,
        conflict_id: FromPath[int],
        data: JSONBody[ConflictResolution],
    ) -> ResolutionAck:
        return await review.resolve(principal, conflict_id, data)
