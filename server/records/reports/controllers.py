"""Reports (报表) and the accountability view (问责) through the API; rules in the services."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from server.http.auth import CurrentPrincipal, allow
from server.http.paging import Page
from server.records import accountability
from server.records.reports import service
from server.records.reports.schemas import AccountabilityOut, FeedbackOut, ReportIn, ReportOut

Limit = Annotated[int, QueryParameter(ge=1)]
Offset = Annotated[int, QueryParameter(ge=0)]


class ReportController(Controller):
    path = "/reports"
    tags = ["reports"]

    @get("/", guards=[allow("reports.read")])
    async def list_reports(
        self,
        principal: CurrentPrincipal,
        kind: Annotated[str | None, QueryParameter(max_length=16)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ReportOut]:
        """Stored reports the caller may read, newest first.

        `kind`: monthly / quarterly / half_year / year.
        """
        return await service.list_reports(principal, kind, limit, offset)

    @post("/", guards=[allow("reports.generate")], status_code=201)
    async def generate(self, principal: CurrentPrincipal, data: JSONBody[ReportIn]) -> ReportOut:
        """Generate and store a report now: one department's, or combined (empty `department`)."""
        return await service.generate(principal, data.kind, data.period, data.department)

    @get("/{report_id:int}/file", guards=[allow("reports.read")])
    async def download(
        self, principal: CurrentPrincipal, report_id: FromPath[int]
    ) -> Response[bytes]:
        """The stored XLSX, byte for byte as generated (its SHA-256 is in the listing)."""
        report, content = await service.download(principal, report_id)
        return Response(
            content,
            media_type=service.MEDIA_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="{service.file_name(report)}"',
                "X-Content-SHA256": report.sha256,
            },
        )


class AccountabilityController(Controller):
    path = "/accountability"
    tags = ["reports"]
    guards = [allow("accountability.read")]

    @get("/")
    async def lapses(
        self,
        principal: CurrentPrincipal,
        department: Annotated[str | None, QueryParameter(max_length=32)] = None,
        kind: Annotated[str | None, QueryParameter(max_length=16)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[AccountabilityOut]:
        """Per department: tasks not inspected by the plan's end, results published late, tasks
        delayed — each with the people responsible.

        `kind`: not_inspected / published_late / delayed.
        """
        return await accountability.accountability(principal, department, kind, limit, offset)

    @get("/feedback")
    async def feedback(
        self,
        principal: CurrentPrincipal,
        department: Annotated[str | None, QueryParameter(max_length=32)] = None,
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> list[FeedbackOut]:
        """Per department: the businesses' ratings (count, mean) and objections (filed, upheld,
        rejected, open, overdue) of a year (default: this year, China time)."""
        return await accountability.feedback(principal, department, year)
