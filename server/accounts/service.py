"""Accounts: login, token refresh, authentication of requests, device revocation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from server.accounts import errors, queries
from server.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.rosters import queries as roster_queries
from server.settings import get_settings
from shared.errors import NOT_FOUND, SuichaError


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    device_id: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_tokens(device_id: str) -> tuple[TokenPair, dict[str, Any]]:
    auth = get_settings().auth
    now = datetime.now(UTC)
    pair = TokenPair(
        access_token=secrets.token_urlsafe(32),
        refresh_token=secrets.token_urlsafe(48),
        access_expires_at=now + timedelta(minutes=auth.access_token_minutes),
        refresh_expires_at=now + timedelta(days=auth.refresh_token_days),
        device_id=device_id,
    )
    stored = {
        "access_token_hash": _digest(pair.access_token),
        "access_expires_at": pair.access_expires_at,
        "refresh_token_hash": _digest(pair.refresh_token),
        "refresh_expires_at": pair.refresh_expires_at,
    }
    return pair, stored


async def login(username: str, password: str, device_id: str) -> TokenPair:
    user = await queries.user_by_username(username)
    # Verify against a real hash even for unknown users so timing does not
    # tell which user names exist.
    ok = await verify_password(user["password_hash"] if user else _DUMMY_HASH, password)
    if user is None or not ok:
        raise SuichaError(errors.BAD_CREDENTIALS)
    if not user["active"]:
        raise SuichaError(errors.ACCOUNT_DISABLED)
    if await queries.device_revoked(user["id"], device_id):
        raise SuichaError(errors.DEVICE_REVOKED)
    pair, stored = _new_tokens(device_id)
    async with write_transaction():
        await queries.insert_session(
            user=user["id"], device_id=device_id, created_at=datetime.now(UTC), **stored
        )
    return pair


async def refresh(refresh_token: str, device_id: str) -> TokenPair:
    """Rotate the session's tokens.

    The token just presented stays acceptable until its successor is used: if
    the answer to this call is lost on a bad link, the device refreshes again
    with the same token instead of being locked out until it can log in.
    """
    presented = _digest(refresh_token)
    session = await queries.session_by_refresh_hash(presented)
    if session is None or session["device_id"] != device_id:
        raise SuichaError(errors.REFRESH_INVALID)
    if session["revoked_at"] is not None:
        raise SuichaError(errors.DEVICE_REVOKED)
    if session["refresh_expires_at"] < datetime.now(UTC):
        raise SuichaError(errors.REFRESH_INVALID)
    pair, stored = _new_tokens(device_id)
    if session["refresh_token_hash"] == presented:
        stored["previous_refresh_hash"] = presented
    async with write_transaction():
        await queries.rotate_session_tokens(session["id"], **stored)
    return pair


async def authenticate(access_token: str) -> Principal:
    session = await queries.session_by_access_hash(_digest(access_token))
    if session is None or session["access_expires_at"] < datetime.now(UTC):
        raise SuichaError(errors.TOKEN_INVALID)
    if session["revoked_at"] is not None:
        raise SuichaError(errors.DEVICE_REVOKED)
    if not session["active"]:
        raise SuichaError(errors.ACCOUNT_DISABLED)
    return Principal(
        user_id=session["user_id"],
        username=session["username"],
        role=Role(session["role"]),
        department_id=session["department_id"],
        department_code=session["department_code"],
        inspector_id=session["inspector_id"],
        device_id=session["device_id"],
        session_id=session["id"],
    )


async def revoke_device(actor: Principal, user_id: int, device_id: str) -> int:
    """Revoke every session of `device_id` for the user; admins may revoke anyone's."""
    if user_id != actor.user_id and not actor.is_admin:
        raise SuichaError(errors.ROLE_FORBIDDEN, role=actor.role.value)
    async with write_transaction():
        revoked = await queries.revoke_device_sessions(user_id, device_id, datetime.now(UTC))
        if revoked == 0:
            raise SuichaError(NOT_FOUND, what="设备", what_en="Device")
        await audit(
            actor=actor.username,
            action="device.revoke",
            entity="user",
            entity_id=str(user_id),
            change={"device_id": device_id, "sessions": revoked},
        )
    return revoked


async def create_user(
    actor: str,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    department_code: str | None = None,
    inspector_id: int | None = None,
    password_hash: str | None = None,
) -> int:
    """Create an account. `password_hash` lets bulk seeding reuse one computed hash."""
    try:
        role_value = Role(role)
    except ValueError:
        raise SuichaError(errors.ROLE_UNKNOWN, role=role) from None
    if password_hash is None and len(password) < MIN_PASSWORD_LENGTH:
        raise SuichaError(errors.PASSWORD_TOO_SHORT, minimum=MIN_PASSWORD_LENGTH)
    department_id = None
    if department_code:
        department = await roster_queries.department_by_code(department_code)
        if department is None:
            raise SuichaError(
                NOT_FOUND, what=f"部门{department_code}", what_en=f"Department {department_code}"
            )
        department_id = department["id"]
    elif role_value is not Role.ADMIN:
        raise SuichaError(errors.ROLE_NEEDS_DEPARTMENT, role=role)
    hashed = password_hash or await hash_password(password)
    async with write_transaction():
        if await queries.username_exists(username):
            raise SuichaError(errors.USERNAME_TAKEN, username=username)
        user_id = await queries.insert_user(
            username=username,
            display_name=display_name,
            password_hash=hashed,
            role=role_value.value,
            department=department_id,
            inspector=inspector_id,
            active=True,
            created_at=datetime.now(UTC),
        )
        await audit(
            actor=actor,
            action="user.create",
            entity="user",
            entity_id=str(user_id),
            change={
                "username": username,
                "role": role_value.value,
                "department": department_code,
                "inspector": inspector_id,
            },
        )
    return user_id


_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$aSPYpQesrMG7bFDsu25R3w$"
    "dD4WAP1GEe9RjSgZ3/pSyeBs9Z1LSqBBMzP82kuiTBY"
)
