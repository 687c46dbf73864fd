"""Every query over users and device sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.accounts.tables import DeviceSession, User


async def user_by_username(username: str) -> dict[str, Any] | None:
    return await User.select().where(User.username == username).first()


async def user_by_id(user_id: int) -> dict[str, Any] | None:
    return await User.select().where(User.id == user_id).first()


async def username_exists(username: str) -> bool:
    return await User.exists().where(User.username == username)


async def list_users(*, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    rows = (
        await User.select(
            User.id,
            User.username,
            User.display_name,
            User.role,
            User.active,
            User.department.code.as_alias("department"),
            User.inspector.badge_no.as_alias("badge_no"),
        )
        .order_by(User.id)
        .limit(limit)
        .offset(offset)
    )
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
    await DeviceSession.update(values).where(DeviceSession.id == session_id)


async def revoke_device_sessions(user_id: int, device_id: str, at: datetime) -> int:
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
            DeviceSession.device_id, DeviceSession.created_at, DeviceSession.revoked_at
        )
        .where(DeviceSession.user == user_id)
        .order_by(DeviceSession.created_at)
    )
