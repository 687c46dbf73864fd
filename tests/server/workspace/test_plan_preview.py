"""The plan builder's live preview: per-class yield and the general items' cap check."""

from __future__ import annotations

from server.workspace import plan_builder
from server.workspace.plan_preview import preview
from tests.server.draws import world

CLASSES = ["A", "B", "C", "D"]
GENERAL = {"code": "G-1", "kind": "general", "ratio_cap": "0.05"}
KEY = {"code": "K-1", "kind": "key", "ratio_cap": None}


def test_yield_per_class_rounds_up_exactly() -> None:
    shown = preview(
        counts={"A": 37, "B": 10, "C": 0, "D": 3},
        ratios={"A": "0.05", "B": "0.05", "C": "0.05", "D": "0"},
        classes=CLASSES,
        items=[GENERAL],
        general_cap=None,
        key_full_coverage=False,
    )
    assert shown.accepted
    assert [(s.stratum, s.in_scope, s.drawn) for s in shown.strata] == [
        ("A", 37, 2),  # 37 × 0.05 = 1.85 → 2
        ("B", 10, 1),  # at least one when the ratio is above 0
        ("C", 0, 0),
        ("D", 3, 0),
    ]
    assert (shown.in_scope, shown.drawn, shown.smallest_cap) == (50, 3, "0.05")


def test_ratio_over_the_general_cap_is_refused_per_class() -> None:
    shown = preview(
        counts={"A": 100, "B": 100, "C": 100, "D": 100},
        ratios={"A": "0.03", "B": "0.05", "C": "0.1", "D": "0.2"},
        classes=CLASSES,
        items=[GENERAL],
        general_cap=None,
        key_full_coverage=False,
    )
    assert not shown.accepted
    assert [p["field"] for p in shown.problems] == ["ratios.C", "ratios.D"]
    assert {p["code"] for p in shown.problems} == {"plans.ratio_over_cap"}
    assert all("G-1" in p["zh"] and "0.05" in p["zh"] for p in shown.problems)
    assert [s.drawn for s in shown.strata] == [3, 5, None, None]


def test_key_items_lift_the_cap_and_cover_the_highest_class() -> None:
    shown = preview(
        counts={"A": 100, "B": 100, "C": 100, "D": 7},
        ratios={"A": "0.01", "B": "0.01", "C": "0.01", "D": "0.01"},
        classes=CLASSES,
        items=[KEY],
        general_cap=1,
        key_full_coverage=True,
    )
    assert [s.drawn for s in shown.strata] == [1, 1, 1, 7]
    assert shown.strata[-1].ratio == "1"


def test_general_cap_limits_each_stratum() -> None:
    shown = preview(
        counts={"A": 1000},
        ratios={"all": "0.05"},
        classes=CLASSES,
        items=[GENERAL],
        general_cap=10,
        key_full_coverage=False,
    )
    assert [(s.stratum, s.label_zh, s.in_scope, s.drawn) for s in shown.strata] == [
        ("all", "不分类（全部对象）", 1000, 10)
    ]


def test_missing_and_invalid_ratios_are_problems_next_to_their_field() -> None:
    shown = preview(
        counts={"A": 5},
        ratios={"A": "abc", "B": "0.01"},
        classes=CLASSES,
        items=[],
        general_cap=None,
        key_full_coverage=False,
    )
    fields = {p["field"]: p for p in shown.problems}
    assert set(fields) == {"ratios", "ratios.A"}
    assert fields["ratios"]["code"] == "plans.ratio_missing"
    assert "C" in fields["ratios"]["zh"] and "D" in fields["ratios"]["zh"]
    assert shown.strata[0].drawn is None


async def test_live_preview_counts_the_scope_in_sql(db) -> None:
    await world.build(objects_per_class=4)
    await world.add_object(901, risk_class="A", region="110101")
    await world.add_object(902, risk_class="A", status="deregistered")
    ratios = {"A": "0.05", "B": "0.05", "C": "0.05", "D": "0.05"}

    everything, scope_problems = await plan_builder.live_preview(
        scope={},
        ratios=ratios,
        item_codes=["SC-SP-01"],
        general_cap=None,
        key_full_coverage=False,
    )
    assert scope_problems == []
    assert [s.in_scope for s in everything.strata] == [5, 4, 4, 4]

    local, _ = await plan_builder.live_preview(
        scope={"regions": ["230302"], "risk_classes": ["A", "B"]},
        ratios=ratios,
        item_codes=["SC-SP-01"],
        general_cap=None,
        key_full_coverage=False,
    )
    assert [s.in_scope for s in local.strata] == [4, 4, 0, 0]

    bad, scope_problems = await plan_builder.live_preview(
        scope={"colour": ["red"]},
        ratios=ratios,
        item_codes=[],
        general_cap=None,
        key_full_coverage=False,
    )
    assert [p["field"] for p in scope_problems] == ["scope"]
    assert bad.in_scope == 0
