"""Roster pages (名录库): objects with filters and keyset paging, inspectors, items,
departments, result categories, the working-day calendar; import with row errors on
the page and a downloadable error file; export."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import FromPath, QueryParameter
from litestar.response import File

from server.calendar import queries as calendar_queries
from server.categories import service as categories
from server.http.auth import allow
from server.rosters import exporting, importing
from server.rosters import queries as roster_queries
from server.rosters.controllers import MAX_IMPORT_BYTES, _copy_upload, _format_by_name, _temp_path
from server.rosters.files import FORMATS
from server.workspace.pages import redirect, render
from shared.errors import SuichaError
from shared.spreadsheet import neutralise

PAGE_SIZE = 50
KIND_ZH = {"objects": "检查对象名录", "inspectors": "执法检查人员名录", "items": "检查事项清单"}
RISK_CLASSES = ("A", "B", "C", "D")
STATUS_ZH = {"active": "正常", "inactive": "停用", "cancelled": "注销", "revoked": "吊销"}
Text = Annotated[str | None, QueryParameter(max_length=100)]


def _clean(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


class RosterPages(Controller):
    path = "/workspace/rosters"

    @get("/objects", guards=[allow("objects.read")])
    async def objects(
        self,
        request: Request[Any, Any, Any],
        q: Text = None,
        risk_class: Text = None,
        region: Text = None,
        industry: Text = None,
        status: Text = None,
        after: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Response[str]:
        """Keyset paging (`after` = the last id shown): page 20,000 costs what page 1 does."""
        chosen = {
            "q": _clean(q),
            "risk_class": _clean(risk_class),
            "region": _clean(region),
            "industry": _clean(industry),
            "status": _clean(status),
        }
        filters = roster_queries.ObjectFilter(**chosen)
        rows = await roster_queries.objects_after(filters, after_id=after, limit=PAGE_SIZE + 1)
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        kept = {k: v for k, v in chosen.items() if v}
        next_href = "?" + urlencode({**kept, "after": rows[-1]["id"]}) if more and rows else None
        first_href = ("?" + urlencode(kept)) if after else None
        return await render(
            request,
            "rosters/objects.html",
            rows=rows,
            filters={k: v or "" for k, v in chosen.items()},
            risk_classes=[("", "全部")] + [(c, c) for c in RISK_CLASSES],
            statuses=[("", "全部"), *STATUS_ZH.items()],
            status_zh=STATUS_ZH,
            next_href=next_href,
            first_href=first_href,
        )

    @get("/inspectors", guards=[allow("inspectors.read")])
    async def inspectors(
        self,
        request: Request[Any, Any, Any],
        q: Text = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
    ) -> Response[str]:
        rows, total = await roster_queries.list_inspectors(
            department_id=None,
            status=None,
            qualification=None,
            q=_clean(q),
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        more = page * PAGE_SIZE < total
        query = {"q": q} if _clean(q) else {}
        return await render(
            request,
            "rosters/inspectors.html",
            rows=rows,
            total=total,
            q=q or "",
            status_zh=STATUS_ZH,
            next_href="?" + urlencode({**query, "page": page + 1}) if more else None,
            first_href="?" + urlencode(query) if page > 1 else None,
        )

    @get("/items", guards=[allow("items.read")])
    async def items(
        self,
        request: Request[Any, Any, Any],
        q: Text = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
    ) -> Response[str]:
        rows, total = await roster_queries.list_items(
            department_id=None,
            active=None,
            q=_clean(q),
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        query = {"q": q} if _clean(q) else {}
        return await render(
            request,
            "rosters/items.html",
            rows=rows,
            total=total,
            q=q or "",
            next_href="?" + urlencode({**query, "page": page + 1})
            if page * PAGE_SIZE < total
            else None,
            first_href="?" + urlencode(query) if page > 1 else None,
        )

    @get("/departments", guards=[allow("departments.read")])
    async def departments(self, request: Request[Any, Any, Any]) -> Response[str]:
        rows, _ = await roster_queries.list_departments(limit=1000, offset=0)
        return await render(request, "rosters/departments.html", rows=rows)

    @get("/categories", guards=[allow("categories.read")])
    async def result_categories(self, request: Request[Any, Any, Any]) -> Response[str]:
        return await render(request, "rosters/categories.html", rows=await categories.views())

    @get("/calendar", guards=[allow("calendar.read")])
    async def calendar(
        self,
        request: Request[Any, Any, Any],
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> Response[str]:
        shown = year or date.today().year
        return await render(
            request,
            "rosters/calendar.html",
            year=shown,
            years=[(y, f"{y}年") for y in sorted({*await calendar_queries.known_years(), shown})],
            days=await calendar_queries.calendar_days(shown),
        )

    @get("/import", guards=[allow("rosters.import")])
    async def import_form(self, request: Request[Any, Any, Any]) -> Response[str]:
        return await render(
            request, "rosters/import.html", kinds=KIND_ZH, kind="objects", errors={}
        )

    @post(
        "/import",
        guards=[allow("rosters.import")],
        status_code=200,
        request_max_body_size=MAX_IMPORT_BYTES,
    )
    async def import_file(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """All or nothing: a file with bad rows changes nothing and its rows are listed
        on the page, with the list as a file to download; fix the file and send it again."""
        form = await request.form()
        kind = str(form.get("kind") or "")
        upload = form.get("file")
        errors: dict[str, str] = {}
        if kind not in KIND_ZH:
            errors["kind"] = "请选择名录类型"
        if upload is None or isinstance(upload, str) or not upload.filename:
            errors["file"] = "请选择要导入的文件（CSV 或 XLSX）"
        elif _format_by_name(upload.filename) is None:
            errors["file"] = "文件须为 .csv 或 .xlsx 格式"
        if errors:
            return await render(
                request, "rosters/import.html", 400, kinds=KIND_ZH, kind=kind, errors=errors
            )
        assert upload is not None and not isinstance(upload, str)
        path = await asyncio.to_thread(_temp_path, "")
        try:
            try:
                size = await asyncio.to_thread(_copy_upload, upload.file, path)
            finally:
                await upload.close()
            if not size:
                return await render(
                    request,
                    "rosters/import.html",
                    400,
                    kinds=KIND_ZH,
                    kind=kind,
                    errors={"file": "文件为空"},
                )
            summary = await importing.import_file(
                kind,
                path,
                actor=request.user.username,
                fmt=_format_by_name(upload.filename),
                file_name=upload.filename,
                principal=request.user,
            )
        except SuichaError as refusal:
            rows = refusal.extra.get("errors") or []
            return await render(
                request,
                "rosters/import.html",
                refusal.status,
                kinds=KIND_ZH,
                kind=kind,
                errors={"form": refusal.detail_zh},
                row_errors=rows,
                error_count=refusal.extra.get("error_count", len(rows)),
                rows_json=json.dumps(rows, ensure_ascii=False),
            )
        finally:
            await asyncio.to_thread(path.unlink, True)
        message = (
            f"{KIND_ZH[kind]}导入成功：共{summary.rows}行，新增{summary.inserted}行，"
            f"更新{summary.updated}行，未变{summary.unchanged}行"
        )
        return redirect(request, f"/workspace/rosters/{kind}", message)

    @post("/import/errors.csv", guards=[allow("rosters.import")], status_code=200)
    async def error_file(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        """The row errors the page shows, as a CSV to fix the file by (made from what the
        page posts back: nothing is kept on the server between the two requests)."""
        form = await request.form()
        try:
            rows = json.loads(str(form.get("rows") or "[]"))
        except ValueError:
            rows = []
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["行号", "列", "错误代码", "原因"])
        for row in rows[:10_000] if isinstance(rows, list) else []:
            if not isinstance(row, dict):
                continue
            reason = row.get("reason") or {}
            writer.writerow(
                [
                    neutralise(str(row.get("row", ""))),
                    neutralise(str(row.get("column", ""))),
                    neutralise(str(row.get("code", ""))),
                    neutralise(str(reason.get("zh", "") if isinstance(reason, dict) else reason)),
                ]
            )
        return Response(
            content=("\ufeff" + out.getvalue()).encode(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": "attachment; filename=import-errors.csv"},
        )

    @get("/export/{kind:str}", guards=[allow("rosters.export")])
    async def export(
        self,
        kind: FromPath[str],
        file_format: Annotated[str, QueryParameter(name="format", max_length=8)] = "csv",
    ) -> File:
        roster = importing.roster_kind(kind)
        if file_format not in FORMATS:
            file_format = "csv"
        path = await asyncio.to_thread(_temp_path, f".{file_format}")
        try:
            await exporting.export_roster(roster, file_format, path)
        except BaseException:
            await asyncio.shield(asyncio.to_thread(path.unlink, True))
            raise
        media = (
            "text/csv; charset=utf-8"
            if file_format == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        return File(
            path=path,
            filename=f"{kind}.{file_format}",
            media_type=media,
            background=BackgroundTask(path.unlink, True),
        )
