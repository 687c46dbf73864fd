"""Every query over the rosters (departments, items, inspectors, objects, imports)."""

from __future__ import annotations

import json
import operator
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.methods.select import Select

from server.db import reader
from server.rosters.tables import (
    Department,
    InspectionItem,
    InspectionObject,
    Inspector,
    RiskClass,
    RosterChange,
    RosterImport,
)

_IN_CHUNK = 500
"""Keys per `IN (…)` query: well under SQLite's bound-variable limit."""


# --- departments --------------------------------------------------------------------------


async def department_by_code(code: str) -> dict[str, Any] | None:
    return await Department.select().where(Department.code == code).first()


async def department_by_id(department_id: int) -> dict[str, Any] | None:
    return await Department.select().where(Department.id == department_id).first()


def _department_columns() -> tuple[Any, ...]:
    return (*Department.all_columns(), Department.parent.code.as_alias("parent_code"))


async def department_with_parent(code: str) -> dict[str, Any] | None:
    return await Department.select(*_department_columns()).where(Department.code == code).first()


async def list_departments(*, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    rows = (
        await Department.select(*_department_columns())
        .order_by(Department.code)
        .limit(limit)
        .offset(offset)
    )
    return rows, await Department.count()


async def department_codes() -> dict[str, int]:
    rows = await Department.select(Department.code, Department.id)
    return {row["code"]: row["id"] for row in rows}


async def insert_department(**values: Any) -> int:
    rows = await Department.insert(Department(**values)).returning(Department.id)
    return rows[0]["id"]


async def update_department(department_id: int, values: dict[str, Any]) -> None:
    await Department.update(values).where(Department.id == department_id)


# --- risk classes -------------------------------------------------------------------------


async def list_risk_classes() -> list[dict[str, Any]]:
    return await RiskClass.select().order_by(RiskClass.rank).order_by(RiskClass.code)


async def risk_class_by_code(code: str) -> dict[str, Any] | None:
    return await RiskClass.select().where(RiskClass.code == code).first()


async def insert_risk_class(code: str, name: str, rank: int) -> None:
    await RiskClass.insert(RiskClass(code=code, name=name, rank=rank))


async def update_risk_class(code: str, values: dict[str, Any]) -> None:
    await RiskClass.update(values).where(RiskClass.code == code)


async def delete_risk_class(code: str) -> None:
    await RiskClass.delete().where(RiskClass.code == code)


async def objects_with_risk_class(code: str) -> int:
    return await InspectionObject.count().where(InspectionObject.risk_class == code)


# --- inspection items ---------------------------------------------------------------------


def _item_select() -> Select:
    return InspectionItem.select(
        *InspectionItem.all_columns(), InspectionItem.department.code.as_alias("department_code")
    ).output(load_json=True)


async def item_by_code(code: str) -> dict[str, Any] | None:
    return await _item_select().where(InspectionItem.code == code).first()


async def list_items(
    *, department_id: int | None, active: bool | None, q: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    conditions: list[Any] = []
    if department_id is not None:
        conditions.append(InspectionItem.department == department_id)
    if active is not None:
        conditions.append(InspectionItem.active == active)
    if q:
        conditions.append(
            _contains(InspectionItem._meta.tablename, "name", q)
            | (InspectionItem.code == q.strip())
        )
    rows = (
        await _item_select()
        .where(*conditions)
        .order_by(InspectionItem.code)
        .limit(limit)
        .offset(offset)
    )
    return rows, await InspectionItem.count().where(*conditions)


async def all_items() -> list[dict[str, Any]]:
    return await _item_select().order_by(InspectionItem.code)


async def insert_item(**values: Any) -> None:
    await InspectionItem.insert(InspectionItem(**_dump_json(values)))


async def update_item(code: str, values: dict[str, Any]) -> None:
    await InspectionItem.update(_dump_json(values)).where(InspectionItem.code == code)


# --- inspectors ---------------------------------------------------------------------------


async def inspector_by_badge(badge_no: str) -> dict[str, Any] | None:
    return await Inspector.select().where(Inspector.badge_no == badge_no).first()


def _inspector_select() -> Select:
    return Inspector.select(
        *Inspector.all_columns(), Inspector.department.code.as_alias("department_code")
    ).output(load_json=True)


async def inspector_detail(badge_no: str) -> dict[str, Any] | None:
    return await _inspector_select().where(Inspector.badge_no == badge_no).first()


async def list_inspectors(
    *,
    department_id: int | None,
    status: str | None,
    qualification: str | None,
    q: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    conditions: list[Any] = []
    table = Inspector._meta.tablename
    if department_id is not None:
        conditions.append(Inspector.department == department_id)
    if status:
        conditions.append(Inspector.status == status)
    if qualification:
        conditions.append(_json_list_has(table, "qualifications", qualification))
    if q:
        conditions.append(_contains(table, "name", q) | (Inspector.badge_no == q.strip()))
    rows = (
        await _inspector_select()
        .where(*conditions)
        .order_by(Inspector.badge_no)
        .limit(limit)
        .offset(offset)
    )
    return rows, await Inspector.count().where(*conditions)


async def all_inspectors() -> list[dict[str, Any]]:
    return await _inspector_select().order_by(Inspector.badge_no)


async def insert_inspector(**values: Any) -> None:
    await Inspector.insert(Inspector(**_dump_json(values)))


async def update_inspector(badge_no: str, values: dict[str, Any]) -> None:
    await Inspector.update(_dump_json(values)).where(Inspector.badge_no == badge_no)


# --- inspection objects -------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectFilter:
    """Filters of the object list; a tag names a sub-roster (子名录)."""

    risk_class: str | None = None
    industry: str | None = None
    """Industry code prefix: "F" is a whole section, "F52" a division."""
    region: str | None = None
    """Region code prefix: "2303" is a city with its districts."""
    tag: str | None = None
    licence: str | None = None
    status: str | None = None
    abnormal: bool | None = None
    q: str | None = None
    """Part of the name, or the start of the credit code."""


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(table: str, column: str, text: str) -> WhereRaw:
    # LOWER(..) LIKE LOWER(..) behaves alike on both engines (SQLite's LIKE is
    # case-insensitive for ASCII only, PostgreSQL's is case-sensitive).
    pattern = f"%{_escape_like(text.strip())}%"
    return WhereRaw(f'LOWER("{table}"."{column}") LIKE LOWER({{}}) ESCAPE \'\\\'', pattern)


def _json_list_has(table: str, column: str, value: str) -> WhereRaw:
    """Whether a JSON array column holds `value` exactly.

    Lists are stored as compact JSON text, so an entry appears as `"value"`
    with its quotes; a LIKE on that quoted form matches whole entries only
    and works the same on SQLite and PostgreSQL (no JSON operators needed).
    """
    quoted = json.dumps(value.strip(), ensure_ascii=False)
    return WhereRaw(
        f'CAST("{table}"."{column}" AS TEXT) LIKE {{}} ESCAPE \'\\\'',
        f"%{_escape_like(quoted)}%",
    )


def _prefix(column: Any, prefix: str) -> Any:
    # A range instead of LIKE 'x%': both engines use the B-tree index for it.
    prefix = prefix.strip()
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)


def _object_conditions(filters: ObjectFilter) -> list[Any]:
    table = InspectionObject._meta.tablename
    conditions: list[Any] = []
    if filters.risk_class:
        conditions.append(InspectionObject.risk_class == filters.risk_class)
    if filters.industry:
        conditions.append(_prefix(InspectionObject.industry_code, filters.industry.upper()))
    if filters.region:
        conditions.append(_prefix(InspectionObject.region, filters.region))
    if filters.status:
        conditions.append(InspectionObject.status == filters.status)
    if filters.abnormal is not None:
        conditions.append(InspectionObject.abnormal == filters.abnormal)
    if filters.tag:
        conditions.append(_json_list_has(table, "tags", filters.tag))
    if filters.licence:
        conditions.append(_json_list_has(table, "licences", filters.licence))
    if filters.q and filters.q.strip():
        conditions.append(
            _contains(table, "name", filters.q)
            | _prefix(InspectionObject.credit_code, filters.q.upper())
        )
    return conditions


def sub_roster_conditions(scope: Mapping[str, Sequence[str]]) -> list[Any]:
    """SQL narrowing objects to a plan's saved scope (a sub-roster, 子名录).

    Each key holds alternatives (any of them matches). The conditions select a
    superset of `server.plans.rules.matches_scope`, which stays the definition
    and is applied to the rows afterwards; pushing the filters into SQL keeps a
    draw over a million-object roster from loading every row.
    """
    table = InspectionObject._meta.tablename
    conditions: list[Any] = []
    if scope.get("risk_classes"):
        conditions.append(InspectionObject.risk_class.is_in(list(scope["risk_classes"])))
    if scope.get("kinds"):
        conditions.append(InspectionObject.kind.is_in(list(scope["kinds"])))
    alternatives = {
        "industry_codes": lambda c: _prefix(InspectionObject.industry_code, c.upper()),
        "regions": lambda r: _prefix(InspectionObject.region, r),
        "tags": lambda t: _json_list_has(table, "tags", t),
    }
    for key, condition in alternatives.items():
        values = [v for v in scope.get(key) or [] if v.strip()]
        if values:
            conditions.append(reduce(operator.or_, (condition(v) for v in values)))
    return conditions


async def list_objects(
    filters: ObjectFilter, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    conditions = _object_conditions(filters)
    rows = (
        await InspectionObject.select()
        .where(*conditions)
        .order_by(InspectionObject.id)
        .limit(limit)
        .offset(offset)
    )
    return rows, await InspectionObject.count().where(*conditions)


async def objects_after(
    filters: ObjectFilter, *, after_id: int, limit: int
) -> list[dict[str, Any]]:
    """One keyset page of the object list: the first `limit` matches with an id above
    `after_id`, in id order. No total: counting a million rows costs more than the page,
    and an offset makes the database walk every row before it."""
    return await reader.fetch(
        InspectionObject.select()
        .where(*_object_conditions(filters), InspectionObject.id > after_id)
        .order_by(InspectionObject.id)
        .limit(limit)
    )


async def object_by_code(credit_code: str) -> dict[str, Any] | None:
    return (
        await InspectionObject.select().where(InspectionObject.credit_code == credit_code).first()
    )


async def insert_object(**values: Any) -> None:
    await InspectionObject.insert(InspectionObject(**values))


async def update_object(credit_code: str, values: dict[str, Any]) -> None:
    await InspectionObject.update(values).where(InspectionObject.credit_code == credit_code)


async def object_keys() -> set[str]:
    rows = await InspectionObject.select(InspectionObject.credit_code).output(as_list=True)
    return set(rows)


async def object_count() -> int:
    return await InspectionObject.count()


async def objects_by_codes(
    codes: Iterable[str], columns: tuple[str, ...]
) -> AsyncIterator[dict[str, Any]]:
    """The stored objects among `codes`, chunk by chunk."""
    chunk: list[str] = []
    selected = [InspectionObject._meta.get_column_by_name(name) for name in columns]
    for code in codes:
        chunk.append(code)
        if len(chunk) == _IN_CHUNK:
            for row in await InspectionObject.select(*selected).where(
                InspectionObject.credit_code.is_in(chunk)
            ):
                yield row
            chunk = []
    if chunk:
        for row in await InspectionObject.select(*selected).where(
            InspectionObject.credit_code.is_in(chunk)
        ):
            yield row


async def all_objects(
    columns: tuple[str, ...], batch: int = 20_000
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every object in id order, in batches (keyset paging: no growing OFFSET)."""
    selected = [InspectionObject._meta.get_column_by_name(name) for name in columns]
    last_id = 0
    while True:
        rows = (
            await InspectionObject.select(InspectionObject.id, *selected)
            .where(InspectionObject.id > last_id)
            .order_by(InspectionObject.id)
            .limit(batch)
        )
        if not rows:
            return
        yield rows
        last_id = rows[-1]["id"]


# --- imports ------------------------------------------------------------------------------


async def insert_import(**values: Any) -> int:
    rows = await RosterImport.insert(RosterImport(**values)).returning(RosterImport.id)
    return rows[0]["id"]


async def import_by_id(import_id: int) -> dict[str, Any] | None:
    return await RosterImport.select().where(RosterImport.id == import_id).first()


async def list_imports(*, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    rows = (
        await RosterImport.select()
        .order_by(RosterImport.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return rows, await RosterImport.count()


async def import_changes(
    import_id: int, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    rows = (
        await RosterChange.select()
        .where(RosterChange.roster_import == import_id)
        .order_by(RosterChange.id)
        .limit(limit)
        .offset(offset)
    )
    return rows, await RosterChange.count().where(RosterChange.roster_import == import_id)


CHANGE_COLUMNS = ("roster_import", "kind", "key", "action", "fields")
CHANGE_TABLE: str = RosterChange._meta.tablename


def _dump_json(values: dict[str, Any]) -> dict[str, Any]:
    """JSON columns get their text form, so both engines store the same thing."""
    return {
        name: json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
        for name, value in values.items()
    }


async def set_import_digest(import_id: int, digest: str) -> None:
    await RosterImport.update({RosterImport.changes_digest: digest}).where(
        RosterImport.id == import_id
    )
