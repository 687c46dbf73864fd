"""The credit feedback rule: published inspection results → a proposed risk class.

Seed 004 (六统一·统一结果运用): inspection results "为市场主体信用风险分类结果
动态更新提供实时数据支持". This module is that rule, and the only place it
lives: one pure function, `propose_class`, over one business's published
results of a year. It never changes anything; the server turns its proposals
into a list an administrator reviews and applies, with the audit chain.

How it scores (weights are `CreditWeights`, a jurisdiction setting):

- every published item result whose category is a **problem found** adds
  `problem_points` (categories under 发现问题 `A`, i.e. 2/B/C/D/3/4/5); a problem
  **corrected on order** (`E`, 经责令已改正) adds `corrected_points`;
- **refusal to cooperate** (`8`, 不配合检查情节严重) adds `refusal_points`;
- **unreachable at the registered address** (`6`, 通过登记的住所无法联系) adds
  `unreachable_points` and makes the business a candidate for the abnormal
  list (经营异常名录), which a person must still decide;
- the total moves the class towards higher risk by one step per
  `points_per_step`, never past the riskiest class;
- a business inspected at least `clean_inspections_per_step` times in the
  year with nothing but "no problem found" (`1`) moves one step towards lower
  risk, never past `best_class_by_inspections` (class A is 全面自治 by other
  evidence, not earned by inspections alone).

With the default weights two findings move a class-B business to C; one does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "CLEAN",
    "CORRECTED",
    "PROBLEM_CATEGORIES",
    "REFUSAL",
    "UNREACHABLE",
    "ClassProposal",
    "CreditWeights",
    "PublishedFinding",
    "propose_class",
]

CLEAN = "1"
"""未发现问题."""
CORRECTED = "E"
"""发现问题经责令已改正."""
REFUSAL = "8"
"""不配合检查情节严重."""
UNREACHABLE = "6"
"""通过登记的住所（经营场所）无法联系 — a candidate for the abnormal list."""
PROBLEM_CATEGORIES = frozenset({"A", "2", "B", "C", "D", "3", "4", "5"})
"""发现问题待后续处理 and its sub-codes (6 is scored on its own)."""


@dataclass(frozen=True)
class CreditWeights:
    """The rule's weights (a per-jurisdiction setting)."""

    problem_points: int = 10
    corrected_points: int = 5
    refusal_points: int = 20
    unreachable_points: int = 20
    points_per_step: int = 20
    """Points that move a business one class towards higher risk."""
    clean_inspections_per_step: int = 2
    """Clean inspections in a year that move a business one class towards lower risk."""
    best_class_by_inspections: str = "B"
    """The lowest-risk class clean inspections alone can reach."""
    extra_problem_points: dict[str, int] = field(default_factory=dict)
    """Category code → points, overriding `problem_points` for that category."""


@dataclass(frozen=True)
class PublishedFinding:
    """One published item result of the year: its inspection (task) and category."""

    task: str
    category: str


@dataclass(frozen=True)
class ClassProposal:
    """What the rule proposes for one business; `proposed == current` means no change."""

    current: str
    proposed: str
    points: int
    problems: dict[str, int]
    """Problem categories found, with their counts."""
    refusals: int
    unreachable: int
    clean_inspections: int
    abnormal_candidate: bool
    reasons: tuple[str, ...]
    """Why, in Chinese, one line per signal (for the admin's review list)."""

    @property
    def changes(self) -> bool:
        return self.proposed != self.current


def _step(classes: Sequence[str], current: str, steps: int, *, floor: str | None = None) -> str:
    """Move `steps` along `classes` (lowest risk first); negative steps lower the risk."""
    index = classes.index(current)
    target = min(max(index + steps, 0), len(classes) - 1)
    if floor is not None and steps < 0 and floor in classes:
        target = max(target, min(classes.index(floor), index))
    return classes[target]


def propose_class(
    current: str,
    findings: Iterable[PublishedFinding],
    classes: Sequence[str],
    weights: CreditWeights | None = None,
) -> ClassProposal:
    """The class one business should have next, from its published results of a year.

    `classes` are the configured risk classes ordered from lowest to highest
    risk (A, B, C, D by default); `current` must be one of them.
    """
    if current not in classes:
        raise ValueError(f"unknown risk class {current!r}; configured: {list(classes)}")
    w = weights or CreditWeights()
    problems: dict[str, int] = {}
    refusals = unreachable = corrected = 0
    points = 0
    by_task: dict[str, set[str]] = {}
    for finding in findings:
        by_task.setdefault(finding.task, set()).add(finding.category)
        code = finding.category
        if code == REFUSAL:
            refusals += 1
            points += w.refusal_points
        elif code == UNREACHABLE:
            unreachable += 1
            points += w.unreachable_points
        elif code == CORRECTED:
            corrected += 1
            points += w.corrected_points
        elif code in PROBLEM_CATEGORIES:
            problems[code] = problems.get(code, 0) + 1
            points += w.extra_problem_points.get(code, w.problem_points)
    clean = sum(1 for categories in by_task.values() if categories == {CLEAN})
    reasons: list[str] = []
    if problems:
        listed = "、".join(f"{code}×{n}" for code, n in sorted(problems.items()))
        reasons.append(f"发现问题（类别 {listed}）")
    if corrected:
        reasons.append(f"发现问题经责令已改正{corrected}次")
    if refusals:
        reasons.append(f"不配合检查情节严重{refusals}次")
    if unreachable:
        reasons.append(f"通过登记的住所无法联系{unreachable}次，可列入经营异常名录")
    if points >= w.points_per_step:
        steps = points // w.points_per_step
        proposed = _step(classes, current, steps)
        reasons.append(f"合计{points}分，每{w.points_per_step}分上调一级风险")
    elif points == 0 and w.clean_inspections_per_step > 0 and clean >= w.clean_inspections_per_step:
        steps = clean // w.clean_inspections_per_step
        proposed = _step(classes, current, -steps, floor=w.best_class_by_inspections)
        if proposed != current:
            reasons.append(f"全年{clean}次检查均未发现问题，下调一级风险")
    else:
        proposed = current
    return ClassProposal(
        current=current,
        proposed=proposed,
        points=points,
        problems=problems,
        refusals=refusals,
        unreachable=unreachable,
        clean_inspections=clean,
        abnormal_candidate=unreachable > 0,
        reasons=tuple(reasons),
    )
