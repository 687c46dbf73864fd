"""The figures of the reports, from plain facts (no database): one pure place for the counting.

A fact is one inspection item on one task (a `TaskItem`), with the days that
matter, in China time. The monthly report (月报表) part 二 counts per item:

- 抽取对象数 drawn: the draw took place in the period;
- 已检查数 inspected: the item has a result and the inspection ended in the period;
- 发现问题数 problems: of those, the current result's category records a problem
  (the 发现问题 categories, 6 无法联系, 8 不配合, E 已责令改正);
- 已处置数 handled: of the problems, a follow-up measure is recorded, or the
  business corrected it on order (E);
- 按时公示 / 逾期公示: the task was first published in the period, on or before its
  publication deadline / after it.

Part 三 (企业评价与异议) counts the businesses' ratings given in the period (count and
mean score) and the objections filed in it: upheld, rejected, still open, and overdue
(answered after the working-day deadline, or still open after it).

Directed inspections (定向, from a complaint or referral) count apart from random ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from server.records.reports.periods import Period
from shared.credit_feedback import CORRECTED, PROBLEM_CATEGORIES, REFUSAL, UNREACHABLE

FOUND = PROBLEM_CATEGORIES | {UNREACHABLE, REFUSAL, CORRECTED}
"""Result categories that record a problem found (发现问题)."""
KIND_ZH = {"random": "随机抽查", "directed": "定向检查"}


@dataclass(frozen=True)
class Fact:
    """One inspection item on one task."""

    department: str
    item_code: str
    item_name: str
    kind: str
    """random / directed."""
    drawn_on: date | None
    completed_on: date | None
    """The inspection's end, when the item has a result."""
    category: str
    """The current result's category code ('' without a result)."""
    follow_up: bool
    published_on: date | None
    """The task's first publication."""
    deadline: date | None


@dataclass
class ItemLine:
    """One row of part 二: an inspection item and kind, with its counts."""

    department: str
    item_code: str
    item_name: str
    kind: str
    ratio: str = ""
    drawn: int = 0
    inspected: int = 0
    problems: int = 0
    handled: int = 0
    on_time: int = 0
    late: int = 0

    def counts(self) -> tuple[int, int, int, int, int, int]:
        return (self.drawn, self.inspected, self.problems, self.handled, self.on_time, self.late)


@dataclass(frozen=True)
class Readiness:
    """Part 一 (制度机制建设情况) of one department, or of all combined."""

    department: str
    department_name: str
    rules: tuple[str, ...]
    """Published plans of the year (随机抽查工作细则), as `name（code）`."""
    items: int
    """Active inspection items on the list (随机抽查事项清单)."""
    inspectors: int
    """Active inspectors on the roster (执法人员库)."""
    objects: int
    """Active objects on the roster (市场主体名录库), shared by every department."""
    planned_items: int = 0
    """Items of the list taken into a plan of the year (抽查事项覆盖)."""


def is_problem(category: str) -> bool:
    return category in FOUND


def item_lines(facts: Iterable[Fact], period: Period, ratios: dict[str, str]) -> list[ItemLine]:
    """Part 二: one line per (item, kind) that has anything in the period, ordered by item."""
    lines: dict[tuple[str, str], ItemLine] = {}
    for fact in facts:
        drawn = period.holds(fact.drawn_on)
        inspected = period.holds(fact.completed_on) and fact.category != ""
        published = period.holds(fact.published_on)
        if not (drawn or inspected or published):
            continue
        key = (fact.item_code, fact.kind)
        line = lines.get(key)
        if line is None:
            line = lines[key] = ItemLine(
                fact.department,
                fact.item_code,
                fact.item_name,
                fact.kind,
                ratio=ratios.get(fact.item_code, ""),
            )
        line.drawn += drawn
        if inspected:
            line.inspected += 1
            if is_problem(fact.category):
                line.problems += 1
                line.handled += fact.follow_up or fact.category == CORRECTED
        if published:
            assert fact.published_on is not None
            if fact.deadline is None or fact.published_on <= fact.deadline:
                line.on_time += 1
            else:
                line.late += 1
    return [lines[key] for key in sorted(lines, key=lambda k: (k[0], k[1] != "random"))]


def total(lines: Sequence[ItemLine]) -> tuple[int, ...]:
    """The 合计 row: each count summed."""
    return (
        tuple(sum(values) for values in zip(*(line.counts() for line in lines), strict=True))
        or (0,) * 6
    )


@dataclass(frozen=True)
class ProgressRow:
    """One department's row of the quarterly progress table (工作推进情况统计表, seed 003)."""

    readiness: Readiness
    drawn: int
    inspected: int
    problems: int
    published: int
    published_late: int
    feedback: Feedback | None = None

    @property
    def coverage(self) -> float:
        """随机抽查事项覆盖率: items taken into a plan / items on the list."""
        items = self.readiness.items
        return self.readiness.planned_items / items if items else 0.0

    @property
    def on_time_rate(self) -> float:
        return (self.published - self.published_late) / self.published if self.published else 0.0


def progress_row(
    readiness: Readiness, lines: Sequence[ItemLine], feedback: Feedback | None = None
) -> ProgressRow:
    drawn, inspected, problems, _handled, on_time, late = total(lines)
    return ProgressRow(readiness, drawn, inspected, problems, on_time + late, late, feedback)


def ratio_text(ratios: dict[str, str], cap: int | None) -> str:
    """A plan's ratios as printed: `A 3%、B 5%`, or `5%` for one ratio over all classes."""
    parts = []
    for code, value in sorted(ratios.items()):
        percent = f"{float(value) * 100:g}%"
        parts.append(percent if code == "all" else f"{code}类 {percent}")
    text = "、".join(parts)
    return f"{text}（每层至多{cap}户）" if cap and text else text


@dataclass(frozen=True)
class Rated:
    """One business's rating (评价) of an inspection, for its organising department."""

    department: str
    score: int
    on: date


@dataclass(frozen=True)
class Objected:
    """One objection (异议) to a published result, for the organising department."""

    department: str
    filed_on: date
    due_on: date
    status: str
    """filed / upheld / rejected."""
    decided_on: date | None
    id: int = 0


@dataclass(frozen=True)
class Feedback:
    """Ratings and objections of a department (or all) in a period (part 三)."""

    ratings: int = 0
    score_sum: int = 0
    filed: int = 0
    upheld: int = 0
    rejected: int = 0
    open: int = 0
    overdue: int = 0
    """Answered after the deadline, or still open after it."""

    @property
    def mean(self) -> float | None:
        """The mean score, to two places; None without ratings."""
        return round(self.score_sum / self.ratings, 2) if self.ratings else None

    def counts(self) -> tuple[int, float | None, int, int, int, int, int]:
        return (
            self.ratings,
            self.mean,
            self.filed,
            self.upheld,
            self.rejected,
            self.open,
            self.overdue,
        )


def is_overdue(objection: Objected, today: date) -> bool:
    return (objection.decided_on or today) > objection.due_on


def feedback(
    ratings: Iterable[Rated],
    objections: Iterable[Objected],
    period: Period | None,
    today: date,
    department: str = "",
) -> Feedback:
    """Ratings given and objections filed in the period (every one when None), of one
    department ('' for all). Overdue is judged as of `today` for objections still open."""
    scores = [
        r.score
        for r in ratings
        if (not department or r.department == department) and (period is None or period.holds(r.on))
    ]
    filed = [
        o
        for o in objections
        if (not department or o.department == department)
        and (period is None or period.holds(o.filed_on))
    ]
    return Feedback(
        ratings=len(scores),
        score_sum=sum(scores),
        filed=len(filed),
        upheld=sum(o.status == "upheld" for o in filed),
        rejected=sum(o.status == "rejected" for o in filed),
        open=sum(o.status == "filed" for o in filed),
        overdue=sum(is_overdue(o, today) for o in filed),
    )
