"""Every query of notifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from server.accounts.tables import User
from server.db import reader
from server.notifications.tables import JobRun, Notification


async def insert_new(rows: list[dict[str, Any]]) -> int:
    """Insert the rows whose `dedupe_key` is new; return how many were inserted."""
    inserted = 0
    for row in rows:
        result = (
            await Notification.insert(Notification(**row))
            .on_conflict(target=Notification.dedupe_key, action="DO NOTHING")
            .returning(Notification.id)
        )
        inserted += len(result)
    return inserted


async def undelivered(limit: int) -> list[dict[str, Any]]:
    return (
        await Notification.select(
            Notification.all_columns(), Notification.user.username.as_alias("username")
        )
        .where(Notification.delivered_at.is_null())
        .order_by(Notification.id)
        .limit(limit)
    )


async def mark_delivered(notification_id: int, at: datetime) -> None:
    await Notification.update({Notification.delivered_at: at}).where(
        Notification.id == notification_id
    )


async def users_with_role(role: str, department_ids: Iterable[int] | None) -> list[dict[str, Any]]:
    query = User.select(User.id, User.username, User.department).where(
        (User.role == role) & User.active.eq(True)
    )
    ids = None if department_ids is None else list(department_ids)
    if ids is not None:
        if not ids:
            return []
        query = query.where(User.department.is_in(ids))
    return await query


async def of_user(
    user_id: int, unread: bool, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    condition = Notification.user == user_id
    if unread:
        condition &= Notification.read_at.is_null()
    rows = (
        await Notification.select()
        .where(condition)
        .order_by(Notification.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return rows, await Notification.count().where(condition)


async def unread_count(user_id: int) -> int:
    """The unread count every workspace page shows: one COUNT, no rows."""
    return await reader.fetch(
        Notification.count().where((Notification.user == user_id) & Notification.read_at.is_null())
    )


async def mark_read(user_id: int, notification_id: int, at: datetime) -> bool:
    row = (
        await Notification.select(Notification.id, Notification.read_at)
        .where((Notification.id == notification_id) & (Notification.user == user_id))
        .first()
    )
    if row is None:
        return False
    if row["read_at"] is None:
        await Notification.update({Notification.read_at: at}).where(
            Notification.id == notification_id
        )
    return True


async def record_run(job: str, runner: str, at: datetime, sent: int) -> None:
    await JobRun.insert(JobRun(job=job, runner=runner, at=at, sent=sent))


async def prune_runs(before: datetime) -> None:
    await JobRun.delete().where(JobRun.at < before)
