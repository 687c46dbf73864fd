"""The progress dashboard's summary: counts, understaffed, overdue and provisional, filters."""

from __future__ import annotations

from datetime import date

from server.workspace.progress import summarise

TODAY = date(2026, 12, 10)
TASKS = [
    {"id": 1, "object_id": "X1", "object_name": "甲", "status": "assigned", "understaffed": []},
    {"id": 2, "object_id": "X2", "object_name": "乙", "status": "submitted", "understaffed": []},
    {
        "id": 3,
        "object_id": "X3",
        "object_name": "丙",
        "status": "submitted",
        "understaffed": ["WSJK"],
    },
    {"id": 4, "object_id": "X4", "object_name": "丁", "status": "closed", "understaffed": []},
]
MEMBERS = [
    {"task": 1, "active": True, "department_code": "SCJG", "name": "张三", "badge_no": "S1"},
    {"task": 1, "active": False, "department_code": "SCJG", "name": "李四", "badge_no": "S2"},
]
DEADLINES = {
    2: {"deadline": date(2026, 12, 7), "provisional": False, "published_on": None},
    3: {"deadline": date(2026, 12, 14), "provisional": True, "published_on": None},
    4: {"deadline": date(2026, 12, 1), "provisional": False, "published_on": date(2026, 11, 30)},
}


def test_counts_and_deadlines() -> None:
    shown = summarise(TASKS, MEMBERS, DEADLINES, TODAY)
    assert shown.by_status == {"assigned": 1, "submitted": 2, "closed": 1}
    assert (shown.total, shown.understaffed, shown.overdue) == (4, 1, 1)
    lines = {line.task_id: line for line in shown.lines}
    assert lines[1].team == ["SCJG：张三（S1）"]  # the replaced member is not shown
    assert lines[1].deadline is None and not lines[1].overdue
    assert (lines[2].days_left, lines[2].overdue) == (-3, True)
    assert (lines[3].days_left, lines[3].provisional, lines[3].overdue) == (4, True, False)
    assert lines[4].published and not lines[4].overdue  # published late is not "overdue" now


def test_filters_keep_the_counts_of_every_task() -> None:
    shown = summarise(TASKS, MEMBERS, DEADLINES, TODAY, status="submitted", overdue_only=True)
    assert [line.task_id for line in shown.lines] == [2]
    assert shown.total == 4
    short = summarise(TASKS, [], DEADLINES, TODAY, understaffed_only=True)
    assert [line.task_id for line in short.lines] == [3]
