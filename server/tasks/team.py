"""Who may form the team of a task assigned by hand (a directed task, 定向检查).

The same rules a draw applies to its pools, so a hand-picked team is never
weaker than a drawn one: only active officers of the department holding every
qualification its items require (`server.draws.eligibility.department_pool`),
nobody with a declared conflict (回避) with the business, and at least two
officers on site when one department goes alone
(`shared.draw.inspectors.required_count`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from server.draws.eligibility import Officer, department_pool
from shared.draw.inspectors import required_count

MAX_TEAM = 10
"""A team of more than ten for one business is a mistake, not an inspection."""


@dataclass(frozen=True)
class TeamProblem:
    badge: str
    zh: str
    en: str


def team_problems(
    badges: Sequence[str],
    *,
    officers: Iterable[Officer],
    department: str,
    required: set[str],
    object_id: str,
) -> list[TeamProblem]:
    """Every reason the chosen badges cannot form the team (empty: they can)."""
    chosen = list(dict.fromkeys(b.strip() for b in badges if b.strip()))
    problems: list[TeamProblem] = []
    minimum = required_count(1, 1)
    if len(chosen) < minimum:
        problems.append(
            TeamProblem(
                "",
                f"现场检查至少需要{minimum}名执法人员。",
                f"An on-site inspection needs at least {minimum} officers.",
            )
        )
    if len(chosen) > MAX_TEAM:
        problems.append(
            TeamProblem("", f"检查组最多{MAX_TEAM}人。", f"A team has at most {MAX_TEAM} officers.")
        )
    by_badge = {o.id: o for o in officers}
    pool = set(department_pool(by_badge.values(), department, required))
    for badge in chosen[: MAX_TEAM + 1]:
        officer = by_badge.get(badge)
        if officer is None or officer.department != department:
            problems.append(
                TeamProblem(
                    badge,
                    f"{badge}不是本部门执法检查人员名录库中的人员。",
                    f"{badge} is not an officer of the department's roster.",
                )
            )
        elif officer.status != "active":
            problems.append(
                TeamProblem(
                    badge,
                    f"{badge}当前不在岗（休假或已离岗）。",
                    f"{badge} is not active (on leave or left).",
                )
            )
        elif badge not in pool:
            missing = "、".join(sorted(required - officer.qualifications))
            problems.append(
                TeamProblem(
                    badge,
                    f"{badge}不具备检查事项要求的资格：{missing}。",
                    f"{badge} lacks a required qualification: {missing}.",
                )
            )
        elif object_id in officer.conflicts:
            problems.append(
                TeamProblem(
                    badge,
                    f"{badge}已申报与该企业存在利害关系，须回避。",
                    f"{badge} declared a conflict of interest with the business.",
                )
            )
    return problems
