"""Signing in on the device (登录), online first, offline within a period.

The first sign-in must reach the server: it returns the device's tokens, and a
salted PBKDF2 verifier of the password is kept so the same person can sign in
again while the network is down, for `offline_days` after the last online
sign-in. A server refusal (wrong password, revoked device) is never bypassed
offline: only an unreachable server allows the offline path. Signing out
drops the tokens, never unsent records.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mobile.sync import session
from mobile.sync.store import Store
from mobile.sync.transport import HttpTransport, Reply, TransportError
from shared.errors import ErrorSpec, SuichaError, define
from shared.sync.protocol import CODES

OFFLINE_DAYS = 7
"""Default offline period after an online sign-in (`offline_days` meta overrides it)."""
OFFLINE_DAYS_ENV = "SUICHA_FIELD_OFFLINE_DAYS"
PBKDF2_ROUNDS = 120_000

DEVICE_ID = session.DEVICE_ID
OPEN = "app_session_open"
VERIFIER = "offline_verifier"
ONLINE_AT = "online_signin_at"
OFFLINE_DAYS_KEY = "offline_days"
REVOKED = "revoked_reason"

OFFLINE_UNAVAILABLE = define(
    "device.offline_signin_unavailable",
    401,
    "无法连接服务器，且本机没有该用户的有效离线登录：请联网后登录",
    "Cannot reach the server and this device has no valid offline sign-in for this user: "
    "sign in while online",
)
OFFLINE_EXPIRED = define(
    "device.offline_signin_expired",
    401,
    "离线登录已过期（上次联网登录为{online_at}）：请联网后重新登录",
    "The offline sign-in expired (last online sign-in {online_at}): sign in while online",
)
OFFLINE_PASSWORD = define(
    "device.offline_bad_password",
    401,
    "用户名或密码错误",
    "Wrong user name or password",
)


@dataclass(frozen=True)
class SignInOutcome:
    ok: bool
    offline: bool = False
    code: str = ""
    zh: str = ""
    en: str = ""
    valid_until: str | None = None


def device_id(store: Store) -> str:
    """This device's id, generated once and kept."""
    current = store.get_meta(DEVICE_ID)
    if current:
        return current
    new = f"tablet-{uuid.uuid4().hex[:12]}"
    store.set_meta({DEVICE_ID: new})
    return new


def _verifier(password: str, salt: bytes) -> str:
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ROUNDS)
    return f"pbkdf2-sha256${PBKDF2_ROUNDS}${salt.hex()}${digest.hex()}"


def _verify(password: str, stored: str) -> bool:
    _scheme, rounds, salt, digest = stored.split("$")
    again = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(rounds))
    return hmac.compare_digest(again.hex(), digest)


def _refused(spec: ErrorSpec, **params: object) -> SignInOutcome:
    error = SuichaError(spec, **params)
    return SignInOutcome(False, code=error.code, zh=error.detail_zh, en=error.detail_en)


def sign_in(
    store: Store,
    server: str,
    username: str,
    password: str,
    *,
    now: datetime | None = None,
    transport: HttpTransport | None = None,
) -> SignInOutcome:
    """Sign in online; when the server cannot be reached, offline within the period."""
    now = now or datetime.now(UTC)
    transport = transport or HttpTransport(server, timeout=15.0)

    async def online() -> Reply:
        try:
            return await session.login(
                store, transport, username=username, password=password, device_id=device_id(store)
            )
        finally:
            await transport.aclose()

    try:
        reply = asyncio.run(online())
    except TransportError:
        return _offline(store, server, username, password, now)
    if not reply.ok:
        zh, en = reply.detail
        if reply.code == CODES.DEVICE_REVOKED:
            store.set_meta({REVOKED: zh})
        return SignInOutcome(False, code=reply.code, zh=zh, en=en)
    store.set_meta(
        {
            OPEN: "1",
            VERIFIER: f"{server}\n{username}\n{_verifier(password, os.urandom(16))}",
            ONLINE_AT: now.isoformat(),
            REVOKED: None,
        }
    )
    return SignInOutcome(True)


def _offline(
    store: Store, server: str, username: str, password: str, now: datetime
) -> SignInOutcome:
    kept = store.get_meta(VERIFIER)
    online_at = store.get_meta(ONLINE_AT)
    if not kept or not online_at:
        return _refused(OFFLINE_UNAVAILABLE)
    kept_server, kept_user, verifier = kept.split("\n", 2)
    if (kept_server, kept_user) != (server, username):
        return _refused(OFFLINE_UNAVAILABLE)
    until = datetime.fromisoformat(online_at) + timedelta(days=offline_days(store))
    if now > until:
        return _refused(OFFLINE_EXPIRED, online_at=online_at[:16].replace("T", " "))
    if not _verify(password, verifier):
        return _refused(OFFLINE_PASSWORD)
    store.set_meta({OPEN: "1"})
    return SignInOutcome(True, offline=True, valid_until=until.astimezone().strftime("%Y-%m-%d"))


def offline_days(store: Store) -> int:
    """The offline period: the device's setting, else `SUICHA_FIELD_OFFLINE_DAYS`, else 7."""
    for value in (store.get_meta(OFFLINE_DAYS_KEY), os.environ.get(OFFLINE_DAYS_ENV)):
        if value and value.isdigit() and 0 < int(value) <= 90:
            return int(value)
    return OFFLINE_DAYS


def signed_in(store: Store) -> bool:
    return store.get_meta(OPEN) == "1"


def sign_out(store: Store) -> None:
    """Close the session and forget the tokens; every record stays on the device."""
    store.set_meta({OPEN: None, session.ACCESS_TOKEN: None, session.REFRESH_TOKEN: None})


def remembered(store: Store) -> tuple[str, str] | None:
    server, user = store.get_meta(session.SERVER), store.get_meta(session.USERNAME)
    return (server, user) if server and user else None
