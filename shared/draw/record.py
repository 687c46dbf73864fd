"""Running a draw and building its public record (`suicha-draw/1` §6).

Record representation choices (also in shared/draw/README.md):
- `strata[s].ratio` is the plan's decimal string exactly as validated
  (`"0.05"`), `strata[s].cap` an int or null; `population` is the eligible
  IDs (exclusions already removed) in NFC and ascending code-point order.
- `exclusions` are sorted by ID; an excluded ID given inside a population is
  dropped from it before the draw.
- `departments[].per_task` is the plan's count as given; the single-department
  minimum of two is applied by the algorithm, not written into the record.
  `pool` and `required_qualifications` are sorted.
- `conflicts` are the declared pairs that can matter to this draw (object
  drawn, inspector in some pool), sorted by (object_id, inspector_id).
- `assignments` are the draw's result and never change afterwards;
  `amendments` log every later replacement, and `current_assignments` (an
  added field, same shape) are the teams after all amendments.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from shared.draw.counting import check_cap, parse_ratio
from shared.draw.errors import (
    DUPLICATE_ID,
    EMPTY_POPULATION,
    EXCLUSION_INVALID,
    NO_DEPARTMENTS,
    PER_TASK_INVALID,
)
from shared.draw.inspectors import DepartmentPool, assign_inspectors, required_count
from shared.draw.model import DepartmentSpec, DrawInput, StratumSpec
from shared.draw.objects import select_ordered
from shared.draw.population import digest_of_ordered, normalized_strata
from shared.draw.seed import (
    check_secret,
    check_text,
    check_witness_input,
    commitment,
    derive_seed,
)
from shared.draw.text import check_id, sorted_ids
from shared.errors import SuichaError

ALGORITHM = "suicha-draw/1"


def run_draw(draw_input: DrawInput) -> dict[str, Any]:
    """Validate the inputs, draw objects and inspectors, and return the complete
    public record with the server secret revealed (hex). Refuses bad input with
    a `SuichaError` before drawing anything."""
    secret = check_secret(draw_input.server_secret)
    witness_input = check_witness_input(draw_input.witness_input)
    plan_id = check_text(draw_input.plan_id, "plan_id")
    drawn_at = check_text(draw_input.drawn_at, "drawn_at")
    witness = check_text(draw_input.witness, "witness")
    exclusions = _exclusions(draw_input.exclusions)
    specs = _strata_specs(draw_input.strata)
    excluded = {entry["id"] for entry in exclusions}
    ordered = normalized_strata({name: spec.population for name, spec in specs.items()})
    if excluded:
        # Exclusions are applied before the draw (§2): an excluded ID never
        # stays in the population, whichever roster the caller passed.
        ordered = {name: [x for x in ids if x not in excluded] for name, ids in ordered.items()}
    refuse_cross_stratum_duplicates(ordered)
    if not any(ordered.values()):
        raise SuichaError(EMPTY_POPULATION)
    departments = _departments(draw_input.departments)

    digest = digest_of_ordered(ordered)
    seed = derive_seed(secret, witness_input, digest, plan_id)
    selected = select_ordered(seed, ordered, specs)
    tasks = [x for ids in selected.values() for x in ids]
    conflicts = relevant_conflicts(draw_input.conflicts, tasks, departments)
    assignments = assign_inspectors(
        seed, tasks, algorithm_departments(departments), conflict_map(conflicts)
    )
    return {
        "algorithm": ALGORITHM,
        "plan_id": plan_id,
        "commitment": commitment(secret),
        "witness_input": witness_input,
        "server_secret": secret.hex(),
        "strata": {
            name: {"ratio": specs[name].ratio, "cap": specs[name].cap, "population": ids}
            for name, ids in ordered.items()
        },
        "exclusions": exclusions,
        "population_digest": digest,
        "seed": seed.hex(),
        "selected": selected,
        "departments": departments,
        "conflicts": conflicts,
        "assignments": assignments,
        "amendments": [],
        "current_assignments": copy_assignments(assignments),
        "drawn_at": drawn_at,
        "witness": witness,
        "signatures": [dict(signature) for signature in draw_input.signatures],
    }


def _strata_specs(strata: Mapping[str, StratumSpec]) -> dict[str, StratumSpec]:
    specs: dict[str, StratumSpec] = {}
    for name, spec in strata.items():
        parse_ratio(spec.ratio)
        check_cap(spec.cap)
        key = check_id(name)
        if key in specs:
            raise SuichaError(DUPLICATE_ID, id=key, where="strata")
        specs[key] = spec
    if not specs:
        raise SuichaError(EMPTY_POPULATION)
    return specs


def refuse_cross_stratum_duplicates(ordered: Mapping[str, Sequence[str]]) -> None:
    """An ID in two strata would be drawn twice. Each stratum has no repeat
    already, so only the smaller strata go into a set; the largest is probed."""
    if len(ordered) < 2:
        return
    largest = max(ordered, key=lambda name: len(ordered[name]))
    others = [name for name in ordered if name != largest]
    seen: set[str] = set()
    for name in others:
        seen.update(ordered[name])
    if len(seen) == sum(len(ordered[name]) for name in others) and seen.isdisjoint(
        ordered[largest]
    ):
        return
    owner: dict[str, str] = {}
    for name, ids in ordered.items():
        for x in ids:
            if x in owner:
                raise SuichaError(DUPLICATE_ID, id=x, where=f"strata {owner[x]} and {name}")
            owner[x] = name


def _exclusions(entries: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    result: list[dict[str, str]] = []
    for entry in entries:
        if not isinstance(entry, Mapping) or "id" not in entry:
            raise SuichaError(EXCLUSION_INVALID, entry=entry)
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise SuichaError(EXCLUSION_INVALID, entry=dict(entry))
        result.append({"id": check_id(entry["id"]), "reason": check_text(reason, "reason")})
    ids = sorted_ids([e["id"] for e in result], where="exclusions")
    del ids
    return sorted(result, key=lambda e: e["id"])


def _departments(departments: Sequence[DepartmentSpec]) -> list[dict[str, Any]]:
    if not departments:
        raise SuichaError(NO_DEPARTMENTS)
    result: dict[str, dict[str, Any]] = {}
    for dept in departments:
        code = check_id(dept.code)
        if code in result:
            raise SuichaError(DUPLICATE_ID, id=code, where="departments")
        if type(dept.per_task) is not int or dept.per_task < 1:
            raise SuichaError(PER_TASK_INVALID, department=code, per_task=dept.per_task)
        result[code] = {
            "code": code,
            "per_task": dept.per_task,
            "pool": sorted_ids(dept.pool, where=f"pool of {code}"),
            "required_qualifications": sorted(
                check_text(q, "required_qualifications") for q in dept.required_qualifications
            ),
        }
    return [result[code] for code in sorted(result)]


def algorithm_departments(departments: Sequence[Mapping[str, Any]]) -> list[DepartmentPool]:
    """The published departments as the algorithm uses them, in ascending code."""
    ordered = sorted(departments, key=lambda d: d["code"])
    return [
        DepartmentPool(d["code"], required_count(d["per_task"], len(ordered)), d["pool"])
        for d in ordered
    ]


def relevant_conflicts(
    pairs: Collection[tuple[str, str]],
    tasks: Collection[str],
    departments: Sequence[Mapping[str, Any]],
) -> list[dict[str, str]]:
    """Declared (object, inspector) pairs that can exclude someone in this draw, sorted."""
    drawn = set(tasks)
    inspectors = {i for d in departments for i in d["pool"]}
    kept = set()
    for object_id, inspector_id in pairs:
        x, i = check_id(object_id), check_id(inspector_id)
        if x in drawn and i in inspectors:
            kept.add((x, i))
    return [{"object_id": x, "inspector_id": i} for x, i in sorted(kept)]


def conflict_map(conflicts: Sequence[Mapping[str, str]]) -> dict[str, set[str]]:
    by_object: dict[str, set[str]] = {}
    for pair in conflicts:
        by_object.setdefault(pair["object_id"], set()).add(pair["inspector_id"])
    return by_object


def copy_assignments(assignments: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "object_id": a["object_id"],
            "inspectors": {code: list(ids) for code, ids in a["inspectors"].items()},
            "understaffed": list(a["understaffed"]),
        }
        for a in assignments
    ]
