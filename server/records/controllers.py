"""HTTP endpoints of records: printed forms, archives (一次一档) and credit feedback."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import File

from server.accounts.principal import Principal
from server.http.auth import CurrentPrincipal, allow
from server.http.paging import Page, clamp_limit, page_of
from server.plans import queries as plan_queries
from server.publication import review
from server.records import archive, credit, queries
from server.records.downloads import archive_download
from server.records.schemas import (
    ApplyIn,
    DecidedOut,
    DismissIn,
    ProposalOut,
    ProposeOut,
    proposal_out,
)
from server.records.sections import printed_inspection_record
from shared.errors import NOT_FOUND, VALIDATION_FAILED, SuichaError

PDF = "application/pdf"


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise SuichaError(VALIDATION_FAILED, reason="年份应在2000至2100之间")


def _pdf(data: bytes, name: str) -> Response[bytes]:
    return Response(
        content=data,
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


async def _plan_in_scope(principal: Principal, plan_code: str) -> None:
    plan = await plan_queries.plan_by_code(plan_code)
    if plan is None:
        raise SuichaError(NOT_FOUND, what=f"抽查计划“{plan_code}”", what_en=f"Plan {plan_code}")
    principal.require_department(plan["lead_department"], plan["lead_code"])


class RecordsController(Controller):
    path = "/records"
    tags = ["records"]

    @get("/draws/{draw_id:str}/print", guards=[allow("records.print")])
    async def print_draw(self, draw_id: FromPath[str]) -> Response[bytes]:
        """The printed draw record (抽签记录), A4 PDF, for the observer to sign on paper."""
        return _pdf(await archive.printed_draw_record(draw_id), f"{draw_id}.pdf")

    @get("/tasks/{task_id:int}/inspection-record", guards=[allow("records.print")])
    async def print_inspection(self, task_id: FromPath[int]) -> Response[bytes]:
        """The printed 现场检查笔录 of a task, from what the field app sent."""
        data = await printed_inspection_record(task_id)
        if data is None:
            raise SuichaError(
                NOT_FOUND, what=f"任务{task_id}的现场检查记录", what_en=f"Visit record of {task_id}"
            )
        return _pdf(data, f"task-{task_id}.pdf")

    @get("/tasks/{task_id:int}/archive", guards=[allow("records.archive")])
    async def task_archive(self, principal: CurrentPrincipal, task_id: FromPath[int]) -> File:
        """The archive (一次一档) of one task, drawn or directed, with its manifest.

        For the departments of the task (the review area's scope: others get 404).
        """
        await review.require_task(principal, task_id)
        return await archive_download(
            lambda path: archive.task_archive(task_id, path), f"task-{task_id}-archive.zip"
        )

    @get("/plans/{plan_code:str}/archive", guards=[allow("records.archive")])
    async def plan_archive(self, principal: CurrentPrincipal, plan_code: FromPath[str]) -> File:
        """The archive of a drawn plan, every task included."""
        await _plan_in_scope(principal, plan_code)
        return await archive_download(
            lambda path: archive.plan_archive(plan_code, path), f"{plan_code}-archive.zip"
        )


class CreditController(Controller):
    path = "/records/credit"
    tags = ["records"]

    @post("/{year:int}/propose", guards=[allow("credit.decide")], status_code=200)
    async def propose(self, principal: CurrentPrincipal, year: FromPath[int]) -> ProposeOut:
        """Run the credit feedback rule over the year's published results."""
        _check_year(year)
        counts = await credit.propose(principal, year)
        return ProposeOut(year=year, **counts)

    @get("/{year:int}/proposals", guards=[allow("credit.read")])
    async def proposals(
        self,
        year: FromPath[int],
        status: Annotated[str | None, QueryParameter(max_length=16)] = None,
        limit: Annotated[int, QueryParameter(ge=1)] = 100,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[ProposalOut]:
        _check_year(year)
        limit = clamp_limit(limit)
        rows, total = await queries.proposals(year, status, limit, offset)
        return page_of([proposal_out(r) for r in rows], total, limit, offset)

    @post("/apply", guards=[allow("credit.decide")], status_code=200)
    async def apply(self, principal: CurrentPrincipal, data: JSONBody[ApplyIn]) -> DecidedOut:
        """Write the chosen proposals to the roster; each change is in the audit chain."""
        decided = await credit.apply(principal, data.ids, mark_abnormal=data.mark_abnormal)
        return DecidedOut(decided=decided)

    @post("/dismiss", guards=[allow("credit.decide")], status_code=200)
    async def dismiss(self, principal: CurrentPrincipal, data: JSONBody[DismissIn]) -> DecidedOut:
        return DecidedOut(decided=await credit.dismiss(principal, data.ids, data.note))
