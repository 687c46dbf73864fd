"""The plan builder form (计划编制表单): typed values in, the plans service's data out.

Plain Python: the form's strings become the `server.plans.service.create_plan`
data; a value that cannot even be read (a year that is not a number, a date
that is not a date) is an error next to its field before the service runs, and
the service's own problems (`plans.invalid` lists them by field) are mapped
back to the form's field names, so the page shows every error beside its input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from server.plans import rules

SCOPE_FIELDS = {
    "scope_regions": "regions",
    "scope_industry_codes": "industry_codes",
    "scope_risk_classes": "risk_classes",
    "scope_tags": "tags",
}
"""Form field → scope key (each a list typed as words separated by commas or spaces)."""
_WORDS = re.compile(r"[\s,，、;；]+")
TEXT_LIMITS = {"code": 64, "name": 200, "description": 2000}


@dataclass
class PlanForm:
    """The form's values as typed (shown again when it is refused) and its errors."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    """The service's data, complete only when `errors` is empty."""


def words(text: str) -> list[str]:
    return [w for w in _WORDS.split(text.strip()) if w]


def read_form(
    form: Mapping[str, Any],
    item_codes: Sequence[str],
    *,
    lead_department: str,
    item_departments: Mapping[str, str],
    classes: Sequence[str],
) -> PlanForm:
    """Read the posted form. `item_codes` are the checked items (a multi-value field)."""

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    values: dict[str, Any] = {
        name: text(name)
        for name in (
            "code",
            "name",
            "year",
            "window_start",
            "window_end",
            "general_cap",
            "description",
            *SCOPE_FIELDS,
        )
    }
    values["items"] = [c for c in item_codes if isinstance(c, str)]
    values["undifferentiated"] = bool(text("undifferentiated"))
    values["key_full_coverage"] = bool(text("key_full_coverage"))
    values["ratios"] = {name: text(f"ratio_{name}") for name in [*classes, rules.UNDIFFERENTIATED]}
    parsed = PlanForm(values=values)
    errors = parsed.errors

    for name, limit in TEXT_LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = f"最多{limit}个字符"
    for name in ("code", "name"):
        if not values[name]:
            errors[name] = "必填"
    year = _integer(values["year"], "year", errors, required=True)
    cap = _integer(values["general_cap"], "general_cap", errors, required=False)
    start = _date(values["window_start"], "window_start", errors)
    end = _date(values["window_end"], "window_end", errors)
    if values["undifferentiated"]:
        ratios = {rules.UNDIFFERENTIATED: values["ratios"][rules.UNDIFFERENTIATED]}
    else:
        ratios = {c: values["ratios"][c] for c in classes if values["ratios"][c] != ""}
    departments = {lead_department: 1}
    for code in values["items"]:
        owner = item_departments.get(code)
        if owner is not None:
            departments.setdefault(owner, 1)
    parsed.data = {
        "code": values["code"],
        "name": values["name"],
        "year": year,
        "kind": "joint" if len(departments) > 1 else "annual",
        "lead_department": lead_department,
        "departments": departments,
        "items": values["items"],
        "ratios": ratios,
        "scope": {key: words(values[name]) for name, key in SCOPE_FIELDS.items() if values[name]},
        "general_cap": cap,
        "key_full_coverage": values["key_full_coverage"],
        "window_start": start,
        "window_end": end,
        "method": "on_site",
        "frequency": "",
        "repeat_window_days": 365,
        "cross_jurisdiction": False,
        "description": values["description"],
    }
    return parsed


def _integer(text: str, name: str, errors: dict[str, str], *, required: bool) -> int | None:
    if not text:
        if required:
            errors[name] = "必填"
        return None
    if not re.fullmatch(r"[0-9]{1,9}", text):
        errors[name] = "请填写整数"
        return None
    return int(text)


def _date(text: str, name: str, errors: dict[str, str]) -> date | None:
    if not text:
        errors[name] = "必填"
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = "请填写日期（年-月-日）"
        return None


def field_of(problem_field: str) -> str:
    """The form field a `plans.invalid` problem belongs next to."""
    head, _, rest = problem_field.partition(".")
    if head == "ratios":
        return f"ratio_{rest}" if rest else "ratios"
    if head in ("items", "departments", "kind"):
        return "items"
    if head == "scope":
        return f"scope_{rest}" if rest else "scope"
    return head


def problem_errors(problems: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """Problems as {form field: Chinese message}, several on one field joined."""
    out: dict[str, str] = {}
    for problem in problems:
        name = field_of(problem["field"])
        out[name] = f"{out[name]}；{problem['zh']}" if name in out else problem["zh"]
    return out
