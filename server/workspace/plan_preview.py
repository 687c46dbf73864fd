"""The plan builder's live preview (计划预览): objects in scope and drawn per class, cap check.

Plain Python over per-class counts, so the page, the bench and the tests all
apply the very rules a draw applies: `server.plans.rules` for the ratios and
the general items' cap (一般检查事项比例上限), `shared.draw.counting` for
`k = min(n, ceil(n × r))` capped.  The counts come from
`server.workspace.plan_queries.scope_counts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from server.plans import rules
from shared.draw.counting import object_count


@dataclass(frozen=True)
class StratumPreview:
    """One stratum (a credit-risk class, or `all`) of the preview."""

    stratum: str
    label_zh: str
    in_scope: int
    ratio: str | None
    """The ratio as the draw reads it (None while the typed ratio is invalid)."""
    cap: int | None
    drawn: int | None
    """How many objects this stratum yields (None while its ratio is invalid)."""


@dataclass(frozen=True)
class PlanPreview:
    strata: list[StratumPreview]
    in_scope: int
    drawn: int
    problems: list[dict[str, str]] = field(default_factory=list)
    """Each {field, code, zh, en}: exactly what saving the plan would refuse on ratios and caps."""
    smallest_cap: str | None = None
    """The lowest ratio cap among the plan's general items, if any (shown beside the ratios)."""

    @property
    def accepted(self) -> bool:
        return not self.problems


def stratum_label(stratum: str) -> str:
    return "不分类（全部对象）" if stratum == rules.UNDIFFERENTIATED else f"{stratum}类"


def smallest_general_cap(items: Sequence[Mapping[str, Any]]) -> str | None:
    caps = [
        Decimal(i["ratio_cap"])
        for i in items
        if i["kind"] == "general" and i.get("ratio_cap") not in (None, "")
    ]
    return format(min(caps).normalize(), "f") if caps else None


def preview(
    *,
    counts: Mapping[str, int],
    ratios: Mapping[str, Any],
    classes: Sequence[str],
    items: Sequence[Mapping[str, Any]],
    general_cap: int | None,
    key_full_coverage: bool,
) -> PlanPreview:
    """What the plan as typed would draw from objects counted per risk class.

    `items` are the chosen item rows (`code`, `kind`, `ratio_cap`). A class whose
    ratio is invalid or over the cap still shows its count, with no yield.
    """
    problems = rules.new_problems()
    clean = rules.check_ratios(ratios, classes, problems)
    rules.check_ratio_caps(clean, items, problems)
    refused = {p["field"].removeprefix("ratios.") for p in problems.items}
    has_key = any(i["kind"] == "key" for i in items)
    stratum_rules = rules.stratum_rules(
        clean,
        general_cap=general_cap,
        has_key_items=has_key,
        key_full_coverage=key_full_coverage,
        highest_class=classes[-1] if classes else None,
    )
    names = [rules.UNDIFFERENTIATED] if rules.UNDIFFERENTIATED in ratios else list(classes)
    strata = []
    for name in names:
        n = sum(counts.values()) if name == rules.UNDIFFERENTIATED else counts.get(name, 0)
        rule = stratum_rules.get(name)
        usable = rule is not None and name not in refused
        strata.append(
            StratumPreview(
                stratum=name,
                label_zh=stratum_label(name),
                in_scope=n,
                ratio=rule.ratio if rule else None,
                cap=rule.cap if rule else None,
                drawn=object_count(n, rule.ratio, rule.cap) if usable and rule else None,
            )
        )
    return PlanPreview(
        strata=strata,
        in_scope=sum(s.in_scope for s in strata),
        drawn=sum(s.drawn or 0 for s in strata),
        problems=list(problems.items),
        smallest_cap=smallest_general_cap(items),
    )
