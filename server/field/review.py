"""The conflict review list (冲突复核): both versions of every conflicting item result."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.field import errors, queries
from server.field.results import view_of
from server.field.schemas import ResolutionAck
from server.http.errors import invalid
from server.http.paging import Page, clamp_limit, page_of
from shared.errors import SuichaError
from shared.sync.protocol import ConflictResolution, ConflictView

STATUSES = ("open", "resolved")


async def list_conflicts(
    principal: Principal, *, status: str | None, limit: int, offset: int
) -> Page[ConflictView]:
    """Conflicts of the caller's department (an admin sees every department's)."""
    if status is not None and status not in STATUSES:
        raise invalid(
            "查询参数“status”应为“open”（未处理）或“resolved”（已处理）",
            f"status must be one of {STATUSES}",
        )
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


async def resolve(
    principal: Principal, conflict_id: int, resolution: ConflictResolution
) -> ResolutionAck:
    """Settle a conflict: keep the server's version, or make the client's the current one."""
    async with write_transaction():
        row = await queries.conflict_for_update(conflict_id)
        # Another department's conflict is reported as unknown: its existence is not theirs.
        if row is None or not principal.manages_department(row["department"]):
            raise SuichaError(errors.CONFLICT_UNKNOWN, conflict_id=conflict_id)
        if row["status"] != "open":
            raise SuichaError(errors.CONFLICT_RESOLVED, conflict_id=conflict_id)
        now = datetime.now(UTC)
        version = None
        if resolution.keep == "client":
            version = await _promote(principal, row, now)
        await queries.close_conflict(conflict_id, now, f"{resolution.keep}: {resolution.note}")
        await audit(
            actor=principal.username,
            action="review.conflict.resolve",
            entity="result_conflict",
            entity_id=str(conflict_id),
            change={"keep": resolution.keep, "note": resolution.note, "version": version},
        )
    return ResolutionAck(
        id=conflict_id, status="resolved", keep=resolution.keep, resolved_at=now, version=version
    )


async def _promote(principal: Principal, conflict: dict[str, Any], now: datetime) -> int:
    """The client's version, copied on top of the result's history as its next version."""
    head = await queries.head_by_task_item(conflict["task"], conflict["item"])
    client = (await queries.versions_by_ids([conflict["client_version"]]))[
        conflict["client_version"]
    ]
    assert head is not None  # a conflict always has a server side
    version = head["version"] + 1
    body = client["body"]
    await queries.insert_version(
        result_uuid=head["result_uuid"],
        task=conflict["task"],
        item=conflict["item"],
        version=version,
        accepted=True,
        base_version=head["version"],
        body=msgspec.json.decode(body) if isinstance(body, str) else body,
        body_hash=client["body_hash"],
        inspector=client["inspector"],
        user=principal.user_id,
        device_id=client["device_id"],
        received_at=now,
    )
    await queries.move_head(head["id"], version, now)
    return version
