"""Plan rules as plain functions: ratios, scope, strata, transitions."""

from __future__ import annotations

import pytest

from server.plans import rules
from shared.errors import SuichaError


def test_ratios_are_exact_decimals_between_zero_and_one() -> None:
    assert rules.validate_ratios({"B": "0.050", "A": "0", "D": "1"}, "ABCD") == {
        "A": "0",
        "B": "0.05",
        "D": "1",
    }
    for bad in ("1.01", "-0.5", "NaN", "Infinity", "1e5", "", "五"):
        with pytest.raises(SuichaError) as error:
            rules.validate_ratios({"A": bad}, "ABCD")
        assert error.value.code == "plans.ratio_invalid", bad


def test_configured_classes_decide_the_strata() -> None:
    assert rules.validate_ratios({"一级": "0.5"}, ["三级", "二级", "一级"]) == {"一级": "0.5"}
    with pytest.raises(SuichaError):
        rules.validate_ratios({"A": "0.5"}, ["三级", "二级", "一级"])


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
