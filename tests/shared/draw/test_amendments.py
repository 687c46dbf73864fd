"""Amendments: a replacement after the draw follows the §5 rule and is published."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

import pytest

from shared.draw import amend, run_draw, verify_record
from shared.errors import SuichaError
from tests.shared.draw.builders import badges, credit_codes, draw_input, medium_input


def _ikey(seed: str, x: str, i: str) -> int:
    return int.from_bytes(
        hashlib.sha256(bytes.fromhex(seed) + f"inspector|{x}|{i}".encode()).digest()
    )


def _brute_force(
    record: dict[str, Any], x: str, dept: str, removed: str, late: set[tuple[str, str]]
) -> str | None:
    """The spec's rule, spelled out: pool minus conflicts, minus everyone on (or
    removed from) the task, smallest (tasks held now, ikey)."""
    task = next(t for t in record["current_assignments"] if t["object_id"] == x)
    on_task = {i for team in task["inspectors"].values() for i in team}
    gone = {a["removed"] for a in record["amendments"] if a["object_id"] == x} | {removed}
    conflicted = {(c["object_id"], c["inspector_id"]) for c in record["conflicts"]} | late
    for a in record["amendments"]:
        conflicted |= {(c["object_id"], c["inspector_id"]) for c in a["conflicts"]}
    held = Counter(
        i for t in record["current_assignments"] for team in t["inspectors"].values() for i in team
    )
    pool = next(d["pool"] for d in record["departments"] if d["code"] == dept)
    candidates = [i for i in pool if i not in on_task | gone and (x, i) not in conflicted]
    if not candidates:
        return None
    return min(candidates, key=lambda i: (held[i], _ikey(record["seed"], x, i)))


def test_a_late_conflict_replaces_the_inspector_by_the_rule() -> None:
    record = run_draw(medium_input())
    task = record["assignments"][4]
    x, removed = task["object_id"], task["inspectors"]["SCJG"][0]
    expected = _brute_force(record, x, "SCJG", removed, {(x, removed)})
    amended = amend(
        record,
        object_id=x,
        department="SCJG",
        removed=removed,
        reason="回避：与检查对象负责人系亲属",
        at="2026-03-03T08:00:00+08:00",
        extra_conflicts=[(x, removed)],
    )
    assert expected is not None and expected != removed
    entry = amended["amendments"][-1]
    assert entry == {
        "object_id": x,
        "department": "SCJG",
        "removed": removed,
        "replacement": expected,
        "reason": "回避：与检查对象负责人系亲属",
        "at": "2026-03-03T08:00:00+08:00",
        "conflicts": [{"object_id": x, "inspector_id": removed}],
    }
    current = amended["current_assignments"][4]["inspectors"]["SCJG"]
    assert removed not in current and expected in current
    # The draw's own result and inputs stay as drawn; the input record is untouched.
    assert amended["assignments"] == record["assignments"]
    assert amended["conflicts"] == record["conflicts"]
    assert record["amendments"] == []
    assert verify_record(amended) == []


def test_successive_amendments_use_loads_as_they_stand() -> None:
    record = run_draw(medium_input())
    for n in range(12):
        task = record["current_assignments"][n % 7]
        x = task["object_id"]
        removed = task["inspectors"]["SCJG"][0] if task["inspectors"]["SCJG"] else None
        if removed is None:
            continue
        expected = _brute_force(record, x, "SCJG", removed, set())
        record = amend(
            record,
            object_id=x,
            department="SCJG",
            removed=removed,
            reason="病假",
            at=f"2026-03-0{n % 9 + 1}",
        )
        assert record["amendments"][-1]["replacement"] == expected
    assert len(record["amendments"]) >= 7
    assert verify_record(record) == []


def test_no_candidate_leaves_the_task_understaffed() -> None:
    record = run_draw(
        draw_input(
            strata={"A": ("1", None, credit_codes(2))},
            departments={"SCJG": (1, ["SC-001", "SC-002"]), "YJGL": (1, ["YJ-001"])},
        )
    )
    x = record["assignments"][0]["object_id"]
    amended = amend(
        record, object_id=x, department="YJGL", removed="YJ-001", reason="病假", at="2026-03-03"
    )
    entry = amended["amendments"][0]
    assert entry["replacement"] is None
    assert amended["current_assignments"][0]["inspectors"]["YJGL"] == []
    assert amended["current_assignments"][0]["understaffed"] == ["YJGL"]
    assert amended["assignments"][0]["understaffed"] == []
    assert verify_record(amended) == []


def test_a_removed_inspector_never_comes_back_to_that_task() -> None:
    record = run_draw(
        draw_input(
            strata={"A": ("1", None, credit_codes(1))}, departments={"SCJG": (1, badges("SC", 3))}
        )
    )
    x = record["assignments"][0]["object_id"]
    team = record["assignments"][0]["inspectors"]["SCJG"]
    assert len(team) == 2  # one department alone sends two officers
    first = amend(
        record, object_id=x, department="SCJG", removed=team[0], reason="病假", at="2026-03-03"
    )
    (third,) = set(badges("SC", 3)) - set(team)
    assert first["amendments"][0]["replacement"] == third
    second = amend(
        first, object_id=x, department="SCJG", removed=third, reason="回避", at="2026-03-04"
    )
    assert second["amendments"][1]["replacement"] is None
    assert second["current_assignments"][0]["inspectors"]["SCJG"] == [team[1]]
    assert second["current_assignments"][0]["understaffed"] == ["SCJG"]
    assert verify_record(second) == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"removed": "SC-999"}, "draw.amend_not_assigned"),
        ({"department": "WSJK"}, "draw.amend_unknown_department"),
        ({"object_id": "91110000000000000X"}, "draw.amend_unknown_task"),
        ({"reason": " "}, "draw.field_empty"),
    ],
)
def test_refusals(change: dict[str, str], code: str) -> None:
    record = run_draw(medium_input())
    task = record["assignments"][0]
    args = {
        "object_id": task["object_id"],
        "department": "SCJG",
        "removed": task["inspectors"]["SCJG"][0],
        "reason": "病假",
        "at": "2026-03-03",
    } | change
    with pytest.raises(SuichaError) as caught:
        amend(record, **args)
    assert caught.value.code == code


def test_removing_someone_of_another_department_is_refused() -> None:
    record = run_draw(medium_input())
    task = record["assignments"][0]
    with pytest.raises(SuichaError) as caught:
        amend(
            record,
            object_id=task["object_id"],
            department="SCJG",
            removed=task["inspectors"]["YJGL"][0],
            reason="病假",
            at="2026-03-03",
        )
    assert caught.value.code == "draw.amend_not_assigned"
