"""Amendments after the draw (`suicha-draw/1` §5, last paragraph).

A late 回避 declaration or an illness removes one inspector from one task's
department team; the replacement is picked by the §5 rule over that
department's pool minus the task's conflicts, minus everyone on the task and
everyone ever removed from it, with loads as they stand (tasks each inspector
holds after the draw and every earlier amendment). No candidate: the
replacement is null and the department is named in the task's `understaffed`.

Each amendment is published as
`{"object_id", "department", "removed", "replacement": id | null, "reason",
"at", "conflicts": [{"object_id", "inspector_id"}]}`. `conflicts` are the
late declarations that came with it. They are kept in the amendment and not
added to the record's top-level `conflicts`, because those are the draw's
input: a declaration made after the draw must not change what re-running the
draw gives. `assignments` keep the draw's result; `current_assignments` carry
the teams after the amendments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from shared.draw.errors import (
    AMEND_NOT_ASSIGNED,
    AMEND_UNKNOWN_DEPARTMENT,
    AMEND_UNKNOWN_TASK,
)
from shared.draw.inspectors import pick_replacement
from shared.draw.record import copy_assignments, relevant_conflicts
from shared.draw.seed import check_text
from shared.draw.text import check_id
from shared.errors import SuichaError


def amend(
    record: Mapping[str, Any],
    *,
    object_id: str,
    department: str,
    removed: str,
    reason: str,
    at: str,
    extra_conflicts: Collection[tuple[str, str]] = (),
) -> dict[str, Any]:
    """A new record with one amendment appended and `current_assignments` updated."""
    object_id, department, removed = check_id(object_id), check_id(department), check_id(removed)
    reason, at = check_text(reason, "reason"), check_text(at, "at")
    current = copy_assignments(record["current_assignments"])
    task = _task(current, object_id)
    if department not in {d["code"] for d in record["departments"]}:
        raise SuichaError(AMEND_UNKNOWN_DEPARTMENT, department=department)
    if removed not in task["inspectors"].get(department, []):
        raise SuichaError(
            AMEND_NOT_ASSIGNED, removed=removed, object_id=object_id, department=department
        )
    tasks = [a["object_id"] for a in current]
    known = {(c["object_id"], c["inspector_id"]) for c in record["conflicts"]}
    for earlier in record["amendments"]:
        known.update((c["object_id"], c["inspector_id"]) for c in earlier["conflicts"])
    late = [
        c
        for c in relevant_conflicts(extra_conflicts, tasks, record["departments"])
        if (c["object_id"], c["inspector_id"]) not in known
    ]
    replacement = replacement_for(
        record, current, record["amendments"], object_id, department, removed, late
    )
    apply_amendment(task, department, removed, replacement)
    entry = {
        "object_id": object_id,
        "department": department,
        "removed": removed,
        "replacement": replacement,
        "reason": reason,
        "at": at,
        "conflicts": late,
    }
    return {**record, "amendments": [*record["amendments"], entry], "current_assignments": current}


def _task(current: Sequence[dict[str, Any]], object_id: str) -> dict[str, Any]:
    for task in current:
        if task["object_id"] == object_id:
            return task
    raise SuichaError(AMEND_UNKNOWN_TASK, object_id=object_id)


def replacement_for(
    record: Mapping[str, Any],
    current: Sequence[Mapping[str, Any]],
    earlier: Sequence[Mapping[str, Any]],
    object_id: str,
    department: str,
    removed: str,
    late_conflicts: Sequence[Mapping[str, str]],
) -> str | None:
    """The replacement the rule picks, given the teams and amendments so far."""
    blocked = {c["inspector_id"] for c in record["conflicts"] if c["object_id"] == object_id}
    for amendment in [*earlier, {"conflicts": late_conflicts}]:
        blocked.update(
            c["inspector_id"] for c in amendment["conflicts"] if c["object_id"] == object_id
        )
    blocked.update(a["removed"] for a in earlier if a["object_id"] == object_id)
    blocked.add(removed)
    task = next(t for t in current if t["object_id"] == object_id)
    for team in task["inspectors"].values():
        blocked.update(team)
    loads: Counter[str] = Counter(
        i for t in current for team in t["inspectors"].values() for i in team
    )
    pool = next(d["pool"] for d in record["departments"] if d["code"] == department)
    seed = bytes.fromhex(record["seed"])
    return pick_replacement(seed, object_id, [i for i in pool if i not in blocked], loads)


def apply_amendment(
    task: dict[str, Any], department: str, removed: str, replacement: str | None
) -> None:
    """Change one team in place: the removed inspector out, the replacement in (at the end)."""
    team = task["inspectors"][department]
    team.remove(removed)
    if replacement is None:
        if department not in task["understaffed"]:
            task["understaffed"].append(department)
    else:
        team.append(replacement)
