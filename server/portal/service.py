"""The public portal's reading rules: what may be searched, how rows are shown, open data.

Only what the national publicity system shows is published: the business,
检查实施机关, 类型, dates, plan, task and results per item. Inspectors are not
named, and nothing from the field record (answers, photos, findings) leaves
the back office.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import msgspec

from server.portal import errors, queries
from server.publication.review import publication_out
from server.publication.schemas import PublicationOut
from shared.errors import SuichaError
from shared.spreadsheet import neutralise

MIN_QUERY = 3
"""Trigram indexes match 3+ characters; shorter name parts would need a full scan."""
MAX_QUERY = 100
PAGE_LIMIT = 100
OPEN_DATA_LIMIT = 5000
HISTORY_LIMIT = 500
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")


class ResultCode(msgspec.Struct):
    code: str
    wording: str


class PublicResult(msgspec.Struct):
    """One published version of a task's result, as the portal lists it."""

    task_id: int
    version: int
    current: bool
    credit_code: str
    name: str
    authority: str
    kind: str
    inspected_on: date
    published_on: date
    plan_code: str
    plan_name: str
    results: list[ResultCode]
    url: str


class PortalPage(msgspec.Struct):
    items: list[PublicResult]
    limit: int
    offset: int
    more: bool


class PublishedTask(msgspec.Struct):
    """A task's result page: every published version, newest last."""

    task_id: int
    versions: list[PublicationOut]


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def public_result(row: dict[str, Any]) -> PublicResult:
    codes = [c for c in str(row["result_codes"]).split(",") if c]
    wordings = str(row["results_zh"]).split("；")
    return PublicResult(
        task_id=row["task"],
        version=row["version"],
        current=bool(row["current"]),
        credit_code=row["credit_code"],
        name=row["name"],
        authority=row["authority"],
        kind=row["kind"],
        inspected_on=_date(row["inspected_on"]),
        published_on=_date(row["published_on"]),
        plan_code=row["plan_code"],
        plan_name=row["plan_name"],
        results=[
            ResultCode(code, wordings[i] if i < len(wordings) else "")
            for i, code in enumerate(codes)
        ],
        url=f"/results/{row['task']}",
    )


def _page(rows: list[dict[str, Any]], limit: int, offset: int) -> PortalPage:
    return PortalPage(
        items=[public_result(r) for r in rows[:limit]],
        limit=limit,
        offset=offset,
        more=len(rows) > limit,
    )


def clamp(limit: int, maximum: int) -> int:
    return max(1, min(limit, maximum))


def normalise_query(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_QUERY:
        raise SuichaError(errors.QUERY_TOO_LONG, maximum=MAX_QUERY)
    return text


async def search(text: str, limit: int = 20, offset: int = 0) -> PortalPage:
    """Current published results by full credit code, or by a 3+ character part of the name."""
    text = normalise_query(text)
    limit = clamp(limit, PAGE_LIMIT)
    if CREDIT_CODE.fullmatch(text.upper()):
        return _page(await queries.search_credit_code(text.upper(), limit, offset), limit, offset)
    if len(text) < MIN_QUERY:
        raise SuichaError(errors.QUERY_TOO_SHORT, minimum=MIN_QUERY)
    return _page(await queries.search_name(text, limit, offset), limit, offset)


async def business_history(credit_code: str) -> list[PublicResult]:
    code = credit_code.strip().upper()
    if not CREDIT_CODE.fullmatch(code):
        raise SuichaError(errors.BAD_CREDIT_CODE, code=credit_code[:40])
    return [public_result(r) for r in await queries.history(code, HISTORY_LIMIT)]


async def latest(limit: int = 20) -> list[PublicResult]:
    return [public_result(r) for r in await queries.latest(clamp(limit, PAGE_LIMIT))]


async def published_task(task_id: int) -> PublishedTask:
    rows = await queries.publications_of_task(task_id)
    if not rows:
        raise SuichaError(errors.RESULT_NOT_FOUND, task_id=task_id)
    return PublishedTask(task_id=task_id, versions=[publication_out(r) for r in rows])


async def open_data(
    *,
    start: date | None,
    end: date | None,
    department: str | None,
    plan: str | None,
    limit: int,
    offset: int,
) -> PortalPage:
    if start is not None and end is not None and start > end:
        raise SuichaError(errors.BAD_DATE_RANGE, start=start.isoformat(), end=end.isoformat())
    limit = clamp(limit, OPEN_DATA_LIMIT)
    rows = await queries.open_data(
        start=start, end=end, department=department, plan=plan, limit=limit, offset=offset
    )
    return _page(rows, limit, offset)


CSV_HEADER = (
    "抽查任务编号",
    "公示版本",
    "是否现行版本",
    "统一社会信用代码",
    "企业名称",
    "检查实施机关",
    "类型",
    "抽查完成日期",
    "公示日期",
    "抽查计划编号",
    "抽查计划名称",
    "检查结果代码",
    "检查结果",
)


def open_data_csv(page: PortalPage) -> str:
    """The page as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r in page.items:
        writer.writerow(
            [
                r.task_id,
                r.version,
                "是" if r.current else "否",
                r.credit_code,
                neutralise(r.name),
                neutralise(r.authority),
                r.kind,
                r.inspected_on.isoformat(),
                r.published_on.isoformat(),
                neutralise(r.plan_code),
                neutralise(r.plan_name),
                " ".join(c.code for c in r.results),
                neutralise("；".join(c.wording for c in r.results)),
            ]
        )
    return out.getvalue()
