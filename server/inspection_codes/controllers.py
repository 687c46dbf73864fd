"""HTTP endpoints of inspection codes: the public key, and a task's code for staff and the app."""

from __future__ import annotations

from typing import Annotated

import segno
from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from server.accounts.roles import Role
from server.db.transaction import write_transaction
from server.http.auth import PUBLIC, CurrentPrincipal, allow, client_address
from server.inspection_codes import business, checkin, directed, errors, notice, queries, service
from server.inspection_codes.schemas import (
    AccessCodeOut,
    AnnualCapIn,
    AnnualCapOut,
    CheckInIn,
    CheckInOut,
    DirectedTaskIn,
    DirectedTaskOut,
    InspectionCodeOut,
    PublicKeyOut,
    PublicKeysOut,
    RatingIn,
    RatingOut,
)
from shared import inspection_code
from shared.errors import SuichaError


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
