"""Who may be drawn: exclusions with reason codes, inspector pools, conflict pairs.

Pure functions fed by `server.draws.queries`; the result becomes the draw's
published inputs. Every object left out of the population is listed with a
reason code, never dropped silently (objects outside the plan's scope are not
part of the population at all and are not listed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

DEREGISTERED = "deregistered"
"""注销: the entity no longer exists."""
REVOKED = "revoked"
"""吊销: the licence was revoked."""
DRAWN_IN_OTHER_PLAN = "drawn_in_other_plan"
"""Already drawn in another plan of an overlapping window: a joint visit is proposed
instead of a second one (防止重复检查, seed 000). Published as
`drawn_in_other_plan:<other plan code>`, naming the plan to join."""
INSPECTED_RECENTLY = "inspected_recently"
"""Inspected for every general item of the plan within the repeat window."""
ANNUAL_CAP = "annual_cap"
"""Already inspected as often this year as its jurisdiction's annual cap allows
(`server.inspection_codes.caps`): directed inspections count toward the cap."""

REASONS_ZH = {
    DEREGISTERED: "已注销",
    REVOKED: "已吊销",
    DRAWN_IN_OTHER_PLAN: "已在同期其他计划中抽中，建议联合检查",
    INSPECTED_RECENTLY: "近期已就相同事项检查",
    ANNUAL_CAP: "本年度受检次数已达上限",
}


def explain(reason: str) -> tuple[str, str]:
    """(reason code, Chinese explanation) of a published exclusion reason."""
    code, _, other = reason.partition(":")
    text = REASONS_ZH.get(code, code)
    if other:
        text = f"{text}（{other}）"
    return code, text


@dataclass(frozen=True)
class Candidate:
    """An object of the plan's sub-roster."""

    id: str
    """Unified social credit code."""
    risk_class: str
    status: str
    region: str = ""


@dataclass(frozen=True)
class ItemRule:
    code: str
    key: bool
    """重点事项: never skipped for having been inspected recently."""


@dataclass
class Population:
    strata: dict[str, list[str]]
    exclusions: list[dict[str, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(ids) for ids in self.strata.values())


def eligible_population(
    candidates: Iterable[Candidate],
    *,
    strata: Sequence[str],
    undifferentiated: bool,
    items: Sequence[ItemRule],
    highest_class: str | None,
    inspected_recently: Mapping[str, set[str]],
    drawn_elsewhere: Mapping[str, str],
    at_annual_cap: AbstractSet[str] = frozenset(),
) -> Population:
    """Split the candidates into strata and list every exclusion with its reason.

    `inspected_recently` maps an object to the item codes it was inspected for
    within the plan's repeat window; `drawn_elsewhere` maps an object to the
    code of another plan of an overlapping window that already drew it;
    `at_annual_cap` holds objects already inspected as often as this year allows.
    An object is still due when any item of the plan is due for it: a key item
    always is, and so is every item for the highest-risk class (D).
    """
    names = list(strata)
    result = Population(strata={name: [] for name in names})
    for obj in candidates:
        stratum = names[0] if undifferentiated else obj.risk_class
        if stratum not in result.strata:
            continue  # no ratio for this class: outside the plan
        if obj.status in (DEREGISTERED, REVOKED):
            result.exclusions.append({"id": obj.id, "reason": obj.status})
            continue
        other = drawn_elsewhere.get(obj.id)
        if other is not None:
            result.exclusions.append({"id": obj.id, "reason": f"{DRAWN_IN_OTHER_PLAN}:{other}"})
            continue
        if obj.id in at_annual_cap:
            result.exclusions.append({"id": obj.id, "reason": ANNUAL_CAP})
            continue
        done = inspected_recently.get(obj.id, set())
        due = [i for i in items if i.key or obj.risk_class == highest_class or i.code not in done]
        if not due:
            result.exclusions.append({"id": obj.id, "reason": INSPECTED_RECENTLY})
            continue
        result.strata[stratum].append(obj.id)
    for ids in result.strata.values():
        ids.sort()
    result.exclusions.sort(key=lambda e: e["id"])
    return result


@dataclass(frozen=True)
class Officer:
    """An inspector as the draw sees them."""

    id: str
    """Badge number."""
    department: str
    status: str
    qualifications: frozenset[str]
    station_region: str = ""
    conflicts: frozenset[str] = frozenset()
    """Credit codes of objects the officer declared a conflict with (回避)."""


def department_pool(officers: Iterable[Officer], department: str, required: set[str]) -> list[str]:
    """Active officers of the department holding every required qualification."""
    return sorted(
        o.id
        for o in officers
        if o.department == department and o.status == "active" and required <= o.qualifications
    )


def conflict_pairs(
    officers: Iterable[Officer],
    population: Iterable[Candidate],
    *,
    cross_jurisdiction: bool,
) -> list[tuple[str, str]]:
    """(object, inspector) pairs that must never meet: declared conflicts, and, with
    所所交叉, every object inside the officer's own station area (region prefix)."""
    objects = list(population)
    ids = {o.id for o in objects}
    by_region: dict[str, list[str]] = {}
    for obj in objects:
        by_region.setdefault(obj.region, []).append(obj.id)
    pairs: set[tuple[str, str]] = set()
    for officer in officers:
        pairs.update((x, officer.id) for x in officer.conflicts if x in ids)
        if cross_jurisdiction and officer.station_region:
            for region, members in by_region.items():
                if region.startswith(officer.station_region):
                    pairs.update((x, officer.id) for x in members)
    return sorted(pairs)
