"""Which category a result may take, as a plain function over rows."""

from __future__ import annotations

import pytest

from server.categories import rules
from shared.errors import SuichaError
from shared.result_categories import DEFAULT_CATEGORIES


def _rows(**retired: bool) -> list[dict]:
    return [
        {
            "code": c.code,
            "zh": c.zh,
            "en": c.en,
            "parent": c.parent,
            "active": c.code not in retired,
        }
        for c in DEFAULT_CATEGORIES
    ]


def _refusal(code: str, rows: list[dict]) -> SuichaError:
    with pytest.raises(SuichaError) as error:
        rules.recordable(code, rows)
    return error.value


def test_a_leaf_of_the_default_list_is_recordable() -> None:
    rows = _rows()
    assert rules.recordable("1", rows)["zh"] == "未发现问题"
    assert rules.recordable("B", rows)["zh"] == "未按规定公示应当公示的信息"
    assert rules.recordable("3", rows)["zh"] == "违反食品药品管理相关规定"


def test_unknown_empty_retired_and_grouping_codes_are_refused() -> None:
    rows = _rows(**{"9": True})
    assert _refusal("", rows).code == "categories.required"
    unknown = _refusal("Z9", rows)
    assert unknown.code == "categories.unknown" and unknown.status == 422
    assert "“Z9”" in unknown.detail_zh
    retired = _refusal("9", rows)
    assert retired.code == "categories.retired"
    assert "已注销" in retired.detail_zh and "Deregistered" in retired.detail_en
    group = _refusal("A", rows)
    assert group.code == "categories.grouping"
    assert "“2”、“3”、“4”、“5”" in group.detail_zh
    assert _refusal("2", rows).code == "categories.grouping"


def test_a_group_whose_children_are_all_retired_is_a_leaf_again() -> None:
    rows = _rows(**{"B": True, "C": True, "6": True, "D": True})
    assert rules.recordable("2", rows)["code"] == "2"
    assert rules.active_children("A", rows) == ["2", "3", "4", "5"]


def test_wording_and_code_checks_collect_every_problem() -> None:
    problems = rules.new_problems()
    rules.check_code("有 空格", problems)
    rules.check_wording("zh", "  ", problems, required=True)
    rules.check_wording("en", "bad\x00", problems, required=False)
    rules.check_sort_order(-1, problems)
    assert [p["field"] for p in problems.items] == ["code", "zh", "en", "sort_order"]
    with pytest.raises(SuichaError) as error:
        problems.raise_if_any()
    assert error.value.code == "categories.invalid" and len(error.value.extra["errors"]) == 4
