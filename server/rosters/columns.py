"""The file layout of each roster: columns, their headers, and cell ⇄ value conversion.

Headers are Chinese first; the English field name is accepted too (case and
surrounding spaces ignored). A record is a tuple of canonical values in the
kind's `fields` order — for objects exactly `bulk.OBJECT_COLUMNS` without
`updated_at`, so validated rows go straight to the bulk writer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from server.rosters import rules
from server.rosters.rules import FieldProblem


@dataclass(frozen=True)
class Lookups:
    """What validation needs from the database, loaded once per import."""

    risk_classes: frozenset[str] = frozenset()
    departments: Mapping[str, int] = field(default_factory=dict)
    """Department code → id."""


Parser = Callable[[str, Lookups], Any]
Formatter = Callable[[Any], str]


@dataclass(frozen=True)
class Column:
    field: str
    zh: str
    parse: Parser
    format: Formatter = str
    required: bool = False
    """The column must be in the file (key and name columns)."""


@dataclass(frozen=True)
class RosterKind:
    name: str
    """objects / inspectors / items (the URL and CLI word)."""
    zh: str
    columns: tuple[Column, ...]
    cross_check: Callable[[dict[str, Any]], list[tuple[str, FieldProblem]]] | None = None
    """Rules between fields of one row: [(field, problem)]."""

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns)

    @property
    def key(self) -> str:
        return self.columns[0].field

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


def _text(max_length: int, *, required: bool = False, multiline: bool = False) -> Parser:
    return rules.text_rule(max_length=max_length, required=required, multiline=multiline)


def _bool_cell(value: bool) -> str:
    return "是" if value else "否"


def _list_cell(values: list[str]) -> str:
    return ";".join(values)


def _json_list_cell(text: str) -> str:
    return ";".join(json.loads(text))


def _risk_class(value: str, lookups: Lookups) -> str:
    code = rules.text(value, max_length=16, required=True).upper()
    if code not in lookups.risk_classes:
        known = sorted(lookups.risk_classes)
        raise FieldProblem(
            "rosters.risk_class_unknown",
            f"风险分类“{code}”未配置，已配置：{'、'.join(f'“{c}”' for c in known)}",
            f"risk class {code!r} is not configured (configured: {', '.join(known)})",
        )
    return code


def _department(value: str, lookups: Lookups) -> str:
    code = rules.code(value, max_length=32)
    if code not in lookups.departments:
        raise FieldProblem(
            "rosters.department_unknown",
            f"部门“{code}”不存在",
            f"department {code!r} does not exist",
        )
    return code


OBJECTS = RosterKind(
    name="objects",
    zh="检查对象名录库",
    columns=(
        Column("credit_code", "统一社会信用代码", lambda v, _: rules.credit_code(v), required=True),
        Column("name", "名称", _text(300, required=True), required=True),
        Column(
            "kind", "类型", lambda v, _: rules.choice(v, rules.OBJECT_KINDS, default="enterprise")
        ),
        Column("industry_code", "行业代码", lambda v, _: rules.industry_code(v)),
        Column(
            "licences",
            "许可证",
            lambda v, _: rules.json_list_text(rules.string_list(v)),
            _json_list_cell,
        ),
        Column("region", "行政区划", lambda v, _: rules.region(v)),
        Column("address", "地址", _text(300)),
        Column("risk_class", "风险分类", _risk_class, required=True),
        Column(
            "status", "状态", lambda v, _: rules.choice(v, rules.OBJECT_STATUSES, default="active")
        ),
        Column("abnormal", "经营异常", lambda v, _: rules.boolean(v), _bool_cell),
        Column("complaints", "投诉数", lambda v, _: rules.count(v)),
        Column(
            "tags",
            "标签",
            lambda v, _: rules.json_list_text(rules.string_list(v)),
            _json_list_cell,
        ),
    ),
)

INSPECTORS = RosterKind(
    name="inspectors",
    zh="执法检查人员名录库",
    columns=(
        Column("badge_no", "执法证号", lambda v, _: rules.code(v, max_length=32), required=True),
        Column("name", "姓名", _text(100, required=True), required=True),
        Column("department", "部门", _department, required=True),
        Column("qualifications", "资格", lambda v, _: rules.string_list(v), _list_cell),
        Column("expertise", "专长", lambda v, _: rules.string_list(v), _list_cell),
        Column(
            "status",
            "状态",
            lambda v, _: rules.choice(v, rules.INSPECTOR_STATUSES, default="active"),
        ),
        Column("is_expert", "专家", lambda v, _: rules.boolean(v), _bool_cell),
        Column("station_region", "所在区划", lambda v, _: rules.region(v)),
        Column("conflicts", "回避对象", lambda v, _: rules.conflicts(v), rules.conflicts_cell),
    ),
)


def _item_cross_check(values: dict[str, Any]) -> list[tuple[str, FieldProblem]]:
    if values.get("kind") == "key" and values.get("ratio_cap") is not None:
        return [
            (
                "ratio_cap",
                FieldProblem(
                    "rosters.ratio_cap_key", "重点事项不设比例上限", "a key item has no ratio cap"
                ),
            )
        ]
    return []


def _checklist_cell(template: list[dict[str, Any]]) -> str:
    return json.dumps(template, ensure_ascii=False) if template else ""


ITEMS = RosterKind(
    name="items",
    zh="随机抽查事项清单",
    columns=(
        Column("code", "事项编码", lambda v, _: rules.code(v), required=True),
        Column("department", "部门", _department, required=True),
        Column(
            "name",
            "事项名称",
            _text(300, required=True),
            required=True,
        ),
        Column("legal_basis", "执法依据", _text(5000, multiline=True)),
        Column(
            "object_type",
            "对象类型",
            lambda v, _: rules.choice(v, rules.ITEM_OBJECT_TYPES, default="entity"),
        ),
        Column(
            "kind", "事项类别", lambda v, _: rules.choice(v, rules.ITEM_KINDS, default="general")
        ),
        Column(
            "ratio_cap",
            "比例上限",
            lambda v, _: rules.ratio_cap(v, kind="general"),
            lambda v: "" if v is None else v,
        ),
        Column("methods", "检查方式", lambda v, _: rules.choice_list(v, rules.METHODS), _list_cell),
        Column(
            "required_qualifications", "资格要求", lambda v, _: rules.string_list(v), _list_cell
        ),
        Column("checklist", "检查表", lambda v, _: rules.checklist(v), _checklist_cell),
        Column("active", "启用", lambda v, _: rules.boolean(v, default=True), _bool_cell),
    ),
    cross_check=_item_cross_check,
)

KINDS: dict[str, RosterKind] = {kind.name: kind for kind in (OBJECTS, INSPECTORS, ITEMS)}


def header_index(kind: RosterKind) -> dict[str, str]:
    """Accepted header text (folded) → field name."""
    index: dict[str, str] = {}
    for column in kind.columns:
        index[fold_header(column.zh)] = column.field
        index[fold_header(column.field)] = column.field
    return index


def fold_header(text: str) -> str:
    return "".join(text.split()).lower().lstrip("\ufeff")
