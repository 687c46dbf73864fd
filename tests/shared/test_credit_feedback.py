"""The credit feedback rule: each signal, the weights, and the B → C move after two findings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.credit_feedback import CreditWeights, PublishedFinding, propose_class

CLASSES = ("A", "B", "C", "D")


def found(*pairs: tuple[str, str]) -> list[PublishedFinding]:
    return [PublishedFinding(task, category) for task, category in pairs]


def test_two_findings_move_a_b_business_to_c_and_one_does_not() -> None:
    one = propose_class("B", found(("t1", "3")), CLASSES)
    assert (one.proposed, one.points, one.changes) == ("B", 10, False)
    two = propose_class("B", found(("t1", "3"), ("t2", "B")), CLASSES)
    assert (two.proposed, two.points, two.changes) == ("C", 20, True)
    assert two.problems == {"3": 1, "B": 1}
    assert any("发现问题" in reason for reason in two.reasons)


def test_refusal_to_cooperate_counts_on_its_own() -> None:
    proposal = propose_class("B", found(("t1", "8")), CLASSES)
    assert (proposal.refusals, proposal.proposed) == (1, "C")
    assert any("不配合检查" in reason for reason in proposal.reasons)


def test_unreachable_makes_an_abnormal_list_candidate() -> None:
    proposal = propose_class("A", found(("t1", "6")), CLASSES)
    assert proposal.abnormal_candidate and proposal.unreachable == 1
    assert proposal.proposed == "B"
    assert any("经营异常名录" in reason for reason in proposal.reasons)
    assert not propose_class("A", found(("t1", "3")), CLASSES).abnormal_candidate


def test_corrected_on_order_weighs_less_than_a_pending_problem() -> None:
    assert propose_class("B", found(("t1", "E"), ("t2", "E")), CLASSES).proposed == "B"
    assert propose_class("B", found(*[(f"t{i}", "E") for i in range(4)]), CLASSES).proposed == "C"


def test_the_riskiest_class_is_the_ceiling() -> None:
    many = found(*[(f"t{i}", "2") for i in range(20)])
    assert propose_class("C", many, CLASSES).proposed == "D"


def test_weights_are_settings() -> None:
    strict = CreditWeights(problem_points=20)
    assert propose_class("B", found(("t1", "3")), CLASSES, strict).proposed == "C"
    lenient = CreditWeights(points_per_step=40)
    assert propose_class("B", found(("t1", "3"), ("t2", "4")), CLASSES, lenient).proposed == "B"
    heavier = CreditWeights(extra_problem_points={"C": 40})
    assert propose_class("A", found(("t1", "C")), CLASSES, heavier).proposed == "C"


def test_clean_inspections_lower_the_risk_but_not_below_the_set_class() -> None:
    clean = found(("t1", "1"), ("t2", "1"))
    assert propose_class("C", clean, CLASSES).proposed == "B"
    assert propose_class("B", clean, CLASSES).proposed == "B"  # A is not earned by inspections
    assert propose_class("D", found(*[(f"t{i}", "1") for i in range(4)]), CLASSES).proposed == "B"
    # One task with a clean item and a problem item is not a clean inspection.
    mixed = found(("t1", "1"), ("t1", "3"), ("t2", "1"))
    assert propose_class("C", mixed, CLASSES).clean_inspections == 1
    # Categories that are neither problems nor clean (F: activity not carried on) are neutral.
    assert propose_class("C", found(("t1", "F"), ("t2", "F")), CLASSES).proposed == "C"


def test_configured_classes_are_respected() -> None:
    grades = ("三级", "二级", "一级")  # seed 002: three grades, lowest risk first
    weights = CreditWeights(best_class_by_inspections="二级")
    assert propose_class("三级", found(("t", "8")), grades, weights).proposed == "二级"
    with pytest.raises(ValueError):
        propose_class("B", [], grades)


@given(
    st.sampled_from(CLASSES),
    st.lists(
        st.tuples(st.sampled_from(["t1", "t2", "t3"]), st.sampled_from(list("123456789ABCDEF"))),
        max_size=30,
    ),
)
def test_more_findings_never_lower_the_proposed_risk(current: str, pairs: list) -> None:
    base = propose_class(current, found(*pairs), CLASSES)
    worse = propose_class(current, found(*pairs, ("t9", "2")), CLASSES)
    assert CLASSES.index(worse.proposed) >= CLASSES.index(base.proposed) or base.points == 0
    assert base.proposed in CLASSES
