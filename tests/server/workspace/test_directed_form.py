"""The workspace form of a directed task, read before any lookup: an error per field."""

from __future__ import annotations

from server.workspace.progress import directed_lines, read_directed_form
from shared.inspection_code import REASON_CATEGORIES

GOOD = {
    "business": "测试企业1号",
    "department": "SCJG",
    "reason_category": "referral",
    "reference_no": "JB-2026-12",
    "window_start": "2026-11-01",
    "window_end": "2026-11-30",
}


def test_a_complete_form_has_no_errors() -> None:
    typed, errors = read_directed_form(GOOD, ["SC-01", "SC-01"], ["S1", "S2"], REASON_CATEGORIES)
    assert errors == {}
    assert typed["items"] == ["SC-01"] and typed["badges"] == ["S1", "S2"]


def test_every_field_gets_its_own_error() -> None:
    _, errors = read_directed_form({}, [], [], REASON_CATEGORIES)
    assert set(errors) == {*GOOD, "items", "badges"}
    bad = {
        **GOOD,
        "reason_category": "revenge",
        "reference_no": "x" * 65,
        "window_start": "2026-13-01",
    }
    _, errors = read_directed_form(bad, ["SC-01"], ["S1"], REASON_CATEGORIES)
    assert errors == {
        "reason_category": "请选择原因类别",
        "reference_no": "最多64个字符",
        "window_start": "日期格式应为YYYY-MM-DD",
        "badges": "现场检查至少需要2名执法人员",
    }
    _, errors = read_directed_form(
        {**GOOD, "window_end": "2027-03-01"}, ["SC-01"], ["S1", "S2"], REASON_CATEGORIES
    )
    assert errors == {"window_end": "检查时段最长92天"}
    _, errors = read_directed_form(
        {**GOOD, "window_end": "2026-10-01"}, ["SC-01"], ["S1", "S2"], REASON_CATEGORIES
    )
    assert errors == {"window_end": "结束日期不能早于开始日期"}


def test_lines_show_the_reason_in_chinese_and_only_active_members() -> None:
    rows = [
        {
            "id": 7,
            "code": "2026-SCJG-ABCDEFG",
            "object_id": "X",
            "object_name": "甲",
            "department_code": "SCJG",
            "reason_category": "data_monitoring",
            "reference_no": "JC-1",
            "window_start": "2026-11-01",
            "window_end": "2026-11-30",
            "status": "assigned",
        }
    ]
    members = [
        {"task": 7, "active": True, "name": "张三", "badge_no": "S1"},
        {"task": 7, "active": False, "name": "李四", "badge_no": "S2"},
    ]
    [line] = directed_lines(rows, members, REASON_CATEGORIES)
    assert line.reason_zh == "大数据监测" and line.team == ["张三（S1）"]
    assert line.status_zh == "已分派" and line.window == "2026-11-01 至 2026-11-30"
