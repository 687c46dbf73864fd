"""Every query over users and device sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from server.accounts import principal_cache
from server.accounts.tables import DeviceSession, LoginThrottle, RetiredRefreshToken, User
from server.accounts.throttle import Counter


async def user_by_username(username: str) -> dict[str, Any] | None:
    return await User.select().where(User.username == username).first()


async def user_by_id(user_id: int) -> dict[str, Any] | None:
    return await User.select().where(User.id == user_id).first()


async def username_exists(username: str) -> bool:
    return await User.exists().where(User.username == username)


def _summary() -> Any:
    return User.select(
        User.id,
        User.username,
        User.display_name,
        User.role,
        User.active,
        User.department.code.as_alias("department"),
        User.inspector.badge_no.as_alias("badge_no"),
    )


async def user_summary(user_id: int) -> dict[str, Any] | None:
    return await _summary().where(User.id == user_id).first()


async def list_users(*, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    rows = await _summary().order_by(User.id).limit(limit).offset(offset)
    return rows, await User.count()


async def insert_user(**values: Any) -> int:
    result = await User.insert(User(**values)).returning(User.id)
    return result[0]["id"]


async def session_by_access_hash(token_hash: str) -> dict[str, Any] | None:
    return (
        await DeviceSession.select(
            DeviceSession.id,
            DeviceSession.device_id,
            DeviceSession.access_expires_at,
            DeviceSession.revoked_at,
            DeviceSession.ended_at,
            DeviceSession.end_reason,
            DeviceSession.user.id.as_alias("user_id"),
            DeviceSession.user.username.as_alias("username"),
            DeviceSession.user.role.as_alias("role"),
            DeviceSession.user.active.as_alias("active"),
            DeviceSession.user.department.id.as_alias("department_id"),
            DeviceSession.user.department.code.as_alias("department_code"),
            DeviceSession.user.inspector.id.as_alias("inspector_id"),
        )
        .where(DeviceSession.access_token_hash == token_hash)
        .first()
    )


async def session_by_refresh_hash(token_hash: str) -> dict[str, Any] | None:
    """The session whose current or previous (not yet superseded) refresh token this is."""
    return (
        await DeviceSession.select()
        .where(
            (DeviceSession.refresh_token_hash == token_hash)
            | (DeviceSession.previous_refresh_hash == token_hash)
        )
        .first()
    )


async def insert_session(**values: Any) -> int:
    result = await DeviceSession.insert(DeviceSession(**values)).returning(DeviceSession.id)
    return result[0]["id"]


async def rotate_session_tokens(session_id: int, **values: Any) -> None:
    principal_cache.changed()  # the old access token stops working
    await DeviceSession.update(values).where(DeviceSession.id == session_id)


async def revoke_device_sessions(user_id: int, device_id: str, at: datetime) -> int:
    principal_cache.changed()
    rows = (
        await DeviceSession.update({DeviceSession.revoked_at: at})
        .where(
            (DeviceSession.user == user_id)
            & (DeviceSession.device_id == device_id)
            & DeviceSession.revoked_at.is_null()
        )
        .returning(DeviceSession.id)
    )
    return len(rows)


async def device_revoked(user_id: int, device_id: str) -> bool:
    """True when the device has sessions for the user and all of them are revoked."""
    sessions = await DeviceSession.select(DeviceSession.revoked_at).where(
        (DeviceSession.user == user_id) & (DeviceSession.device_id == device_id)
    )
    return bool(sessions) and all(s["revoked_at"] is not None for s in sessions)


async def list_devices(user_id: int) -> list[dict[str, Any]]:
    return (
        await DeviceSession.select(
            DeviceSession.device_id,
            DeviceSession.created_at,
            DeviceSession.revoked_at,
            DeviceSession.ended_at,
        )
        .where(DeviceSession.user == user_id)
        .order_by(DeviceSession.created_at)
    )


async def set_user_active(user_id: int, active: bool) -> bool:
    """Set the flag; False when there is no such user."""
    principal_cache.changed()
    rows = await User.update({User.active: active}).where(User.id == user_id).returning(User.id)
    return bool(rows)


async def end_sessions(
    *,
    user_id: int,
    at: datetime,
    reason: str,
    device_id: str | None = None,
    session_id: int | None = None,
) -> int:
    """End the user's live sessions (all, one device's, or one); return how many ended."""
    principal_cache.changed()
    condition = (
        (DeviceSession.user == user_id)
        & DeviceSession.revoked_at.is_null()
        & DeviceSession.ended_at.is_null()
    )
    if device_id is not None:
        condition &= DeviceSession.device_id == device_id
    if session_id is not None:
        condition &= DeviceSession.id == session_id
    rows = (
        await DeviceSession.update({DeviceSession.ended_at: at, DeviceSession.end_reason: reason})
        .where(condition)
        .returning(DeviceSession.id)
    )
    return len(rows)


async def lock_session(session_id: int) -> dict[str, Any] | None:
    """Read the session again under a row lock (PostgreSQL), so two refreshes of one
    session never both rotate it; SQLite's IMMEDIATE transaction already serialises."""
    query = DeviceSession.select().where(DeviceSession.id == session_id)
    if isinstance(DeviceSession._meta.db, PostgresEngine):
        query = query.lock_rows()
    return await query.first()


async def retire_refresh_tokens(session_id: int, token_hashes: list[str], at: datetime) -> None:
    for token_hash in token_hashes:
        await RetiredRefreshToken.insert(
            RetiredRefreshToken(session=session_id, token_hash=token_hash, retired_at=at)
        ).on_conflict(target=RetiredRefreshToken.token_hash, action="DO NOTHING")


async def session_of_retired_refresh(token_hash: str) -> dict[str, Any] | None:
    """The session a retired refresh token belonged to (a replay), with its user and device."""
    return (
        await RetiredRefreshToken.select(
            RetiredRefreshToken.session.id.as_alias("session_id"),
            RetiredRefreshToken.session.device_id.as_alias("device_id"),
            RetiredRefreshToken.session.user.id.as_alias("user_id"),
            RetiredRefreshToken.session.user.username.as_alias("username"),
        )
        .where(RetiredRefreshToken.token_hash == token_hash)
        .first()
    )


def _counter(row: dict[str, Any] | None) -> Counter | None:
    if row is None:
        return None
    return Counter(
        failures=row["failures"],
        last_failure_at=row["last_failure_at"],
        blocked_until=row["blocked_until"],
    )


async def login_counters(keys: list[str]) -> dict[str, Counter]:
    rows = await LoginThrottle.select().where(LoginThrottle.key.is_in(keys))
    return {row["key"]: counter for row in rows if (counter := _counter(row)) is not None}


async def lock_login_counter(key: str, now: datetime) -> Counter | None:
    """The counter of `key`, locked until the transaction ends (created empty if new, so
    two processes counting the first failure at once do not collide on the insert)."""
    await LoginThrottle.insert(
        LoginThrottle(key=key, failures=0, last_failure_at=now, blocked_until=None)
    ).on_conflict(target=LoginThrottle.key, action="DO NOTHING")
    query = LoginThrottle.select().where(LoginThrottle.key == key)
    if isinstance(LoginThrottle._meta.db, PostgresEngine):
        query = query.lock_rows()
    row = await query.first()
    return None if row is None or row["failures"] == 0 else _counter(row)


async def save_login_counter(key: str, counter: Counter) -> None:
    await LoginThrottle.update(
        {
            LoginThrottle.failures: counter.failures,
            LoginThrottle.last_failure_at: counter.last_failure_at,
            LoginThrottle.blocked_until: counter.blocked_until,
        }
    ).where(LoginThrottle.key == key)


async def forget_login_counter(key: str) -> None:
    await LoginThrottle.delete().where(LoginThrottle.key == key)


async def prune_login_counters(before: datetime) -> None:
    """Drop counters whose last failure is older than `before` (they are forgotten anyway)."""
    await LoginThrottle.delete().where(LoginThrottle.last_failure_at < before)


async def prune_retired_refresh_tokens(now: datetime) -> None:
    """Drop retired tokens of sessions whose refresh lifetime is over: no replay of them
    could do anything, so there is nothing left to detect."""
    expired = DeviceSession.select(DeviceSession.id).where(DeviceSession.refresh_expires_at < now)
    await RetiredRefreshToken.delete().where(RetiredRefreshToken.session.is_in(expired))
