"""The workspace's navigation: one entry per page group, shown to the roles that may use it.

Each page group adds its entry here (one line); the base layout shows the entries
the signed-in role may open and marks the current one.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.accounts.roles import PERMISSIONS, STAFF, Role


@dataclass(frozen=True)
class NavEntry:
    label: str
    href: str
    roles: frozenset[Role]


ADMINS = frozenset({Role.ADMIN})
ROSTER_READERS = STAFF
REPORT_READERS = PERMISSIONS["reports.read"] | PERMISSIONS["accountability.read"]
"""Reports for those holding reports.read; observers get the accountability view there."""

NAV: list[NavEntry] = [
    NavEntry("首页", "/workspace/", STAFF),
    NavEntry("名录库", "/workspace/rosters/objects", ROSTER_READERS),
    NavEntry("检查事项", "/workspace/rosters/items", ROSTER_READERS),
    NavEntry("抽查计划", "/workspace/plans/", STAFF),
    NavEntry("定向检查", "/workspace/directed/", STAFF),
    NavEntry("审核公示", "/workspace/review/", STAFF),
    NavEntry("异议处理", "/workspace/objections/", STAFF),
    NavEntry("提醒", "/workspace/notifications", STAFF),
    NavEntry("报表", "/workspace/reports/", REPORT_READERS),
    NavEntry("系统管理", "/workspace/admin/accounts", ADMINS),
]


def entries_for(role: Role, path: str) -> list[dict[str, object]]:
    """The entries `role` sees, the one whose page group holds `path` marked current."""
    shown = [entry for entry in NAV if role in entry.roles]
    # Litestar hands a page's path over without its trailing slash (`/workspace/review`).
    if path + "/" in {e.href for e in shown}:
        path += "/"
    current = max(
        (
            e
            for e in shown
            if path == e.href or (e.href != "/workspace/" and path.startswith(_group(e.href)))
        ),
        key=lambda e: (path == e.href, len(e.href)),
        default=None,
    )
    return [{"label": e.label, "href": e.href, "current": e is current} for e in shown]


def _group(href: str) -> str:
    """`/workspace/rosters/objects` → `/workspace/rosters/`: pages of a group share a prefix.

    A page directly under the workspace (`/workspace/notifications`) is a group of
    its own; its parent is the home page, which every path would match.
    """
    parent = href.rsplit("/", 1)[0] + "/"
    return href if parent == "/workspace/" else parent
