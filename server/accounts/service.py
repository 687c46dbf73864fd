"""Accounts: login with backoff, token refresh with reuse detection, authentication of
requests, logout, account disable/enable, device revocation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from server.accounts import errors, principal_cache, queries, throttle
from server.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.rosters import queries as roster_queries
from server.security import service as security
from server.security.kinds import Kind
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


def _throttle_keys(username: str, client: str) -> dict[str, str]:
    """The counters a login attempt is checked against. The user name is counted whether
    or not such an account exists, so a 429 tells nothing about which accounts exist."""
    return {throttle.ACCOUNT: f"account:{username}", throttle.ADDRESS: f"address:{client}"}


async def _count_failure(keys: dict[str, str], now: datetime) -> None:
    rules = throttle.policies(get_settings().auth)
    async with write_transaction():
        for scope, key in keys.items():
            counter = await queries.lock_login_counter(key, now)
            await queries.save_login_counter(
                key, throttle.after_failure(counter, now, rules[scope])
            )


async def _prune(now: datetime) -> None:
    """Keep the backoff counters and retired tokens from growing without end: a
    successful login (it needs the right password, so no attacker runs it at will) drops
    what can no longer matter."""
    forget = max(p.forget_after for p in throttle.policies(get_settings().auth).values())
    await queries.prune_login_counters(now - forget)
    await queries.prune_retired_refresh_tokens(now)


async def login(username: str, password: str, device_id: str, client: str = "") -> TokenPair:
    """Check the password and open a session for the device.

    Before any password check, a user name or client address in backoff is
    refused with 429 and `retry_after`; the check itself waits for a turn
    (`passwords.password_check`). A successful login looks the same whether or
    not the account was in backoff before, and clears the account's counter.
    """
    seen = {"username": username, "device_id": device_id, "client": client}
    keys = _throttle_keys(username, client)
    now = datetime.now(UTC)
    counters = await queries.login_counters(list(keys.values()))
    wait = max(throttle.wait_seconds(counters.get(key), now) for key in keys.values())
    if wait:
        await security.record(Kind.LOGIN_THROTTLED, **seen, detail={"retry_after": wait})
        raise SuichaError(errors.LOGIN_THROTTLED, extra={"retry_after": wait}, retry_after=wait)
    user = await queries.user_by_username(username)
    user_id = user["id"] if user else None
    try:
        # Verify against a real hash even for unknown users so timing does not
        # tell which user names exist.
        ok = await verify_password(user["password_hash"] if user else _DUMMY_HASH, password)
    except SuichaError as busy:
        await security.record(
            Kind.LOGIN_THROTTLED, user_id=user_id, **seen, detail={"code": busy.code}
        )
        raise
    refusal = None
    if user is None or not ok:
        await _count_failure(keys, datetime.now(UTC))
        refusal = errors.BAD_CREDENTIALS
    elif not user["active"]:
        refusal = errors.ACCOUNT_DISABLED
    elif await queries.device_revoked(user["id"], device_id):
        refusal = errors.DEVICE_REVOKED
    if refusal is not None:
        await security.record(
            Kind.LOGIN_FAILED, user_id=user_id, **seen, detail={"code": refusal.code}
        )
        raise SuichaError(refusal)
    assert user is not None
    pair, stored = _new_tokens(device_id)
    async with write_transaction():
        await queries.insert_session(
            user=user["id"], device_id=device_id, created_at=datetime.now(UTC), **stored
        )
        await queries.forget_login_counter(keys[throttle.ACCOUNT])
        await _prune(datetime.now(UTC))
    await security.record(Kind.LOGIN_SUCCEEDED, user_id=user_id, **seen)
    return pair


async def refresh(refresh_token: str, device_id: str, client: str = "") -> TokenPair:
    """Rotate the session's tokens, with reuse detection.

    The token just presented stays acceptable until its successor is used: if
    the answer to this call is lost on a bad link, the device refreshes again
    with the same token instead of being locked out until it can log in. Once
    the successor has been used, the old token is retired; presenting a retired
    token again is a replay (OAuth 2.0 Security BCP, refresh token rotation with
    reuse detection): it is refused and every session of that device ends.
    Every refusal is noted in the security log.
    """
    try:
        return await _rotate(_digest(refresh_token), device_id, client)
    except SuichaError as refusal:
        if refusal.spec is not errors.REFRESH_REUSED:  # logged as its own kind
            await security.record(
                Kind.REFUSED,
                device_id=device_id,
                client=client,
                detail={"status": refusal.status, "code": refusal.code, "operation": "refresh"},
            )
        raise


async def _rotate(presented: str, device_id: str, client: str) -> TokenPair:
    session = await queries.session_by_refresh_hash(presented)
    if session is None:
        await _refuse_if_replayed(presented, device_id, client)
        raise SuichaError(errors.REFRESH_INVALID)
    if session["device_id"] != device_id:
        raise SuichaError(errors.REFRESH_INVALID)
    if session["revoked_at"] is not None:
        raise SuichaError(errors.DEVICE_REVOKED)
    if session["ended_at"] is not None:
        raise SuichaError(errors.SESSION_ENDED)
    if session["refresh_expires_at"] < datetime.now(UTC):
        raise SuichaError(errors.REFRESH_INVALID)
    user = await queries.user_by_id(session["user"])
    if user is None or not user["active"]:
        raise SuichaError(errors.ACCOUNT_DISABLED)
    pair, stored = _new_tokens(device_id)
    async with write_transaction():
        current = await queries.lock_session(session["id"])
        if current is None or current["ended_at"] is not None or current["revoked_at"]:
            raise SuichaError(errors.SESSION_ENDED)
        if presented == current["refresh_token_hash"]:
            # The successor of the previous token is in use: the previous one retires.
            retired = [current["previous_refresh_hash"]]
            stored["previous_refresh_hash"] = presented
        elif presented == current["previous_refresh_hash"]:
            # The answer to the last refresh was lost: its unused token retires.
            retired = [current["refresh_token_hash"]]
        else:
            raise SuichaError(errors.REFRESH_INVALID)
        now = datetime.now(UTC)
        await queries.retire_refresh_tokens(session["id"], [t for t in retired if t], now)
        await queries.rotate_session_tokens(session["id"], **stored)
    return pair


async def _refuse_if_replayed(presented: str, device_id: str, client: str) -> None:
    """A retired token presented again: end the device's sessions (committed before the
    refusal is raised) and refuse with `auth.refresh_reused`."""
    replayed = await queries.session_of_retired_refresh(presented)
    if replayed is None:
        return
    async with write_transaction():
        ended = await queries.end_sessions(
            user_id=replayed["user_id"],
            device_id=replayed["device_id"],
            at=datetime.now(UTC),
            reason="refresh_reuse",
        )
    await security.record(
        Kind.REFRESH_REUSED,
        user_id=replayed["user_id"],
        username=replayed["username"],
        device_id=replayed["device_id"],
        client=client,
        detail={"ended_sessions": ended, "presented_device_id": device_id},
    )
    raise SuichaError(errors.REFRESH_REUSED)


async def authenticate(access_token: str) -> Principal:
    token_hash = _digest(access_token)
    cached, seen = principal_cache.lookup(token_hash)
    if cached is not None:
        return cached
    session = await queries.session_by_access_hash(token_hash)
    if session is None or session["access_expires_at"] < datetime.now(UTC):
        raise SuichaError(errors.TOKEN_INVALID)
    if session["revoked_at"] is not None:
        raise SuichaError(errors.DEVICE_REVOKED)
    if session["ended_at"] is not None:
        raise SuichaError(errors.SESSION_ENDED)
    if not session["active"]:
        raise SuichaError(errors.ACCOUNT_DISABLED)
    principal = Principal(
        user_id=session["user_id"],
        username=session["username"],
        role=Role(session["role"]),
        department_id=session["department_id"],
        department_code=session["department_code"],
        inspector_id=session["inspector_id"],
        device_id=session["device_id"],
        session_id=session["id"],
    )
    principal_cache.remember(token_hash, principal, seen, session["access_expires_at"])
    return principal


async def logout(principal: Principal, client: str = "") -> int:
    """End the caller's current session (this device's login); its tokens stop working."""
    async with write_transaction():
        ended = await queries.end_sessions(
            user_id=principal.user_id,
            session_id=principal.session_id,
            at=datetime.now(UTC),
            reason="logout",
        )
    await security.record(
        Kind.LOGOUT,
        user_id=principal.user_id,
        username=principal.username,
        device_id=principal.device_id,
        client=client,
    )
    return ended


async def set_active(actor: Principal, user_id: int, active: bool, client: str = "") -> str:
    """Disable (停用) or enable an account; disabling ends all its sessions at once.

    Returns the account's user name. An admin cannot disable themselves, so the
    system always keeps an admin who can enable others.
    """
    if not active and user_id == actor.user_id:
        raise SuichaError(errors.CANNOT_DISABLE_SELF)
    async with write_transaction():
        user = await queries.user_by_id(user_id)
        if user is None:
            raise SuichaError(NOT_FOUND, what=f"用户{user_id}", what_en=f"User {user_id}")
        await queries.set_user_active(user_id, active)
        ended = 0
        if not active:
            ended = await queries.end_sessions(
                user_id=user_id, at=datetime.now(UTC), reason="disabled"
            )
        await audit(
            actor=actor.username,
            action="user.enable" if active else "user.disable",
            entity="user",
            entity_id=str(user_id),
            change={"active": active, "ended_sessions": ended},
        )
    await security.record(
        Kind.ACCOUNT_ENABLED if active else Kind.ACCOUNT_DISABLED,
        user_id=user_id,
        username=user["username"],
        device_id=actor.device_id,
        client=client,
        detail={"by": actor.username, "ended_sessions": ended},
    )
    return user["username"]


async def revoke_device(actor: Principal, user_id: int, device_id: str, client: str = "") -> int:
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
    target = await queries.user_by_id(user_id)
    await security.record(
        Kind.DEVICE_REVOKED,
        user_id=user_id,
        username=target["username"] if target else "",
        device_id=device_id,
        client=client,
        detail={"by": actor.username, "sessions": revoked},
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
