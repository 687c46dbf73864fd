"""Piccolo tables of accounts and device sessions."""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.table import Table

from server.rosters.tables import Department, Inspector


class User(Table, tablename="suicha_user"):
    """An account. One role, bound to a department (the admin may have none)."""

    username = Varchar(length=64, unique=True, index=True)
    display_name = Varchar(length=100)
    password_hash = Varchar(length=200)
    role = Varchar(length=16)
    """admin / team_lead / back_office / inspector / observer."""
    department = ForeignKey(Department, null=True)
    inspector = ForeignKey(Inspector, null=True)
    """The roster entry of an inspector account."""
    active = Boolean(default=True)
    created_at = Timestamptz()


class DeviceSession(Table):
    """A login from one device: an access and a refresh token bound to a device id.

    Tokens are stored as SHA-256 digests only. Revoking a device sets
    `revoked_at` on its sessions; every request checks it.
    """

    user = ForeignKey(User, index=True)
    device_id = Varchar(length=128, index=True)
    access_token_hash = Varchar(length=64, unique=True, index=True)
    access_expires_at = Timestamptz()
    refresh_token_hash = Varchar(length=64, unique=True, index=True)
    refresh_expires_at = Timestamptz()
    previous_refresh_hash = Varchar(length=64, null=True, default=None, index=True)
    """The refresh token this one replaced, still accepted until the new one is used:
    a device whose refresh answer was lost on a bad link can refresh again instead
    of being locked out while offline."""
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    """The device was revoked (lost or stolen): it may not log in again."""
    ended_at = Timestamptz(null=True, default=None)
    """This login ended: logout, a replayed refresh token, or the account disabled.
    Unlike a revoked device, the device may log in again."""
    end_reason = Varchar(length=16, null=True, default=None)
    """`logout`, `refresh_reuse` or `disabled`."""


class RetiredRefreshToken(Table):
    """A refresh token of a session that is no longer accepted (its successor was used,
    or it was replaced unused). Presenting one again is a replay — refresh token reuse
    (OAuth 2.0 Security BCP) — and ends every session of that device."""

    session = ForeignKey(DeviceSession, index=True)
    token_hash = Varchar(length=64, unique=True, index=True)
    retired_at = Timestamptz()


class LoginThrottle(Table):
    """A failed-login counter (登录限速) for one user name or one client address.

    Kept in the database so every server process sees the same counters.
    """

    key = Varchar(length=200, unique=True, index=True)
    """`account:<user name>` or `address:<client address>`."""
    failures = Integer()
    last_failure_at = Timestamptz()
    blocked_until = Timestamptz(null=True, default=None)
