"""Every query of the public portal, over the searchable publication rows (`public_entry`).

Every query is one statement through `server.db.reader` (on SQLite a kept-open read-only
connection instead of Piccolo's new connection per query). Name search uses the full-text
index of each engine: an FTS5 trigram table on SQLite, a pg_trgm GIN index on PostgreSQL
(both match any 3+ character part of a Chinese name). Pages are read one row past the
limit to say whether more follow, instead of counting every match. The SQL of each query
is a function of its own, so bench/portal_search_bench.py times the same text bare.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from server.db import reader
from server.publication.tables import Publication, PublicEntry

COLUMNS = (
    "e.id, e.task, e.version, e.current, e.credit_code, e.name, e.authority, "
    "e.department_code, e.plan_code, e.plan_name, e.kind, e.inspected_on, e.published_on, "
    "e.result_codes, e.results_zh"
)


def _postgres() -> bool:
    return isinstance(PublicEntry._meta.db, PostgresEngine)


def fts_phrase(text: str) -> str:
    """`text` as one FTS5 phrase (quotes doubled): no operator in it is interpreted."""
    return '"' + text.replace('"', '""') + '"'


def like_pattern(text: str) -> str:
    """`text` as a LIKE substring pattern with its own % _ \\ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def name_search_sql(limit: int, offset: int) -> str:
    """The portal's name search: current versions, newest first, one page (+1 row).

    Newest first is by row id (rows are added as results are published), which
    both indexes can deliver in order and stop after one page, instead of
    sorting every match of a common term.
    """
    if _postgres():
        return (
            f"SELECT {COLUMNS} FROM public_entry e "
            "WHERE e.name LIKE {} ESCAPE '\\' AND e.current "
            f"ORDER BY e.id DESC LIMIT {limit + 1} OFFSET {offset}"
        )
    return (
        f"SELECT {COLUMNS} FROM public_entry_fts JOIN public_entry e "
        "ON e.id = public_entry_fts.rowid "
        "WHERE public_entry_fts MATCH {} AND e.current "
        f"ORDER BY public_entry_fts.rowid DESC LIMIT {limit + 1} OFFSET {offset}"
    )


async def search_name(text: str, limit: int, offset: int) -> list[dict[str, Any]]:
    term = like_pattern(text) if _postgres() else fts_phrase(text)
    return await reader.fetch(PublicEntry.raw(name_search_sql(limit, offset), term))


def credit_code_sql(limit: int, offset: int) -> str:
    return (
        f"SELECT {COLUMNS} FROM public_entry e WHERE e.credit_code = {{}} AND e.current "
        f"ORDER BY e.id DESC LIMIT {limit + 1} OFFSET {offset}"
    )


async def search_credit_code(code: str, limit: int, offset: int) -> list[dict[str, Any]]:
    return await reader.fetch(PublicEntry.raw(credit_code_sql(limit, offset), code))


def history_sql(limit: int) -> str:
    return (
        f"SELECT {COLUMNS} FROM public_entry e WHERE e.credit_code = {{}} "
        f"ORDER BY e.published_on DESC, e.task DESC, e.version DESC LIMIT {limit}"
    )


async def history(credit_code: str, limit: int) -> list[dict[str, Any]]:
    """Every published version about one business, newest first."""
    return await reader.fetch(PublicEntry.raw(history_sql(limit), credit_code))


def latest_sql(limit: int) -> str:
    return f"SELECT {COLUMNS} FROM public_entry e WHERE e.current ORDER BY e.id DESC LIMIT {limit}"


async def latest(limit: int) -> list[dict[str, Any]]:
    return await reader.fetch(PublicEntry.raw(latest_sql(limit)))


async def publications_of_task(task_id: int) -> list[dict[str, Any]]:
    return await reader.fetch(
        Publication.select().where(Publication.task == task_id).order_by(Publication.version)
    )


def open_data_sql(
    *,
    start: date | None,
    end: date | None,
    department: str | None,
    plan: str | None,
    limit: int,
    offset: int,
) -> tuple[str, list[Any]]:
    """Every published version (current or corrected), oldest first: a stable paging order."""
    conditions: list[str] = []
    args: list[Any] = []
    if start is not None:
        conditions.append("e.published_on >= {}")
        args.append(start)
    if end is not None:
        conditions.append("e.published_on <= {}")
        args.append(end)
    if department:
        conditions.append("e.department_code = {}")
        args.append(department)
    if plan:
        conditions.append("e.plan_code = {}")
        args.append(plan)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return (
        f"SELECT {COLUMNS} FROM public_entry e {where} ORDER BY e.id "
        f"LIMIT {limit + 1} OFFSET {offset}",
        args,
    )


async def open_data(
    *,
    start: date | None,
    end: date | None,
    department: str | None,
    plan: str | None,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    sql, args = open_data_sql(
        start=start, end=end, department=department, plan=plan, limit=limit, offset=offset
    )
    return await reader.fetch(PublicEntry.raw(sql, *args))
