"""Reports and archives (报表与归档): generate, list and download the monthly, quarterly,
half-year and year reports; download plan archives; the accountability view (问责).

Thin: `server.records.reports.service` generates, lists and hands out the stored XLSX
(department scope included: a team lead only their own department's, admins and
back office every one and the combined report); `server.records.accountability`
finds the lapses; the archives are `controllers/archives.py`'s downloads, linked here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from server.accounts.principal import Principal
from server.accounts.roles import PERMISSIONS
from server.calendar import service as calendar
from server.http.auth import allow
from server.plans import rules as plan_rules
from server.records import accountability
from server.records.reports import queries as report_queries
from server.records.reports import service
from server.records.reports.periods import (
    FIRST_YEAR,
    KIND_ZH,
    KINDS,
    LAST_YEAR,
    previous_month,
)
from server.records.reports.schemas import AccountabilityOut
from server.workspace import plan_queries
from server.workspace.pages import redirect, render
from shared.errors import SuichaError

PAGE_SIZE = 50
ARCHIVE_PLANS = 50
"""Drawn plans listed for archive download, newest first."""
PERIOD_EXAMPLES = "月报表 2026-11；季度推进表 2026-Q4；半年总结 2026-H1；年度总结 2026"
ROLE_ZH = {"team": "检查组", "reviewer": "审核人", "publisher": "公示人", "back_office": "内勤"}
SHOWN_FIELDS = frozenset(
    {
        "kind",
        "kind_zh",
        "department",
        "plan_code",
        "task_id",
        "business",
        "credit_code",
        "due",
        "happened",
        "days_late",
        "responsible",
    }
)
"""Accountability fields with a column of their own; any other field the service adds is
shown under 其他 with its name, so a new field is never silently dropped."""
FORM_FIELDS = {"kind": "报表类型", "period": "报表期间", "department": "部门"}
"""Form fields of the generate form, and the refusal codes that belong beside each."""
CODE_FIELD = {
    "reports.unknown_kind": "kind",
    "reports.bad_period": "period",
    "reports.period_out_of_range": "period",
    "reports.unknown_department": "department",
    "reports.combined_forbidden": "department",
    "auth.forbidden_department": "department",
}


def _may_read_reports(principal: Principal) -> bool:
    return principal.role in PERMISSIONS["reports.read"]


async def _department_choices(principal: Principal) -> list[tuple[str, str]]:
    """A team lead generates only their own department's report; the others any, or combined."""
    if principal.role not in service.EVERYWHERE:
        code = principal.department_code or ""
        return [(code, code)]
    rows = await report_queries.departments()
    return [("", service.COMBINED_NAME)] + [(r["code"], f"{r['code']} {r['name']}") for r in rows]


def _extra_fields(row: AccountabilityOut) -> list[tuple[str, Any]]:
    return [
        (name, getattr(row, name))
        for name in row.__struct_fields__
        if name not in SHOWN_FIELDS and getattr(row, name) not in (None, "", [], {})
    ]


def _plain(value: Any) -> Any:
    """A value of an added accountability field as text-friendly data (structs to dicts)."""
    return msgspec.to_builtins(value)


class ReportPages(Controller):
    path = "/workspace/reports"

    @get("/", guards=[allow("accountability.read")])
    async def index(
        self,
        request: Request[Any, Any, Any],
        kind: Annotated[str | None, QueryParameter(max_length=16)] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
    ) -> Response[str] | Redirect:
        principal: Principal = request.user
        if not _may_read_reports(principal):
            # Observers read the accountability view, not the reports (reports.read).
            return Redirect(path="/workspace/reports/accountability", status_code=303)
        return await self._index(request, kind or None, page, {}, {})

    async def _index(
        self,
        request: Request[Any, Any, Any],
        kind: str | None,
        page: int,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Response[str]:
        principal: Principal = request.user
        if kind not in KINDS:
            kind = None
        listed = await service.list_reports(principal, kind, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        plans = await plan_queries.plans_for(
            None if principal.is_admin else principal.department_id or -1,
            [plan_rules.DRAWN, plan_rules.CLOSED],
            ARCHIVE_PLANS,
        )
        base = f"?{urlencode({'kind': kind})}&" if kind else "?"
        today = datetime.now(calendar.CHINA).date()
        departments = await _department_choices(principal)
        return await render(
            request,
            "reports/index.html",
            status_code=status_code,
            section="reports",
            can_read_reports=True,
            reports=listed.items,
            total=listed.total,
            kind=kind or "",
            kinds=[(k, KIND_ZH[k]) for k in KINDS],
            kind_zh=KIND_ZH,
            departments=departments,
            values={
                "kind": "monthly",
                "period": previous_month(today).label,
                "department": departments[0][0],
                **values,
            },
            errors=errors,
            period_examples=PERIOD_EXAMPLES,
            can_generate=principal.role in PERMISSIONS["reports.generate"],
            can_archive=principal.role in PERMISSIONS["records.archive"],
            plans=plans,
            status_zh=plan_rules.STATUS_ZH,
            next_href=f"{base}page={page + 1}" if page * PAGE_SIZE < listed.total else None,
            first_href=base if page > 1 else None,
        )

    @post("/", guards=[allow("reports.generate")], status_code=200)
    async def generate(self, request: Request[Any, Any, Any]) -> Response[str] | Redirect:
        form = await request.form()
        values = {name: str(form.get(name) or "").strip()[:64] for name in FORM_FIELDS}
        errors: dict[str, str] = {}
        if values["kind"] not in KINDS:
            errors["kind"] = "请选择报表类型"
        if not values["period"]:
            errors["period"] = "请填写报表期间"
        if not errors:
            try:
                made = await service.generate(
                    request.user, values["kind"], values["period"], values["department"] or None
                )
            except SuichaError as refusal:
                errors[CODE_FIELD.get(refusal.code, "form")] = refusal.detail_zh
            else:
                scope = made.department or "汇总"
                return redirect(
                    request,
                    "/workspace/reports/",
                    f"已生成{KIND_ZH[made.kind]} {made.period}（{scope}）",
                )
        return await self._index(request, None, 1, values, errors, status_code=422)

    @get("/{report_id:int}/file", guards=[allow("reports.read")])
    async def download(
        self, request: Request[Any, Any, Any], report_id: FromPath[int]
    ) -> Response[bytes]:
        """The stored XLSX byte for byte (another department's report: 404, as in the API)."""
        report, content = await service.download(request.user, report_id)
        return Response(
            content,
            media_type=service.MEDIA_TYPE,
            headers={
                "content-disposition": f'attachment; filename="{service.file_name(report)}"',
                "x-content-sha256": report.sha256,
                "cache-control": "no-store",
            },
        )

    @get("/accountability", guards=[allow("accountability.read")])
    async def accountability_view(
        self,
        request: Request[Any, Any, Any],
        department: Annotated[str | None, QueryParameter(max_length=32)] = None,
        kind: Annotated[str | None, QueryParameter(max_length=16)] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        year: Annotated[int | None, QueryParameter(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
    ) -> Response[str]:
        principal: Principal = request.user
        every = principal.role in accountability.EVERY_DEPARTMENT
        department = (department or None) if every else principal.department_code
        kind = kind if kind in accountability.KINDS else None
        found = await accountability.accountability(
            principal, department, kind, PAGE_SIZE, (page - 1) * PAGE_SIZE
        )
        year = year or datetime.now(calendar.CHINA).date().year
        feedback = await accountability.feedback(principal, department, year)
        extras = [_extra_fields(row) for row in found.items]
        query: dict[str, Any] = {
            k: v for k, v in (("department", department), ("kind", kind)) if v and every
        }
        if not every and kind:
            query["kind"] = kind
        query["year"] = year
        base = f"?{urlencode(query)}&" if query else "?"
        departments = (
            [("", "全部部门")]
            + [(r["code"], f"{r['code']} {r['name']}") for r in await report_queries.departments()]
            if every
            else []
        )
        return await render(
            request,
            "reports/accountability.html",
            section="accountability",
            feedback=feedback,
            year=year,
            rows=found.items,
            total=found.total,
            offset=found.offset,
            department=department or "",
            kind=kind or "",
            kinds=[("", "全部"), *accountability.KINDS.items()],
            departments=departments,
            role_zh_of=ROLE_ZH,
            extras=extras,
            any_extra=any(extras),
            plain=_plain,
            can_review=principal.role in PERMISSIONS["review.read"],
            can_read_reports=_may_read_reports(principal),
            next_href=f"{base}page={page + 1}" if page * PAGE_SIZE < found.total else None,
            first_href=base if page > 1 else None,
        )
