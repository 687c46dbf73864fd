"""HTTP endpoints of inspection codes: the public key, and a task's code for staff and the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import segno
from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, QueryParameter

from server.accounts.roles import Role
from server.db.transaction import write_transaction
from server.http.auth import PUBLIC, CurrentPrincipal, allow, client_address
from server.http.paging import Page
from server.inspection_codes import (
    business,
    checkin,
    directed,
    errors,
    notice,
    objections,
    queries,
    service,
)
from server.inspection_codes.schemas import (
    AccessCodeOut,
    AnnualCapIn,
    AnnualCapOut,
    CheckInIn,
    CheckInOut,
    DirectedTaskIn,
    DirectedTaskOut,
    InspectionCodeOut,
    ObjectionDecisionIn,
    ObjectionFiledOut,
    ObjectionOut,
    ObjectionStatusOut,
    PublicKeyOut,
    PublicKeysOut,
    RatingIn,
    RatingOut,
)
from server.settings import AttachmentSettings
from shared import inspection_code
from shared.errors import SuichaError

OBJECTION_BODY_LIMIT = objections.ATTACHMENTS_MAX * AttachmentSettings().max_photo_bytes + (1 << 20)
"""The largest objection request: its photos at the default photo limit, and the text."""


class PublicKeyController(Controller):
    path = "/public/keys"
    tags = ["public"]
    opt = PUBLIC

    @get("/")
    async def keys(self) -> PublicKeysOut:
        """The Ed25519 key(s) that sign inspection codes; see docs/inspection-codes.md."""
        published = service.public_keys()
        return PublicKeysOut(
            scheme=published["scheme"],
            keys=[PublicKeyOut(**k) for k in published["keys"]],
            signed_fields=published["signed_fields"],
        )


async def _code_of(task_id: int, principal: CurrentPrincipal) -> dict:
    """The task's code, issued now if the task predates codes; inspectors see only their tasks."""
    if principal.role is Role.INSPECTOR:
        team = await queries.team_inspector_ids(task_id)
        if principal.inspector_id not in team:
            raise SuichaError(errors.TASK_NOT_FOUND)
    row = await queries.by_task(task_id)
    if row is None:
        async with write_transaction():
            await service.issue_for_tasks([task_id])
        row = await queries.by_task(task_id)
    if row is None:
        raise SuichaError(errors.TASK_NOT_FOUND)
    return row


class TaskCodeController(Controller):
    path = "/tasks/{task_id:int}/inspection-code"
    tags = ["tasks"]

    @get("/", guards=[allow("tasks.read")])
    async def code(
        self, task_id: FromPath[int], principal: CurrentPrincipal, request: Request
    ) -> InspectionCodeOut:
        """The task's 检查码 and the URL its QR holds."""
        row = await _code_of(task_id, principal)
        return InspectionCodeOut(
            task_id=task_id,
            code=row["code"],
            kind=row["kind"],
            reason_category=row["reason_category"],
            valid_from=str(row["valid_from"]),
            signature=row["signature"],
            key_id=row["key_id"],
            url=inspection_code.check_url(str(request.base_url), row["code"], row["signature"]),
        )

    @get("/qr.svg", guards=[allow("tasks.read")], media_type="image/svg+xml")
    async def qr(
        self, task_id: FromPath[int], principal: CurrentPrincipal, request: Request
    ) -> Response[bytes]:
        """The code's QR as SVG (segno), for screens and printing."""
        row = await _code_of(task_id, principal)
        url = inspection_code.check_url(str(request.base_url), row["code"], row["signature"])
        svg = segno.make(url, error="m").svg_inline(scale=4).encode("utf-8")
        return Response(content=svg, media_type="image/svg+xml")


class AnnualCapController(Controller):
    """The per-jurisdiction annual cap on inspections of one business (年度检查次数上限)."""

    path = "/annual-caps"
    tags = ["inspection codes"]

    @get("/", guards=[allow("calendar.read")])
    async def list_caps(self) -> list[AnnualCapOut]:
        caps = await service.annual_cap_list()
        return [AnnualCapOut(jurisdiction=j, cap=c) for j, c in sorted(caps.items())]

    @put("/{jurisdiction:str}", guards=[allow("annual_caps.write")])
    async def set_cap(
        self,
        jurisdiction: FromPath[str],
        data: JSONBody[AnnualCapIn],
        principal: CurrentPrincipal,
    ) -> AnnualCapOut:
        """Set the cap; eligibility then excludes businesses at it with reason `annual_cap`."""
        await service.set_annual_cap(jurisdiction, data.cap, principal.username)
        return AnnualCapOut(jurisdiction=jurisdiction, cap=data.cap)


class DirectedTaskController(Controller):
    """Directed (non-random) inspections: complaint, referral, data monitoring."""

    path = "/directed-tasks"
    tags = ["tasks"]

    @post("/", guards=[allow("directed_tasks.create")])
    async def create(
        self, data: JSONBody[DirectedTaskIn], principal: CurrentPrincipal
    ) -> DirectedTaskOut:
        """Create a directed task with its signed inspection code (kind `directed`)."""
        made = await directed.create(principal, data)
        return DirectedTaskOut(
            task_id=made["task_id"],
            code=made["code"],
            kind="directed",
            reason_category=made["reason_category"],
        )


class AccessCodeController(Controller):
    path = "/tasks/{task_id:int}/access-code"
    tags = ["tasks"]

    @post("/", guards=[allow("review.decide")])
    async def issue(self, task_id: FromPath[int], principal: CurrentPrincipal) -> AccessCodeOut:
        """A new one-time access code for the business (replaces the earlier one); shown once."""
        await _code_of(task_id, principal)
        access = await business.issue_access_code(task_id, principal.username)
        return AccessCodeOut(task_id=task_id, access_code=access)


class RatingController(Controller):
    path = "/public/check/{code:str}/rating"
    tags = ["public"]
    opt = PUBLIC

    @post("/")
    async def rate(
        self, code: FromPath[str], data: JSONBody[RatingIn], request: Request
    ) -> RatingOut:
        """The business rates the inspection with its access code (throttled when wrong)."""
        made = await business.rate(
            code, data.access_code, data.score, data.comment, client_address(request)
        )
        return RatingOut(**made)


class CheckInController(Controller):
    """扫码入企: the arrival record the field app sends (at once, or later after an outage)."""

    path = "/field/tasks/{task_id:int}/check-in"
    tags = ["field"]

    @post("/", guards=[allow("field.sync")])
    async def check_in(
        self, task_id: FromPath[int], data: JSONBody[CheckInIn], principal: CurrentPrincipal
    ) -> CheckInOut:
        """Record arrival; a record sent past the grace period is kept and flagged `late`."""
        made = await checkin.check_in(principal, task_id, data)
        return CheckInOut(**made)


class NoticeController(Controller):
    """检查通知书 PDFs; printing issues the business's access code afresh (hence POST)."""

    tags = ["tasks"]

    @post(
        "/tasks/{task_id:int}/inspection-notice.pdf",
        guards=[allow("review.decide")],
        media_type="application/pdf",
    )
    async def task_notice(
        self, task_id: FromPath[int], principal: CurrentPrincipal, request: Request
    ) -> Response[bytes]:
        await _code_of(task_id, principal)
        pdf = await notice.task_notice(principal, task_id, str(request.base_url))
        return Response(content=pdf, media_type="application/pdf")

    @post(
        "/plans/{plan_code:str}/inspection-notices.pdf",
        guards=[allow("review.decide")],
        media_type="application/pdf",
    )
    async def plan_notices(
        self,
        plan_code: FromPath[str],
        principal: CurrentPrincipal,
        request: Request,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Response[bytes]:
        """Every task of the plan's draw, one notice each (at most 500 per PDF; `offset` pages)."""
        pdf = await notice.plan_notices(principal, plan_code, str(request.base_url), offset)
        return Response(content=pdf, media_type="application/pdf")


@dataclass
class ObjectionForm:
    """An objection as `multipart/form-data` (the check page's form sends the same)."""

    access_code: str
    text: str
    attachments: list[UploadFile] = field(default_factory=list)
    """Up to 3 photos (JPEG or PNG, each within the photo size limit)."""


async def uploads_of(files: list[UploadFile]) -> list[objections.Upload]:
    """The spooled parts with their sizes (the size is known once the part arrived)."""
    found = []
    for upload in files:
        handle = upload.file
        handle.seek(0, 2)
        found.append(objections.Upload(handle, handle.tell()))
        handle.seek(0)
    return found


async def file_objection(
    code: str, access_code: str, text: str, files: list[UploadFile], client: str
) -> ObjectionOut:
    try:
        return await objections.file_objection(
            code, access_code, text, await uploads_of(files), client
        )
    finally:
        for upload in files:
            await upload.close()


class ObjectionController(Controller):
    """The business's objection (异议) to a published result, with its access code."""

    path = "/public/check/{code:str}/objections"
    tags = ["public"]
    opt = PUBLIC

    @get("/")
    async def status(self, code: FromPath[str]) -> list[ObjectionStatusOut]:
        """The task's objections: status, deadline and answer (never the text)."""
        return await objections.public_status(code)

    @post("/", request_max_body_size=OBJECTION_BODY_LIMIT)
    async def file(
        self,
        code: FromPath[str],
        data: Annotated[ObjectionForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        request: Request,
    ) -> ObjectionFiledOut:
        """File an objection to the current published result (once per published version)."""
        made = await file_objection(
            code, data.access_code, data.text, list(data.attachments), client_address(request)
        )
        return ObjectionFiledOut(
            id=made.id,
            code=code.strip().upper(),
            publication_version=made.publication_version,
            filed_at=made.filed_at,
            due_on=made.due_on,
            status=made.status,
            status_zh=made.status_zh,
            attachments=len(made.attachments),
        )


class ObjectionOfficeController(Controller):
    """Back office handles objections: list, uphold (returns items for correction), reject."""

    path = "/objections"
    tags = ["objections"]

    @get("/", guards=[allow("review.read")])
    async def list_objections(
        self,
        principal: CurrentPrincipal,
        status: Annotated[str | None, QueryParameter(max_length=16)] = None,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[ObjectionOut]:
        """Objections of the caller's department's tasks, open ones first.

        `status`: filed / upheld / rejected.
        """
        return await objections.office_list(principal, status, limit, offset)

    @get("/{objection_id:int}", guards=[allow("review.read")])
    async def get_objection(
        self, principal: CurrentPrincipal, objection_id: FromPath[int]
    ) -> ObjectionOut:
        return await objections.one(principal, objection_id)

    @get(
        "/{objection_id:int}/attachments/{sha256:str}",
        guards=[allow("review.read")],
        media_type="image/jpeg",
    )
    async def attachment(
        self, principal: CurrentPrincipal, objection_id: FromPath[int], sha256: FromPath[str]
    ) -> Response[bytes]:
        """A photo the business attached (JPEG or PNG)."""
        content, media_type = await objections.attachment(principal, objection_id, sha256)
        return Response(content, media_type=media_type, headers={"cache-control": "private"})

    @post("/{objection_id:int}/decision", guards=[allow("review.decide")], status_code=200)
    async def decide(
        self,
        principal: CurrentPrincipal,
        objection_id: FromPath[int],
        data: JSONBody[ObjectionDecisionIn],
    ) -> ObjectionOut:
        """`uphold` (with `items` to return for correction) or `reject`, each with a reason."""
        return await objections.decide(principal, objection_id, data)
