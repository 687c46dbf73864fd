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

UNDIFFERENTIATED = "all"
"""The single stratum of a plan that does not differentiate by credit risk."""

DEFAULT_RISK_CLASSES = ("A", "B", "C", "D")
METHODS = ("on_site", "written", "online")
KINDS = ("annual", "joint")
SCOPE_KEYS = ("risk_classes", "industry_codes", "regions", "tags", "kinds")
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


def parse_ratio(stratum: str, text: str) -> str:
    """A ratio as a canonical decimal string between 0 and 1 (never a binary float)."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise SuichaError(errors.RATIO_INVALID, stratum=stratum, ratio=text) from None
    if not value.is_finite() or value < 0 or value > 1:
        raise SuichaError(errors.RATIO_INVALID, stratum=stratum, ratio=text)
    return format(value.normalize(), "f") if value != 0 else "0"


def validate_ratios(ratios: Mapping[str, Any], risk_classes: Sequence[str]) -> dict[str, str]:
    """One ratio per credit-risk class, or a single `all` stratum."""
    if not ratios:
        raise SuichaError(
            errors.STRATA_INVALID, reason="至少需要一个比例 / at least one ratio is needed"
        )
    names = set(ratios)
    if UNDIFFERENTIATED in names and len(names) > 1:
        raise SuichaError(
            errors.STRATA_INVALID,
            reason="“all”不能与风险分类同时使用 / “all” cannot be mixed with risk classes",
        )
    unknown = sorted(names - set(risk_classes) - {UNDIFFERENTIATED})
    if unknown:
        raise SuichaError(
            errors.STRATA_INVALID,
            reason=f"未知的信用风险分类 / unknown credit-risk classes: {', '.join(unknown)}",
        )
    return {name: parse_ratio(name, str(ratios[name])) for name in sorted(names)}


def validate_scope(scope: Mapping[str, Any]) -> dict[str, list[str]]:
    """The saved filter over the object roster; every key optional, each a list of strings."""
    unknown = sorted(set(scope) - set(SCOPE_KEYS))
    if unknown:
        raise SuichaError(errors.SCOPE_INVALID, reason=f"unknown keys {', '.join(unknown)}")
    clean: dict[str, list[str]] = {}
    for key in SCOPE_KEYS:
        values = scope.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise SuichaError(errors.SCOPE_INVALID, reason=f"{key} must be a list of strings")
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
        raise SuichaError(errors.BAD_TRANSITION, status=status, action_zh=verb, action=f"{action}d")
    return target


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """{field: {"before", "after"}} for every field whose value differs."""
    return {
        key: {"before": before.get(key), "after": value}
        for key, value in after.items()
        if before.get(key) != value
    }
