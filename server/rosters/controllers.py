"""HTTP endpoints of the rosters: departments, risk classes, items, inspectors, objects,
import and export. Thin: each handler calls a service and shapes the answer."""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.background_tasks import BackgroundTask
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import File

from server.http.auth import CurrentPrincipal, allow
from server.http.paging import Page, clamp_limit, page_of
from server.rosters import exporting, importing, queries, service
from server.rosters.columns import INSPECTORS, ITEMS, OBJECTS
from server.rosters.errors import IMPORT_FORMAT
from server.rosters.files import FORMATS, unknown_format
from server.rosters.schemas import (
    ChangeOut,
    DepartmentIn,
    DepartmentOut,
    ImportOut,
    ImportResult,
    InspectorIn,
    InspectorOut,
    ItemIn,
    ItemOut,
    ObjectIn,
    ObjectOut,
    RiskClassIn,
    RiskClassOut,
)
from shared.errors import NOT_FOUND, SuichaError

Limit = Annotated[int, QueryParameter(ge=1)]
Offset = Annotated[int, QueryParameter(ge=0)]
MAX_IMPORT_BYTES = 1 << 30
"""Largest roster file accepted over HTTP (a million objects is ~150 MB of CSV)."""


class StatusIn(msgspec.Struct, forbid_unknown_fields=True):
    status: str
    """objects: active/deregistered/revoked (存续/注销/吊销); inspectors: active/on_leave/left
    (在岗/休假/离岗); items: active/inactive (启用/停用)."""


def _department_out(row: dict[str, Any]) -> DepartmentOut:
    return DepartmentOut(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        level=row["level"],
        region=row["region"],
        parent=row.get("parent_code"),
    )


async def _department_id(code: str | None) -> int | None:
    if not code:
        return None
    row = await queries.department_by_code(code)
    if row is None:
        raise SuichaError(NOT_FOUND, what=f"部门“{code}”", what_en=f"Department {code}")
    return row["id"]


class DepartmentController(Controller):
    path = "/departments"
    tags = ["rosters"]

    @get("/", guards=[allow("departments.read")])
    async def list_departments(self, limit: Limit = 100, offset: Offset = 0) -> Page[DepartmentOut]:
        limit = clamp_limit(limit)
        rows, total = await queries.list_departments(limit=limit, offset=offset)
        return page_of([_department_out(r) for r in rows], total, limit, offset)

    @get("/{code:str}", guards=[allow("departments.read")])
    async def get_department(self, code: FromPath[str]) -> DepartmentOut:
        return _department_out(await service.department(code))

    @post("/", guards=[allow("departments.write")])
    async def create_department(
        self, principal: CurrentPrincipal, data: JSONBody[DepartmentIn]
    ) -> DepartmentOut:
        row = await service.create_department(principal, msgspec.structs.asdict(data))
        return _department_out(row)

    @patch("/{code:str}", guards=[allow("departments.write")])
    async def update_department(
        self, principal: CurrentPrincipal, code: FromPath[str], data: JSONBody[dict[str, Any]]
    ) -> DepartmentOut:
        return _department_out(await service.update_department(principal, code, data))


class RiskClassController(Controller):
    path = "/risk-classes"
    tags = ["rosters"]

    @get("/", guards=[allow("risk_classes.read")])
    async def list_risk_classes(self) -> list[RiskClassOut]:
        return [
            RiskClassOut(code=r["code"], name=r["name"], rank=r["rank"])
            for r in await service.risk_classes()
        ]

    @post("/", guards=[allow("risk_classes.write")])
    async def create_risk_class(
        self, principal: CurrentPrincipal, data: JSONBody[RiskClassIn]
    ) -> RiskClassOut:
        row = await service.create_risk_class(principal, msgspec.structs.asdict(data))
        return RiskClassOut(code=row["code"], name=row["name"], rank=row["rank"])

    @patch("/{code:str}", guards=[allow("risk_classes.write")])
    async def update_risk_class(
        self, principal: CurrentPrincipal, code: FromPath[str], data: JSONBody[dict[str, Any]]
    ) -> RiskClassOut:
        row = await service.update_risk_class(principal, code, data)
        return RiskClassOut(code=row["code"], name=row["name"], rank=row["rank"])

    @delete("/{code:str}", guards=[allow("risk_classes.write")], status_code=204)
    async def delete_risk_class(self, principal: CurrentPrincipal, code: FromPath[str]) -> None:
        await service.delete_risk_class(principal, code)


_ITEM_STATUSES = {"active": True, "启用": True, "inactive": False, "停用": False}


class ItemController(Controller):
    """随机抽查事项清单."""

    path = "/items"
    tags = ["rosters"]

    @get("/", guards=[allow("items.read")])
    async def list_items(
        self,
        department: Annotated[str | None, QueryParameter()] = None,
        active: Annotated[bool | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter()] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ItemOut]:
        limit = clamp_limit(limit)
        rows, total = await queries.list_items(
            department_id=await _department_id(department),
            active=active,
            q=q,
            limit=limit,
            offset=offset,
        )
        items = [ItemOut(**service.present(ITEMS, row)) for row in rows]
        return page_of(items, total, limit, offset)

    @get("/{code:str}", guards=[allow("items.read")])
    async def get_item(self, code: FromPath[str]) -> ItemOut:
        return ItemOut(**await service.get_record(ITEMS, code))

    @post("/", guards=[allow("items.write")])
    async def create_item(self, principal: CurrentPrincipal, data: JSONBody[ItemIn]) -> ItemOut:
        body = msgspec.structs.asdict(data)
        return ItemOut(**await service.create_record(principal, ITEMS, body))

    @patch("/{code:str}", guards=[allow("items.write")])
    async def update_item(
        self, principal: CurrentPrincipal, code: FromPath[str], data: JSONBody[dict[str, Any]]
    ) -> ItemOut:
        return ItemOut(**await service.update_record(principal, ITEMS, code, data))

    @post("/{code:str}/status", guards=[allow("items.write")], status_code=200)
    async def set_item_status(
        self, principal: CurrentPrincipal, code: FromPath[str], data: JSONBody[StatusIn]
    ) -> ItemOut:
        active = _ITEM_STATUSES.get(data.status.strip(), data.status)
        return ItemOut(**await service.update_record(principal, ITEMS, code, {"active": active}))


def _inspector_out(values: dict[str, Any]) -> InspectorOut:
    return msgspec.convert(values, InspectorOut)


class InspectorController(Controller):
    """执法检查人员名录库."""

    path = "/inspectors"
    tags = ["rosters"]

    @get("/", guards=[allow("inspectors.read")])
    async def list_inspectors(
        self,
        department: Annotated[str | None, QueryParameter()] = None,
        status: Annotated[str | None, QueryParameter()] = None,
        qualification: Annotated[str | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter()] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[InspectorOut]:
        limit = clamp_limit(limit)
        rows, total = await queries.list_inspectors(
            department_id=await _department_id(department),
            status=status,
            qualification=qualification,
            q=q,
            limit=limit,
            offset=offset,
        )
        items = [_inspector_out(service.present(INSPECTORS, row)) for row in rows]
        return page_of(items, total, limit, offset)

    @get("/{badge_no:str}", guards=[allow("inspectors.read")])
    async def get_inspector(self, badge_no: FromPath[str]) -> InspectorOut:
        return _inspector_out(await service.get_record(INSPECTORS, badge_no))

    @post("/", guards=[allow("inspectors.write")])
    async def create_inspector(
        self, principal: CurrentPrincipal, data: JSONBody[InspectorIn]
    ) -> InspectorOut:
        body = msgspec.to_builtins(data)
        return _inspector_out(await service.create_record(principal, INSPECTORS, body))

    @patch("/{badge_no:str}", guards=[allow("inspectors.write")])
    async def update_inspector(
        self, principal: CurrentPrincipal, badge_no: FromPath[str], data: JSONBody[dict[str, Any]]
    ) -> InspectorOut:
        return _inspector_out(await service.update_record(principal, INSPECTORS, badge_no, data))

    @post("/{badge_no:str}/status", guards=[allow("inspectors.write")], status_code=200)
    async def set_inspector_status(
        self, principal: CurrentPrincipal, badge_no: FromPath[str], data: JSONBody[StatusIn]
    ) -> InspectorOut:
        changed = await service.update_record(
            principal, INSPECTORS, badge_no, {"status": data.status}
        )
        return _inspector_out(changed)


class ObjectController(Controller):
    """检查对象名录库. A tag names a sub-roster (子名录)."""

    path = "/objects"
    tags = ["rosters"]

    @get("/", guards=[allow("objects.read")])
    async def list_objects(
        self,
        risk_class: Annotated[str | None, QueryParameter()] = None,
        industry: Annotated[str | None, QueryParameter(description="industry code prefix")] = None,
        region: Annotated[str | None, QueryParameter(description="region code prefix")] = None,
        tag: Annotated[str | None, QueryParameter(description="sub-roster tag")] = None,
        licence: Annotated[str | None, QueryParameter()] = None,
        status: Annotated[str | None, QueryParameter()] = None,
        abnormal: Annotated[bool | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter(description="name or credit code")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ObjectOut]:
        limit = clamp_limit(limit)
        filters = queries.ObjectFilter(
            risk_class=risk_class,
            industry=industry,
            region=region,
            tag=tag,
            licence=licence,
            status=status,
            abnormal=abnormal,
            q=q,
        )
        rows, total = await queries.list_objects(filters, limit=limit, offset=offset)
        items = [ObjectOut(**service.present(OBJECTS, row)) for row in rows]
        return page_of(items, total, limit, offset)

    @get("/{credit_code:str}", guards=[allow("objects.read")])
    async def get_object(self, credit_code: FromPath[str]) -> ObjectOut:
        return ObjectOut(**await service.get_record(OBJECTS, credit_code))

    @post("/", guards=[allow("objects.write")])
    async def create_object(
        self, principal: CurrentPrincipal, data: JSONBody[ObjectIn]
    ) -> ObjectOut:
        body = msgspec.structs.asdict(data)
        return ObjectOut(**await service.create_record(principal, OBJECTS, body))

    @patch("/{credit_code:str}", guards=[allow("objects.write")])
    async def update_object(
        self,
        principal: CurrentPrincipal,
        credit_code: FromPath[str],
        data: JSONBody[dict[str, Any]],
    ) -> ObjectOut:
        return ObjectOut(**await service.update_record(principal, OBJECTS, credit_code, data))

    @post("/{credit_code:str}/status", guards=[allow("objects.write")], status_code=200)
    async def set_object_status(
        self, principal: CurrentPrincipal, credit_code: FromPath[str], data: JSONBody[StatusIn]
    ) -> ObjectOut:
        changed = await service.update_record(
            principal, OBJECTS, credit_code, {"status": data.status}
        )
        return ObjectOut(**changed)


_WRITE_CHUNK = 1 << 20
"""Bytes of a streamed upload gathered before one write to disk (one thread hop each)."""


def _temp_path(suffix: str) -> Path:
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as handle:
        return Path(handle.name)


async def _save_body(request: Request[Any, Any, Any], path: Path) -> int:
    """Stream the raw request body to `path` (never all of it in memory); return its size."""
    size = 0
    with await asyncio.to_thread(path.open, "wb") as handle:
        pending: list[bytes] = []
        held = 0
        async for chunk in request.stream():
            pending.append(chunk)
            held += len(chunk)
            if held >= _WRITE_CHUNK:
                await asyncio.to_thread(handle.writelines, pending)
                size += held
                pending, held = [], 0
        await asyncio.to_thread(handle.writelines, pending)
        size += held
    return size


def _copy_upload(source: Any, path: Path) -> int:
    source.seek(0)
    with path.open("wb") as handle:
        shutil.copyfileobj(source, handle, _WRITE_CHUNK)
        return handle.tell()


def _format_by_name(file_name: str) -> str | None:
    suffix = Path(file_name).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def _upload_error(zh: str, en: str) -> SuichaError:
    return SuichaError(IMPORT_FORMAT, reason=zh, reason_en=en)


class RosterFileController(Controller):
    """Import and export of roster files (CSV, XLSX), and the import history."""

    path = "/rosters"
    tags = ["rosters"]

    @post(
        "/{kind:str}/import",
        guards=[allow("rosters.import")],
        status_code=200,
        request_max_body_size=MAX_IMPORT_BYTES,
    )
    async def import_roster(
        self,
        request: Request[Any, Any, Any],
        principal: CurrentPrincipal,
        kind: FromPath[str],
        file_format: Annotated[
            str | None, QueryParameter(name="format", description="csv or xlsx")
        ] = None,
    ) -> ImportResult:
        """Multipart upload (field `file`) or the raw file as the body (`?format=`).

        A raw body is streamed to a temporary file as it arrives; the file is
        removed when the import ends, whatever its outcome.
        """
        importing.roster_kind(kind)
        if file_format is not None and file_format.lower().lstrip(".") not in FORMATS:
            raise unknown_format(file_format)
        file_name = ""
        path = await asyncio.to_thread(_temp_path, "")
        try:
            if request.headers.get("content-type", "").startswith("multipart/form-data"):
                form = await request.form()
                upload = form.get("file")
                if upload is None or isinstance(upload, str):
                    raise _upload_error(
                        "多部分上传中缺少名为“file”的文件部分",
                        "multipart upload without a 'file' part",
                    )
                file_name = upload.filename or ""
                try:  # Litestar spooled the part to disk as it arrived: copy it, then free it
                    size = await asyncio.to_thread(_copy_upload, upload.file, path)
                finally:
                    await upload.close()
            else:
                size = await _save_body(request, path)
            if not size:
                raise _upload_error("文件为空", "the file is empty")
            summary = await importing.import_file(
                kind,
                path,
                actor=principal.username,
                fmt=file_format or _format_by_name(file_name),
                file_name=file_name,
                principal=principal,
            )
        finally:
            await asyncio.to_thread(path.unlink, True)
        return msgspec.convert(summary, ImportResult, from_attributes=True)

    @get("/{kind:str}/export", guards=[allow("rosters.export")])
    async def export_roster(
        self,
        kind: FromPath[str],
        file_format: Annotated[str, QueryParameter(name="format")] = "csv",
    ) -> File:
        """The roster as a file; cells a spreadsheet would run as formulas are neutralised.

        Written to a temporary file first (an XLSX is a zip, finished only at its
        end), streamed from there and removed once sent; a failed export removes
        it at once.
        """
        roster = importing.roster_kind(kind)
        if file_format not in FORMATS:
            raise unknown_format(file_format)
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

    @get("/imports", guards=[allow("rosters.export")])
    async def list_imports(self, limit: Limit = 50, offset: Offset = 0) -> Page[ImportOut]:
        limit = clamp_limit(limit)
        rows, total = await queries.list_imports(limit=limit, offset=offset)
        return page_of([ImportOut(**row) for row in rows], total, limit, offset)

    @get("/imports/{import_id:int}/changes", guards=[allow("rosters.export")])
    async def import_changes(
        self, import_id: FromPath[int], limit: Limit = 100, offset: Offset = 0
    ) -> Page[ChangeOut]:
        if await queries.import_by_id(import_id) is None:
            raise SuichaError(NOT_FOUND, what=f"导入记录{import_id}", what_en=f"Import {import_id}")
        limit = clamp_limit(limit)
        rows, total = await queries.import_changes(import_id, limit=limit, offset=offset)
        changes = [
            ChangeOut(
                kind=r["kind"], key=r["key"], action=r["action"], fields=json.loads(r["fields"])
            )
            for r in rows
        ]
        return page_of(changes, total, limit, offset)
