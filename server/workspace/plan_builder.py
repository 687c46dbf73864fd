"""The plan builder's live preview, from the form's values to what the page shows.

The controller hands over the typed scope, ratios, items and cap; this module
validates the scope as the plan rules do, counts the sub-roster and returns the
preview (`server.workspace.plan_preview`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from server.plans import queries as plan_queries
from server.plans import rules
from server.workspace import plan_queries as scope_queries
from server.workspace.plan_preview import PlanPreview, preview


async def live_preview(
    *,
    scope: Mapping[str, Any],
    ratios: Mapping[str, Any],
    item_codes: Sequence[str],
    general_cap: int | None,
    key_full_coverage: bool,
) -> tuple[PlanPreview, list[dict[str, str]]]:
    """The preview and the scope's own problems (a bad scope counts nothing)."""
    problems = rules.new_problems()
    clean_scope = rules.check_scope(scope, problems)
    classes = await plan_queries.risk_class_codes() or list(rules.DEFAULT_RISK_CLASSES)
    items = list((await plan_queries.items_by_code(item_codes)).values())
    counts = {} if problems.items else await scope_queries.scope_counts(clean_scope)
    return (
        preview(
            counts=counts,
            ratios=ratios,
            classes=classes,
            items=[i for i in items if i["active"]],
            general_cap=general_cap,
            key_full_coverage=key_full_coverage,
        ),
        list(problems.items),
    )
