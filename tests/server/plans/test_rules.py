"""Plan rules as plain functions: ratios, scope, strata, transitions."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from server.plans import rules
from shared.errors import SuichaError


def _ratios(ratios: dict[str, str], classes: Sequence[str] = "ABCD") -> tuple[dict, list]:
    problems = rules.new_problems()
    clean = rules.check_ratios(ratios, classes, problems)
    return clean, problems.items


def test_ratios_are_exact_decimals_between_zero_and_one() -> None:
    assert _ratios({"B": "0.050", "A": "0", "C": "0", "D": "1"}) == (
        {"A": "0", "B": "0.05", "C": "0", "D": "1"},
        [],
    )
    assert _ratios({"A": "0.12345678", "B": "1E-8", "C": "0", "D": "0"})[0]["B"] == "0.00000001"
    for bad in ("1.01", "-0.5", "NaN", "Infinity", "1e5", "", "五", "1e-999999999", "0.123456789"):
        _, problems = _ratios({"A": bad, "B": "0", "C": "0", "D": "0"})
        assert [(p["field"], p["code"]) for p in problems] == [
            ("ratios.A", "plans.ratio_invalid")
        ], bad


def test_configured_classes_decide_the_strata() -> None:
    assert _ratios({"一级": "0.5", "二级": "0", "三级": "0"}, ["三级", "二级", "一级"]) == (
        {"一级": "0.5", "三级": "0", "二级": "0"},
        [],
    )
    _, problems = _ratios({"A": "0.5"}, ["三级", "二级", "一级"])
    assert {p["code"] for p in problems} == {"plans.strata_invalid", "plans.ratio_missing"}


def test_every_configured_class_needs_an_explicit_ratio() -> None:
    _, problems = _ratios({"A": "0.1", "D": "0.3"})
    [missing] = problems
    assert missing["code"] == "plans.ratio_missing"
    assert "“B”、“C”" in missing["zh"] and "B, C" in missing["en"]
    assert _ratios({"all": "0.05"})[1] == []  # one undifferentiated stratum covers every class


def test_every_ratio_problem_is_reported_at_once() -> None:
    _, problems = _ratios({"A": "2", "B": "x", "Z": "0.1", "all": "0.2"})
    assert sorted((p["field"], p["code"]) for p in problems) == [
        ("ratios", "plans.strata_invalid"),
        ("ratios", "plans.strata_invalid"),
        ("ratios.A", "plans.ratio_invalid"),
        ("ratios.B", "plans.ratio_invalid"),
    ]


GENERAL_5 = {"code": "G-05", "kind": "general", "ratio_cap": "0.05"}
GENERAL_3 = {"code": "G-03", "kind": "general", "ratio_cap": "0.030"}
GENERAL_NONE = {"code": "G-NO", "kind": "general", "ratio_cap": None}
KEY = {"code": "K-01", "kind": "key", "ratio_cap": None}


def _caps(ratios: dict[str, str], items: list[dict]) -> list[dict[str, str]]:
    problems = rules.new_problems()
    rules.check_ratio_caps(ratios, items, problems)
    return problems.items


def test_the_smallest_general_cap_limits_every_class() -> None:
    ratios = {"A": "0.01", "B": "0.03", "C": "0.04", "D": "0.5"}
    problems = _caps(ratios, [GENERAL_5, GENERAL_3, KEY])
    assert [(p["field"], p["code"]) for p in problems] == [
        ("ratios.C", "plans.ratio_over_cap"),
        ("ratios.D", "plans.ratio_over_cap"),
    ]
    assert problems[1]["zh"] == "D类的抽查比例0.5超过一般检查事项“G-03”的比例上限0.03"
    assert "G-03" in problems[1]["en"] and "0.03" in problems[1]["en"]
    assert _caps({"all": "0.06"}, [GENERAL_5])[0]["zh"].startswith("不分类")


def test_key_items_and_uncapped_general_items_set_no_limit() -> None:
    assert _caps({"A": "1", "D": "1"}, [KEY, GENERAL_NONE]) == []
    assert _caps({"A": "0.05"}, [GENERAL_5]) == []  # the cap itself is allowed


def test_a_stored_plan_that_breaks_the_rules_gets_warnings() -> None:
    warnings = rules.ratio_warnings({"A": "0.5"}, "ABCD", [GENERAL_5])
    assert [w["code"] for w in warnings] == ["plans.ratio_missing", "plans.ratio_over_cap"]
    assert set(warnings[0]) == {"code", "zh", "en"}


def test_problems_refuse_once_with_the_whole_list() -> None:
    problems = rules.new_problems()
    problems.raise_if_any()  # nothing to report
    rules.check_ratios({"A": "2"}, "AB", problems)
    with pytest.raises(SuichaError) as error:
        problems.raise_if_any()
    assert error.value.code == "plans.invalid" and error.value.status == 422
    assert len(error.value.extra["errors"]) == 2
    assert error.value.detail_zh.startswith("计划有2处问题，未作任何更改。")


def test_key_items_lift_the_cap_and_can_cover_class_d_fully() -> None:
    ratios = {"A": "0.01", "D": "0.2"}
    general = rules.stratum_rules(
        ratios, general_cap=5, has_key_items=False, key_full_coverage=True, highest_class="D"
    )
    assert general == {"A": rules.StratumRule("0.01", 5), "D": rules.StratumRule("0.2", 5)}
    key = rules.stratum_rules(
        ratios, general_cap=5, has_key_items=True, key_full_coverage=True, highest_class="D"
    )
    assert key == {"A": rules.StratumRule("0.01", None), "D": rules.StratumRule("1", None)}


def test_scope_matching() -> None:
    obj = {
        "risk_class": "C",
        "kind": "enterprise",
        "industry_code": "5211",
        "region": "230302101",
        "tags": ["食品经营"],
    }
    assert rules.matches_scope(obj, {})
    assert rules.matches_scope(obj, {"regions": ["230302"], "industry_codes": ["52"]})
    assert rules.matches_scope(obj, {"tags": ["食品经营", "药品"]})
    assert not rules.matches_scope(obj, {"tags": ["药品"]})
    assert not rules.matches_scope(obj, {"risk_classes": ["A", "B"]})
    assert not rules.matches_scope(obj, {"regions": ["230303"]})


def test_lifecycle_transitions() -> None:
    assert rules.transition("draft", "approve") == "approved"
    assert rules.transition("approved", "publish") == "published"
    assert rules.transition("drawn", "close") == "closed"
    with pytest.raises(SuichaError) as error:
        rules.transition("draft", "publish")
    assert error.value.code == "plans.bad_transition"
