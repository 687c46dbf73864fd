"""The workspace navigation marks exactly the page group the user is in."""

from server.accounts.roles import Role
from server.workspace.nav import entries_for


def _current(path: str) -> list[str]:
    return [str(e["label"]) for e in entries_for(Role.TEAM_LEAD, path) if e["current"]]


def test_each_page_marks_only_its_own_group() -> None:
    assert _current("/workspace/") == ["首页"]
    assert _current("/workspace/plans/JX-2026-LH-001") == ["抽查计划"]
    assert _current("/workspace/rosters/objects") == ["名录库"]
    assert _current("/workspace/notifications") == ["提醒"]
    assert _current("/workspace/review/") == ["审核公示"]
    assert _current("/workspace/review") == ["审核公示"]  # as Litestar gives the path
    assert _current("/workspace/reports") == ["报表"]
    assert _current("/workspace/reports/accountability") == ["报表"]
    assert _current("/workspace/reports/12/file") == ["报表"]


def test_admin_entry_is_shown_to_admins_only() -> None:
    assert "系统管理" not in [e["label"] for e in entries_for(Role.TEAM_LEAD, "/workspace/")]
    assert "系统管理" in [e["label"] for e in entries_for(Role.ADMIN, "/workspace/")]
