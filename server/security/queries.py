"""Every query over the security log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.security.tables import SecurityEvent


async def insert_event(**values: Any) -> None:
    await SecurityEvent.insert(SecurityEvent(**values))


async def list_events(
    *,
    limit: int,
    offset: int,
    kind: str | None = None,
    username: str | None = None,
    since: datetime | None = None,
) -> tuple[list[dict[str, Any]], int]:
    conditions: list[Any] = []
    if kind:
        conditions.append(SecurityEvent.kind == kind)
    if username:
        conditions.append(SecurityEvent.username == username)
    if since is not None:
        conditions.append(SecurityEvent.at >= since)
    rows = (
        await SecurityEvent.select()
        .where(*conditions)
        .order_by(SecurityEvent.id, ascending=False)
        .limit(limit)
        .offset(offset)
        .output(load_json=True)
    )
    return rows, await SecurityEvent.count().where(*conditions)
