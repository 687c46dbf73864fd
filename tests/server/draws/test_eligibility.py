"""Eligibility as a pure function: exclusions with reason codes, pools, conflict pairs."""

from __future__ import annotations

from server.draws.eligibility import (
    Candidate,
    ItemRule,
    Officer,
    conflict_pairs,
    department_pool,
    eligible_population,
    explain,
)

GENERAL = [ItemRule("SC-SP-01", key=False), ItemRule("WS-GG-01", key=False)]


def _population(candidates, *, items=GENERAL, recent=None, elsewhere=None, strata="ABCD"):
    return eligible_population(
        candidates,
        strata=sorted(strata) if strata != "all" else ["all"],
        undifferentiated=strata == "all",
        items=items,
        highest_class="D",
        inspected_recently=recent or {},
        drawn_elsewhere=elsewhere or {},
    )


def test_each_exclusion_is_listed_with_its_reason() -> None:
    candidates = [
        Candidate("X5", "B", "active"),
        Candidate("X1", "B", "deregistered"),
        Candidate("X2", "C", "revoked"),
        Candidate("X3", "A", "active"),
        Candidate("X4", "B", "active"),
    ]
    result = _population(
        candidates,
        recent={"X4": {"SC-SP-01", "WS-GG-01"}, "X5": {"SC-SP-01"}},
        elsewhere={"X3": "2026-LH-007"},
    )
    assert result.exclusions == [
        {"id": "X1", "reason": "deregistered"},
        {"id": "X2", "reason": "revoked"},
        {"id": "X3", "reason": "drawn_in_other_plan:2026-LH-007"},
        {"id": "X4", "reason": "inspected_recently"},
    ]
    # X5 was inspected for one item only: the other is still due
    assert result.strata == {"A": [], "B": ["X5"], "C": [], "D": []}
    assert explain("drawn_in_other_plan:2026-LH-007") == (
        "drawn_in_other_plan",
        "已在同期其他计划中抽中，建议联合检查（2026-LH-007）",
    )


def test_key_items_and_class_d_are_never_skipped_for_recent_inspection() -> None:
    recent = {"X1": {"SC-SP-01"}, "X2": {"SC-SP-01"}}
    candidates = [Candidate("X1", "B", "active"), Candidate("X2", "D", "active")]
    general = _population(candidates, items=[ItemRule("SC-SP-01", key=False)], recent=recent)
    assert general.strata["B"] == [] and general.strata["D"] == ["X2"]
    key = _population(candidates, items=[ItemRule("SC-SP-01", key=True)], recent=recent)
    assert key.strata["B"] == ["X1"] and key.exclusions == []


def test_classes_without_ratio_are_outside_and_all_is_one_stratum() -> None:
    candidates = [Candidate("X2", "A", "active"), Candidate("X1", "D", "active")]
    assert _population(candidates, strata="D").strata == {"D": ["X1"]}
    assert _population(candidates, strata="all").strata == {"all": ["X1", "X2"]}


def test_pools_and_conflict_pairs() -> None:
    officers = [
        Officer("SC-2", "SCJG", "active", frozenset({"food", "drug"}), station_region="230302"),
        Officer("SC-1", "SCJG", "active", frozenset({"food"}), conflicts=frozenset({"X9", "X1"})),
        Officer("SC-3", "SCJG", "on_leave", frozenset({"food"})),
        Officer("WS-1", "WSJK", "active", frozenset({"food"})),
    ]
    assert department_pool(officers, "SCJG", {"food"}) == ["SC-1", "SC-2"]
    assert department_pool(officers, "SCJG", {"food", "drug"}) == ["SC-2"]
    assert department_pool(officers, "SCJG", {"tax"}) == []
    objects = [
        Candidate("X1", "B", "active", region="230303"),
        Candidate("X2", "B", "active", region="230302101"),
        Candidate("X3", "B", "active", region="230302"),
    ]
    assert conflict_pairs(officers, objects, cross_jurisdiction=False) == [("X1", "SC-1")]
    assert conflict_pairs(officers, objects, cross_jurisdiction=True) == [
        ("X1", "SC-1"),
        ("X2", "SC-2"),
        ("X3", "SC-2"),
    ]
