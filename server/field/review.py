"""The conflict review list (冲突复核): both versions of every conflicting item result."""

from __future__ import annotations

from server.accounts.principal import Principal
from server.field import queries
from server.field.results import view_of
from server.http.paging import Page, clamp_limit, page_of
from shared.sync.protocol import ConflictView

STATUSES = ("open", "resolved")


async def list_conflicts(
    principal: Principal, *, status: str | None, limit: int, offset: int
) -> Page[ConflictView]:
    """Conflicts of the caller's department (an admin sees every department's)."""
    limit = clamp_limit(limit)
    rows, total = await queries.conflicts(
        department_id=None if principal.is_admin else principal.department_id or -1,
        status=status,
        limit=limit,
        offset=offset,
    )
    versions = await queries.versions_by_ids(
        [row["server_version"] for row in rows] + [row["client_version"] for row in rows]
    )
    items = [
        ConflictView(
            id=row["id"],
            task_id=row["task"],
            item=row["item_code"],
            department=row["department_code"],
            reason=row["reason"],
            status=row["status"],
            created_at=row["created_at"],
            server=view_of(versions[row["server_version"]]),
            client=view_of(versions[row["client_version"]]),
        )
        for row in rows
    ]
    return page_of(items, total, limit, offset)
