"""Gather a draw's inputs from the plan and the rosters, fixed when the draw is scheduled.

Population, pools and conflicts are frozen together with the commitment, so
nothing the server could change after seeing the witness input (a roster
edit, a pool change) can steer the result; later changes are amendments.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from server.draws import errors, queries
from server.draws.eligibility import (
    Candidate,
    ItemRule,
    Officer,
    conflict_pairs,
    department_pool,
    eligible_population,
)
from server.inspection_codes import service as annual_caps
from server.plans import queries as plan_queries
from server.plans import rules
from shared.draw import population_digest
from shared.errors import SuichaError


async def gather(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The published inputs of a draw of `plan`, or a refusal naming what is missing."""
    departments = await plan_queries.plan_departments(plan["id"])
    items = await plan_queries.plan_items(plan["id"])
    classes = await plan_queries.risk_class_codes() or list(rules.DEFAULT_RISK_CLASSES)
    highest = classes[-1] if classes else None
    has_key = any(i["kind"] == "key" for i in items)
    stratum_rules = rules.stratum_rules(
        plan["ratios"],
        general_cap=plan["general_cap"],
        has_key_items=has_key,
        key_full_coverage=plan["key_full_coverage"],
        highest_class=highest,
    )

    scope = plan["scope"] or {}
    rows = [r for r in await queries.objects_for_scope(scope) if rules.matches_scope(r, scope)]
    candidates = [
        Candidate(r["credit_code"], r["risk_class"], r["status"], r["region"]) for r in rows
    ]
    since = datetime.now(UTC) - timedelta(days=plan["repeat_window_days"])
    population = eligible_population(
        candidates,
        strata=sorted(stratum_rules),
        undifferentiated=rules.UNDIFFERENTIATED in stratum_rules,
        items=[ItemRule(i["code"], i["kind"] == "key") for i in items],
        highest_class=highest,
        inspected_recently=await queries.recent_inspections(since),
        drawn_elsewhere=await queries.drawn_in_other_plans(
            plan["id"], plan["window_start"], plan["window_end"]
        ),
        at_annual_cap=await annual_caps.objects_at_cap(
            plan["year"], [(r["credit_code"], r["region"]) for r in rows]
        ),
    )
    if population.size == 0:
        raise SuichaError(
            errors.EMPTY_SCOPE, in_scope=len(candidates), excluded=len(population.exclusions)
        )

    codes = [d["code"] for d in departments]
    officers = [
        Officer(
            id=r["badge_no"],
            department=r["department_code"],
            status=r["status"],
            qualifications=frozenset(r["qualifications"] or []),
            station_region=r["station_region"] or "",
            conflicts=frozenset(c["object"] for c in (r["conflicts"] or []) if c.get("object")),
        )
        for r in await queries.inspectors_of(codes)
    ]
    published_departments = []
    for dept in departments:
        required = sorted(
            {
                q
                for i in items
                if i["department_code"] == dept["code"]
                for q in i["required_qualifications"] or []
            }
        )
        pool = department_pool(officers, dept["code"], set(required))
        if not pool:
            raise SuichaError(
                errors.NO_QUALIFIED_INSPECTOR,
                department=dept["code"],
                qualifications="、".join(required) or "-",
            )
        published_departments.append(
            {
                "code": dept["code"],
                "per_task": dept["per_task"],
                "pool": pool,
                "required_qualifications": required,
            }
        )
    in_pools = {i for d in published_departments for i in d["pool"]}
    eligible = {x for ids in population.strata.values() for x in ids}
    conflicts = conflict_pairs(
        [o for o in officers if o.id in in_pools],
        [c for c in candidates if c.id in eligible],
        cross_jurisdiction=plan["cross_jurisdiction"],
    )
    return {
        "strata": {
            name: {
                "ratio": stratum_rules[name].ratio,
                "cap": stratum_rules[name].cap,
                "population": population.strata[name],
            }
            for name in sorted(stratum_rules)
        },
        "exclusions": population.exclusions,
        "departments": published_departments,
        "conflicts": [{"object_id": x, "inspector_id": i} for x, i in conflicts],
        "population_digest": population_digest(population.strata),
    }
