"""Roster rules: create, update and change the status of departments, risk classes,
items, inspectors and objects — each change inside one write transaction with
its audit entry. Department scope: a team lead changes only their own
department's items and inspectors (`auth.forbidden_department`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.rosters import queries, rules
from server.rosters.columns import INSPECTORS, ITEMS, OBJECTS, Lookups, RosterKind
from server.rosters.errors import (
    ALREADY_EXISTS,
    FIELD_INVALID,
    RISK_CLASS_IN_USE,
    STATUS_FORBIDDEN,
)
from server.rosters.records import changes_between, db_values, display, stored_record
from server.rosters.rules import FieldProblem
from server.settings import get_settings
from shared.errors import NOT_FOUND, SuichaError

DEFAULT_RISK_CLASSES: tuple[tuple[str, str, int], ...] = (
    ("A", "A类（低风险）", 1),
    ("B", "B类（一般风险）", 2),
    ("C", "C类（较高风险）", 3),
    ("D", "D类（高风险）", 4),
)
"""Seeded on first use when no class is configured (national A/B/C/D scheme)."""


_FIELD_WORDS = {
    "code": "编码",
    "name": "名称",
    "rank": "排序",
    "level": "级别",
    "region": "行政区划",
    "parent": "上级部门",
}
"""Chinese names of department and risk-class fields (roster fields use their column's)."""


def _invalid(problems: list[dict[str, Any]], kind: RosterKind | None = None) -> SuichaError:
    first = problems[0]
    name = first["field"]
    if kind is not None and name in kind.fields:
        field_zh = kind.column(name).zh
    else:
        field_zh = _FIELD_WORDS.get(name, name)
    return SuichaError(
        FIELD_INVALID,
        extra={"errors": problems},
        field=name,
        field_zh=field_zh,
        reason=first["reason"]["zh"],
        reason_en=first["reason"]["en"],
    )


def _problem(field: str, problem: FieldProblem) -> dict[str, Any]:
    return {"field": field, "code": problem.code, "reason": {"zh": problem.zh, "en": problem.en}}


def _not_found(what: str, what_en: str) -> SuichaError:
    return SuichaError(NOT_FOUND, what=what, what_en=what_en)


# --- risk classes -------------------------------------------------------------------------


async def ensure_risk_classes() -> None:
    """Seed the default A/B/C/D classes if none is configured (documented in data-model.md)."""
    if await queries.list_risk_classes():
        return
    async with write_transaction():
        if await queries.list_risk_classes():
            return
        for code, name, rank in DEFAULT_RISK_CLASSES:
            await queries.insert_risk_class(code, name, rank)
        await audit(
            actor="system",
            action="risk_class.seed",
            entity="risk_class",
            change={"classes": [code for code, _, _ in DEFAULT_RISK_CLASSES]},
        )


async def risk_classes() -> list[dict[str, Any]]:
    await ensure_risk_classes()
    return await queries.list_risk_classes()


async def risk_class_codes() -> list[str]:
    return [row["code"] for row in await risk_classes()]


def _risk_class_values(data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for name, rule in (
        ("name", lambda v: rules.text(v, max_length=100, required=True)),
        ("rank", lambda v: rules.count(v)),
    ):
        if name not in data:
            if not partial and name == "name":
                problems.append(
                    _problem(name, FieldProblem("rosters.required", "不能为空", "is required"))
                )
            continue
        try:
            values[name] = rule(data[name])
        except FieldProblem as problem:
            problems.append(_problem(name, problem))
    if problems:
        raise _invalid(problems)
    return values


async def create_risk_class(principal: Principal, data: Mapping[str, Any]) -> dict[str, Any]:
    await ensure_risk_classes()
    try:
        code = rules.code(data.get("code"), max_length=16).upper()
    except FieldProblem as problem:
        raise _invalid([_problem("code", problem)]) from None
    values = _risk_class_values(data, partial=False)
    async with write_transaction():
        if await queries.risk_class_by_code(code):
            raise SuichaError(
                ALREADY_EXISTS, what=f"风险分类“{code}”", what_en=f"Risk class {code}"
            )
        await queries.insert_risk_class(code, values["name"], values.get("rank", 0))
        await audit(
            actor=principal.username,
            action="risk_class.create",
            entity="risk_class",
            entity_id=code,
            change=values,
        )
    row = await queries.risk_class_by_code(code)
    assert row is not None
    return row


async def update_risk_class(
    principal: Principal, code: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    values = _risk_class_values(data, partial=True)
    async with write_transaction():
        old = await queries.risk_class_by_code(code)
        if old is None:
            raise _not_found(f"风险分类“{code}”", f"Risk class {code}")
        changes = {k: [old[k], v] for k, v in values.items() if old[k] != v}
        if changes:
            await queries.update_risk_class(code, {k: v[1] for k, v in changes.items()})
            await audit(
                actor=principal.username,
                action="risk_class.update",
                entity="risk_class",
                entity_id=code,
                change=changes,
            )
    row = await queries.risk_class_by_code(code)
    assert row is not None
    return row


async def delete_risk_class(principal: Principal, code: str) -> None:
    async with write_transaction():
        if await queries.risk_class_by_code(code) is None:
            raise _not_found(f"风险分类“{code}”", f"Risk class {code}")
        used = await queries.objects_with_risk_class(code)
        if used:
            raise SuichaError(RISK_CLASS_IN_USE, code=code, count=used)
        await queries.delete_risk_class(code)
        await audit(
            actor=principal.username,
            action="risk_class.delete",
            entity="risk_class",
            entity_id=code,
        )


# --- departments --------------------------------------------------------------------------

_DEPARTMENT_RULES = {
    "name": lambda v: rules.text(v, max_length=200, required=True),
    "level": lambda v: rules.choice(v, rules.DEPARTMENT_LEVELS, default="city"),
    "region": rules.region,
    "parent": lambda v: None if v in (None, "") else rules.code(v, max_length=32),
}


async def _department_values(data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    unknown = set(data) - set(_DEPARTMENT_RULES) - {"code"}
    for name in sorted(unknown):
        problems.append(
            _problem(name, FieldProblem("rosters.field_unknown", "未知字段", "unknown field"))
        )
    for name, rule in _DEPARTMENT_RULES.items():
        if name not in data and partial:
            continue
        try:
            values[name] = rule(data.get(name))
        except FieldProblem as problem:
            problems.append(_problem(name, problem))
    if problems:
        raise _invalid(problems)
    if values.get("parent"):
        parent = await queries.department_by_code(values["parent"])
        if parent is None:
            raise _not_found(
                f"上级部门“{values['parent']}”", f"Parent department {values['parent']}"
            )
        values["parent"] = parent["id"]
    return values


async def create_department(principal: Principal, data: Mapping[str, Any]) -> dict[str, Any]:
    try:
        code = rules.code(data.get("code"), max_length=32)
    except FieldProblem as problem:
        raise _invalid([_problem("code", problem)]) from None
    values = await _department_values(data, partial=False)
    async with write_transaction():
        if await queries.department_by_code(code):
            raise SuichaError(ALREADY_EXISTS, what=f"部门“{code}”", what_en=f"Department {code}")
        await queries.insert_department(code=code, **values)
        await audit(
            actor=principal.username,
            action="department.create",
            entity="department",
            entity_id=code,
            change={**values, "parent": data.get("parent") or None},
        )
    return await department(code)


async def update_department(
    principal: Principal, code: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    values = await _department_values(data, partial=True)
    async with write_transaction():
        old = await queries.department_by_code(code)
        if old is None:
            raise _not_found(f"部门“{code}”", f"Department {code}")
        if values.get("parent") == old["id"]:
            raise _invalid(
                [
                    _problem(
                        "parent",
                        FieldProblem(
                            "rosters.parent_self", "不能是自己的上级", "cannot be its own parent"
                        ),
                    )
                ]
            )
        changes = {k: [old[k], v] for k, v in values.items() if old[k] != v}
        if changes:
            await queries.update_department(old["id"], {k: v[1] for k, v in changes.items()})
            await audit(
                actor=principal.username,
                action="department.update",
                entity="department",
                entity_id=code,
                change=changes,
            )
    return await department(code)


async def department(code: str) -> dict[str, Any]:
    row = await queries.department_with_parent(code)
    if row is None:
        raise _not_found(f"部门“{code}”", f"Department {code}")
    return row


# --- items, inspectors, objects: one validation path with the importer -------------------


async def lookups() -> Lookups:
    return Lookups(
        risk_classes=frozenset(await risk_class_codes()),
        departments=await queries.department_codes(),
    )


def validate_record(
    kind: RosterKind,
    data: Mapping[str, Any],
    lookups: Lookups,
    base: tuple[Any, ...] | None = None,
) -> tuple[Any, ...]:
    """A record from API data, by the same column rules as a file row.

    With `base` (an update) absent fields keep their stored values and the key
    cannot change; without, absent fields take their defaults.
    """
    problems: list[dict[str, Any]] = []
    for name in sorted(set(data) - set(kind.fields)):
        problems.append(
            _problem(name, FieldProblem("rosters.field_unknown", "未知字段", "unknown field"))
        )
    values: list[Any] = []
    for position, column in enumerate(kind.columns):
        if base is not None and column.field not in data:
            values.append(base[position])
            continue
        try:
            values.append(column.parse(data.get(column.field), lookups))  # type: ignore[arg-type]
        except FieldProblem as problem:
            problems.append(_problem(column.field, problem))
            values.append(None)
    if base is not None and values[0] is not None and values[0] != base[0]:
        problems.append(
            _problem(
                kind.key,
                FieldProblem("rosters.key_fixed", "不能修改编码", "the key cannot change"),
            )
        )
    if not problems and kind.cross_check is not None:
        named = dict(zip(kind.fields, values, strict=True))
        problems.extend(_problem(name, problem) for name, problem in kind.cross_check(named))
    if problems:
        raise _invalid(problems, kind)
    return tuple(values)


# --- registration status (登记状态): who may change it -----------------------------------

_STATUS = OBJECTS.fields.index("status")
NEW_OBJECT_STATUS = "active"


def may_change_registration(principal: Principal | None) -> bool:
    """Whether the caller may change a business's registration status (存续/注销/吊销).

    A deregistered or revoked business leaves every later draw, so only those
    who keep the register decide it: admins and the staff of the registration
    departments (`RosterSettings.registration_departments`, SCJG by default).
    `None` is the server's own command line (`suicha import`), run by an operator.
    """
    if principal is None or principal.is_admin:
        return True
    return principal.department_code in get_settings().rosters.registration_departments


def status_forbidden(extra: dict[str, Any] | None = None) -> SuichaError:
    return SuichaError(
        STATUS_FORBIDDEN,
        extra=extra,
        departments="、".join(get_settings().rosters.registration_departments) or "-",
    )


def _check_status(principal: Principal, old: tuple[Any, ...] | None, new: tuple[Any, ...]) -> None:
    was = NEW_OBJECT_STATUS if old is None else old[_STATUS]
    if new[_STATUS] != was and not may_change_registration(principal):
        raise status_forbidden()


def _check_department(principal: Principal, codes: set[str], lookups: Lookups) -> None:
    for code in sorted(codes):
        principal.require_department(lookups.departments[code], code)


_KIND_WORDS = {
    "objects": ("检查对象", "Inspection object", "object"),
    "inspectors": ("检查人员", "Inspector", "inspector"),
    "items": ("抽查事项", "Inspection item", "item"),
}


async def _stored_row(kind: RosterKind, key: str) -> dict[str, Any] | None:
    if kind is OBJECTS:
        return await queries.object_by_code(key)
    if kind is INSPECTORS:
        return await queries.inspector_detail(key)
    return await queries.item_by_code(key)


async def _insert(kind: RosterKind, values: dict[str, Any]) -> None:
    if kind is OBJECTS:
        await queries.insert_object(**values, updated_at=datetime.now(UTC))
    elif kind is INSPECTORS:
        await queries.insert_inspector(**values)
    else:
        await queries.insert_item(**values)


async def _update(kind: RosterKind, key: str, values: dict[str, Any]) -> None:
    if kind is OBJECTS:
        await queries.update_object(key, {**values, "updated_at": datetime.now(UTC)})
    elif kind is INSPECTORS:
        await queries.update_inspector(key, values)
    else:
        await queries.update_item(key, values)


def present(kind: RosterKind, row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as the API shows it."""
    record = stored_record(kind, row)
    shown = {
        name: display(kind, name, value) for name, value in zip(kind.fields, record, strict=True)
    }
    if kind is OBJECTS:
        shown["updated_at"] = row["updated_at"]
    return shown


def canonical_key(kind: RosterKind, key: str) -> str:
    """Credit codes in a path may be typed in lower case or full width."""
    if kind is OBJECTS:
        try:
            return rules.credit_code(key)
        except FieldProblem:
            return key
    return key


async def get_record(kind: RosterKind, key: str) -> dict[str, Any]:
    key = canonical_key(kind, key)
    row = await _stored_row(kind, key)
    if row is None:
        zh, en, _ = _KIND_WORDS[kind.name]
        raise _not_found(f"{zh}“{key}”", f"{en} {key}")
    return present(kind, row)


async def create_record(
    principal: Principal, kind: RosterKind, data: Mapping[str, Any]
) -> dict[str, Any]:
    known = await lookups()
    record = validate_record(kind, data, known)
    if "department" in kind.fields:
        _check_department(principal, {record[kind.fields.index("department")]}, known)
    if kind is OBJECTS:
        _check_status(principal, None, record)
    key = record[0]
    zh, en, entity = _KIND_WORDS[kind.name]
    async with write_transaction():
        if await _stored_row(kind, key) is not None:
            raise SuichaError(ALREADY_EXISTS, what=f"{zh}“{key}”", what_en=f"{en} {key}")
        await _insert(kind, db_values(kind, record, known))
        await audit(
            actor=principal.username,
            action=f"{entity}.create",
            entity=entity,
            entity_id=key,
            change={
                name: display(kind, name, v) for name, v in zip(kind.fields, record, strict=True)
            },
        )
    return await get_record(kind, key)


async def update_record(
    principal: Principal, kind: RosterKind, key: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Change some fields (a status change is an update of `status`/`active`)."""
    known = await lookups()
    key = canonical_key(kind, key)
    zh, en, entity = _KIND_WORDS[kind.name]
    async with write_transaction():
        row = await _stored_row(kind, key)
        if row is None:
            raise _not_found(f"{zh}“{key}”", f"{en} {key}")
        old = stored_record(kind, row)
        record = validate_record(kind, data, known, base=old)
        if "department" in kind.fields:
            position = kind.fields.index("department")
            _check_department(principal, {old[position], record[position]}, known)
        if kind is OBJECTS:
            _check_status(principal, old, record)
        changes = changes_between(kind, old, record)
        if changes:
            await _update(kind, key, db_values(kind, record, known, changes))
            await audit(
                actor=principal.username,
                action=f"{entity}.update",
                entity=entity,
                entity_id=key,
                change=changes,
            )
    return await get_record(kind, key)


KIND_BY_NAME: dict[str, RosterKind] = {"objects": OBJECTS, "inspectors": INSPECTORS, "items": ITEMS}
