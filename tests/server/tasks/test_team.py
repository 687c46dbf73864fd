"""The rules a hand-picked team (a directed task's) meets: those of a drawn pool."""

from __future__ import annotations

from server.draws.eligibility import Officer
from server.tasks.team import MAX_TEAM, team_problems

BUSINESS = "91230300000000001X"
OFFICERS = [
    Officer("S1", "SCJG", "active", frozenset({"food"})),
    Officer("S2", "SCJG", "active", frozenset({"food", "drugs"})),
    Officer("S3", "SCJG", "on_leave", frozenset({"food"})),
    Officer("S4", "SCJG", "active", frozenset()),
    Officer("S5", "SCJG", "active", frozenset({"food"}), conflicts=frozenset({BUSINESS})),
    Officer("W1", "WSJK", "active", frozenset({"food"})),
]


def problems(badges: list[str], required: set[str] | None = None) -> dict[str, str]:
    found = team_problems(
        badges,
        officers=OFFICERS,
        department="SCJG",
        required={"food"} if required is None else required,
        object_id=BUSINESS,
    )
    return {p.badge: p.zh for p in found}


def test_two_active_qualified_officers_of_the_department_form_a_team() -> None:
    assert problems(["S1", "S2"]) == {}
    assert problems([" S1 ", "S2", "S1"]) == {}  # blanks trimmed, a repeat counted once


def test_each_rule_names_its_badge() -> None:
    assert "至少需要2名" in problems(["S1"])[""]
    assert "至少需要2名" in problems(["S1", "S1"])[""]
    assert "不在岗" in problems(["S1", "S3"])["S3"]
    assert "不具备" in problems(["S1", "S4"])["S4"] and "food" in problems(["S1", "S4"])["S4"]
    assert "回避" in problems(["S1", "S5"])["S5"]
    assert "不是本部门" in problems(["S1", "W1"])["W1"]
    assert "不是本部门" in problems(["S1", "NOPE"])["NOPE"]
    # Without a required qualification, S4 may go.
    assert problems(["S1", "S4"], required=set()) == {}


def test_a_team_has_at_most_ten() -> None:
    many = [f"X{i}" for i in range(MAX_TEAM + 5)]
    found = problems(many)
    assert "最多10人" in found[""]
    # Each badge past the limit is not looked at one by one (the answer stays short).
    assert len([b for b in found if b]) == MAX_TEAM + 1
