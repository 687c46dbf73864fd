"""The demo inspector roster (执法检查人员名录库): about 300 officers of the joint meeting.

Each officer gets the enforcement certificate (a few auxiliary staff do not)
and one or more of their department's specialist qualifications. A final pass
makes sure every item can be staffed: each department has at least
`MIN_QUALIFIED` active officers holding every qualification set its items
require, so a draw never finds an item without an officer of its department.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from server.demo import names
from server.demo.departments import DEPARTMENTS, LEAD_DEPARTMENT
from server.demo.item_model import LICENCE
from server.demo.items import qualification_sets
from server.demo.regions import DISTRICTS

MIN_QUALIFIED = 2
"""Active officers per item qualification set: on-site checks need two officers."""

STATUS_MIX = (("active", 0.90), ("on_leave", 0.06), ("left", 0.04))
EXPERT_SHARE = 0.03
UNLICENSED_SHARE = 0.04
"""Auxiliary staff (协管员) without an enforcement certificate."""
CONFLICTS = 8
STATION_MINIMUM = 3
"""Market-regulation officers stationed in every district at least, so a
cross-jurisdiction draw (所所交叉) always has officers from other stations."""
"""How many officers declare a conflict of interest (回避) with a demo object."""

CONFLICT_REASONS = (
    "近亲属在该单位担任法定代表人",
    "近三年内曾在该单位任职",
    "与该单位存在经济利益关系",
    "配偶在该单位担任财务负责人",
)
_EXPERTISE = {
    "食品检查员": "食品安全",
    "特种设备检验": "特种设备安全",
    "价格监督检查": "价格监管",
    "网络交易监管": "网络交易",
    "药品检查员": "药品监管",
    "计量检定": "计量",
    "广告监管": "广告监管",
    "产品质量监督": "产品质量",
}
_GENERAL_EXPERTISE = ("法制审核", "信用监管", "综合执法", "案件查办", "档案管理")


@dataclass
class DemoInspector:
    badge_no: str
    name: str
    department: str
    qualifications: list[str]
    expertise: list[str]
    status: str
    is_expert: bool
    station_region: str
    conflicts: list[dict[str, str]] = field(default_factory=list)

    def as_values(self) -> dict[str, Any]:
        return {
            "badge_no": self.badge_no,
            "name": self.name,
            "qualifications": self.qualifications,
            "expertise": self.expertise,
            "status": self.status,
            "is_expert": self.is_expert,
            "station_region": self.station_region,
            "conflicts": self.conflicts,
        }


def _specialties() -> dict[str, list[str]]:
    """Per department, the specialist qualifications its items ask for."""
    return {
        department: sorted({q for needed in sets for q in needed} - {LICENCE})
        for department, sets in qualification_sets().items()
    }


def _status(rng: random.Random) -> str:
    roll = rng.random()
    for status, share in STATUS_MIX:
        if roll < share:
            return status
        roll -= share
    return STATUS_MIX[0][0]


def _station(rng: random.Random, department: str, number: int) -> str:
    if department == LEAD_DEPARTMENT and number <= STATION_MINIMUM * len(DISTRICTS):
        return DISTRICTS[(number - 1) % len(DISTRICTS)].code
    return rng.choices(DISTRICTS, weights=[d.weight for d in DISTRICTS])[0].code


def _officer(
    rng: random.Random, department: str, number: int, specialties: list[str]
) -> DemoInspector:
    qualifications = [] if rng.random() < UNLICENSED_SHARE else [LICENCE]
    if specialties:
        held = rng.sample(specialties, k=min(len(specialties), rng.choice((1, 1, 2, 3))))
        qualifications.extend(sorted(held))
    expertise = [_EXPERTISE.get(q, q) for q in qualifications if q != LICENCE]
    if rng.random() < 0.4:
        expertise.append(rng.choice(_GENERAL_EXPERTISE))
    return DemoInspector(
        badge_no=f"{department}-{number:04d}",
        name=names.person_name(rng),
        department=department,
        qualifications=qualifications,
        expertise=expertise or ["综合执法"],
        # The first officer of every department is on duty, so the README's
        # example logins (SCJG-0001, STHJ-0001 …) work for every seed.
        status="active" if number == 1 else _status(rng),
        is_expert=rng.random() < EXPERT_SHARE,
        station_region=_station(rng, department, number),
    )


def _ensure_qualified(roster: list[DemoInspector]) -> None:
    """Give missing qualifications to active officers until every item set is covered."""
    for department, sets in qualification_sets().items():
        active = [o for o in roster if o.department == department and o.status == "active"]
        for needed in sets:
            holders = [o for o in active if needed <= set(o.qualifications)]
            # The least qualified officers are trained first: it spreads the load.
            for officer in sorted(
                (o for o in active if o not in holders), key=lambda o: len(o.qualifications)
            )[: max(0, MIN_QUALIFIED - len(holders))]:
                officer.qualifications = sorted(set(officer.qualifications) | needed)
                officer.expertise = sorted(
                    set(officer.expertise) | {_EXPERTISE.get(q, q) for q in needed - {LICENCE}}
                )


def generate_inspectors(seed: int, conflict_objects: Sequence[str]) -> list[DemoInspector]:
    """The roster for `seed`; a few officers declare conflicts with `conflict_objects`."""
    rng = random.Random(f"suicha-demo/{seed}/inspectors")
    specialties = _specialties()
    roster = [
        _officer(rng, department.code, number, specialties.get(department.code, []))
        for department in DEPARTMENTS
        for number in range(1, department.inspectors + 1)
    ]
    _ensure_qualified(roster)
    if conflict_objects:
        for officer in rng.sample(roster, k=min(CONFLICTS, len(roster))):
            officer.conflicts = [
                {"object": rng.choice(conflict_objects), "reason": rng.choice(CONFLICT_REASONS)}
            ]
    return roster
