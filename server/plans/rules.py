"""The rules of a plan, as plain functions: ratios, scope, strata, lifecycle, warnings.

Nothing here touches the database; the service feeds these functions rows and
raises what they report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from server.plans import errors
from shared.errors import SuichaError
from shared.problems import Problems

UNDIFFERENTIATED = "all"
"""The single stratum of a plan that does not differentiate by credit risk."""

DEFAULT_RISK_CLASSES = ("A", "B", "C", "D")
METHODS = ("on_site", "written", "online")
KINDS = ("annual", "joint")
SCOPE_KEYS = ("risk_classes", "industry_codes", "regions", "tags", "kinds")
RATIO_PLACES = 8
YEARS = (2000, 2100)
"""The plan years accepted."""
CAP_LIMIT = 10_000_000
"""Most objects a general-item cap may name (the column is a 32-bit integer)."""
MIN_JOINT_DEPARTMENTS = 3
"""Seed 001: a joint inspection normally involves at least three departments."""

DRAFT, APPROVED, PUBLISHED, DRAWN, CLOSED = "draft", "approved", "published", "drawn", "closed"
TRANSITIONS: dict[str, tuple[str, str, str]] = {
    # action: (from, to, Chinese verb)
    "approve": (DRAFT, APPROVED, "审批"),
    "publish": (APPROVED, PUBLISHED, "公示"),
    "close": (DRAWN, CLOSED, "结束"),
}
AMENDABLE = (APPROVED, PUBLISHED)
"""After approval a plan changes only by a recorded amendment, and only until it is drawn."""


STATUS_ZH = {
    DRAFT: "草案",
    APPROVED: "已审批",
    PUBLISHED: "已公示",
    DRAWN: "已抽签",
    CLOSED: "已结束",
}
"""A plan status as Chinese messages name it."""


def new_problems() -> Problems:
    """A collector whose refusal is `plans.invalid` (422) with every problem listed."""
    return Problems(errors.PLAN_INVALID)


def _quoted(codes: Iterable[str]) -> str:
    """Codes inside a Chinese sentence, each in quotation marks: “B”、“C”."""
    return "、".join(f"“{code}”" for code in codes)


def _stratum_zh(stratum: str) -> str:
    return "不分类（全部对象）" if stratum == UNDIFFERENTIATED else f"{stratum}类"


def parse_ratio(stratum: str, text: str) -> str:
    """A ratio as a canonical decimal string between 0 and 1 (never a binary float).

    At most `RATIO_PLACES` decimal places: "1e-999999999" would otherwise
    expand to a billion digits.
    """
    refusal = SuichaError(
        errors.RATIO_INVALID,
        stratum=stratum,
        stratum_zh=_stratum_zh(stratum),
        ratio=str(text)[:40],
        places=RATIO_PLACES,
    )
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise refusal from None
    if not value.is_finite() or value < 0 or value > 1:
        raise refusal
    if value == 0:
        return "0"
    if value.adjusted() < -RATIO_PLACES:
        raise refusal  # checked before normalize(), which would round it to 0
    value = value.normalize()
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -RATIO_PLACES:
        raise refusal
    return format(value, "f")


def check_ratios(
    ratios: Mapping[str, Any], risk_classes: Sequence[str], problems: Problems
) -> dict[str, str]:
    """One explicit ratio per configured credit-risk class (0 allowed), or a single `all`.

    A class left out would be drawn at ratio 0 without a word, so it is a
    problem (`plans.ratio_missing`), listed with every other one.
    """
    if not ratios:
        problems.add(
            "ratios",
            errors.STRATA_INVALID,
            reason="至少需要一个比例",
            reason_en="at least one ratio is needed",
        )
        return {}
    names = set(ratios)
    undifferentiated = UNDIFFERENTIATED in names
    if undifferentiated and len(names) > 1:
        problems.add(
            "ratios",
            errors.STRATA_INVALID,
            reason="“all”（不分类）不能与风险分类同时使用",
            reason_en="“all” cannot be mixed with risk classes",
        )
    unknown = sorted(names - set(risk_classes) - {UNDIFFERENTIATED})
    if unknown:
        problems.add(
            "ratios",
            errors.STRATA_INVALID,
            reason=f"未知的信用风险分类：{_quoted(unknown)}",
            reason_en=f"unknown credit-risk classes: {', '.join(unknown)}",
        )
    if not undifferentiated:
        missing = [code for code in risk_classes if code not in names]
        if missing:
            problems.add(
                "ratios",
                errors.RATIO_MISSING,
                classes=_quoted(missing),
                classes_en=", ".join(missing),
            )
    clean = {}
    for name in sorted(names):
        try:
            clean[name] = parse_ratio(name, str(ratios[name]))
        except SuichaError as error:
            problems.add_error(f"ratios.{name}", error)
    return clean


def check_ratio_caps(
    ratios: Mapping[str, str], items: Iterable[Mapping[str, Any]], problems: Problems
) -> None:
    """No ratio above the smallest cap among the plan's general items (一般检查事项).

    Seed 001: general items have a ratio upper limit, key items (重点) none.
    `items` are rows with `code`, `kind` and `ratio_cap` (a decimal string or None).
    """
    capped = [
        (Decimal(item["ratio_cap"]), item["code"])
        for item in items
        if item["kind"] == "general" and item.get("ratio_cap") not in (None, "")
    ]
    if not capped:
        return
    cap, item = min(capped)
    for name in sorted(ratios):
        try:
            ratio = Decimal(ratios[name])
        except InvalidOperation:
            continue  # reported as plans.ratio_invalid already
        if ratio > cap:
            problems.add(
                f"ratios.{name}",
                errors.RATIO_OVER_CAP,
                stratum=name,
                stratum_zh=_stratum_zh(name),
                ratio=ratios[name],
                item=item,
                cap=format(cap.normalize(), "f"),
            )


def ratio_warnings(
    ratios: Mapping[str, str], risk_classes: Sequence[str], items: Iterable[Mapping[str, Any]]
) -> list[dict[str, str]]:
    """The ratio rules a stored plan breaks (one saved before the rules held), as warnings."""
    problems = new_problems()
    check_ratios(ratios, risk_classes, problems)
    check_ratio_caps(ratios, items, problems)
    return problems.as_warnings()


def check_scope(scope: Mapping[str, Any], problems: Problems) -> dict[str, list[str]]:
    """The saved filter over the object roster; every key optional, each a list of strings."""
    unknown = sorted(set(scope) - set(SCOPE_KEYS))
    if unknown:
        problems.add(
            "scope",
            errors.SCOPE_INVALID,
            reason=f"未知的范围条件：{_quoted(unknown)}（可用：{_quoted(SCOPE_KEYS)}）",
            reason_en=f"unknown keys {', '.join(unknown)} (use {', '.join(SCOPE_KEYS)})",
        )
    clean: dict[str, list[str]] = {}
    for key in SCOPE_KEYS:
        values = scope.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            problems.add(
                f"scope.{key}",
                errors.SCOPE_INVALID,
                reason=f"“{key}”须为非空字符串的列表",
                reason_en=f"{key} must be a list of non-empty strings",
            )
            continue
        if values:
            clean[key] = sorted(set(values))
    return clean


def matches_scope(obj: Mapping[str, Any], scope: Mapping[str, Sequence[str]]) -> bool:
    """Whether an object row (with `tags` decoded to a list) is in the plan's sub-roster.

    Regions match by prefix, so a county code takes in every township below it.
    """
    if "risk_classes" in scope and obj["risk_class"] not in scope["risk_classes"]:
        return False
    if "kinds" in scope and obj["kind"] not in scope["kinds"]:
        return False
    if "industry_codes" in scope and not any(
        obj["industry_code"].startswith(code) for code in scope["industry_codes"]
    ):
        return False
    if "regions" in scope and not any(obj["region"].startswith(r) for r in scope["regions"]):
        return False
    return not ("tags" in scope and not set(scope["tags"]) & set(obj["tags"]))


def stratum_of(risk_class: str, ratios: Mapping[str, str]) -> str | None:
    """The stratum an object falls in, or None when the plan sets no ratio for its class."""
    if UNDIFFERENTIATED in ratios:
        return UNDIFFERENTIATED
    return risk_class if risk_class in ratios else None


@dataclass(frozen=True)
class StratumRule:
    ratio: str
    cap: int | None


def stratum_rules(
    ratios: Mapping[str, str],
    *,
    general_cap: int | None,
    has_key_items: bool,
    key_full_coverage: bool,
    highest_class: str | None,
) -> dict[str, StratumRule]:
    """Ratio and cap of each stratum.

    The cap limits general items only: a plan with any key item (重点事项) has no
    cap. With `key_full_coverage`, a key-item plan inspects every object of the
    highest-risk class (D by default).
    """
    cap = None if has_key_items else general_cap
    rules = {}
    for name, ratio in ratios.items():
        if has_key_items and key_full_coverage and name == highest_class:
            ratio = "1"
        rules[name] = StratumRule(ratio=ratio, cap=cap)
    return rules


def joint_warnings(kind: str, department_codes: Iterable[str]) -> list[dict[str, str]]:
    """Advice that does not refuse: a joint plan normally has at least three departments."""
    count = len(set(department_codes))
    if kind == "joint" and count < MIN_JOINT_DEPARTMENTS:
        return [
            {
                "code": "plans.joint_few_departments",
                "zh": f"联合抽查计划只有{count}个部门，通常应至少{MIN_JOINT_DEPARTMENTS}个部门参加",
                "en": f"The joint plan has {count} departments; normally at least "
                f"{MIN_JOINT_DEPARTMENTS} take part",
            }
        ]
    return []


def transition(status: str, action: str) -> str:
    """The status after `action`, or a refusal naming the current status."""
    source, target, verb = TRANSITIONS[action]
    if status != source:
        raise SuichaError(
            errors.BAD_TRANSITION,
            status=status,
            status_zh=STATUS_ZH.get(status, status),
            action_zh=verb,
            action=f"{action}d",
        )
    return target


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """{field: {"before", "after"}} for every field whose value differs."""
    return {
        key: {"before": before.get(key), "after": value}
        for key, value in after.items()
        if before.get(key) != value
    }
