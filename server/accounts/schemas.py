"""Request and response bodies of the accounts API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

# Bounds on what a caller may send: the columns' widths, and a password no
# longer than anyone types (Argon2 hashes whatever it is given).
UserName = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Password = Annotated[str, msgspec.Meta(max_length=256)]
DeviceId = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
Token = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: UserName
    password: Password
    device_id: DeviceId


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Token
    device_id: DeviceId


class TokenResponse(msgspec.Struct):
    access_token: str
    refresh_token: str
    token_type: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    device_id: str


class MeResponse(msgspec.Struct):
    id: int
    username: str
    role: str
    department: str | None
    inspector_id: int | None
    device_id: str


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    username: UserName
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    password: Password
    role: Annotated[str, msgspec.Meta(max_length=16)]
    department: Annotated[str, msgspec.Meta(max_length=32)] | None = None
    badge_no: Annotated[str, msgspec.Meta(max_length=32)] | None = None


class UserOut(msgspec.Struct):
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    department: str | None
    badge_no: str | None


class DeviceOut(msgspec.Struct):
    device_id: str
    created_at: datetime
    revoked_at: datetime | None
    ended_at: datetime | None
    """When the login ended (logout, a replayed refresh token, the account disabled)."""


class RevokeResult(msgspec.Struct):
    device_id: str
    revoked_sessions: int


class LogoutResult(msgspec.Struct):
    device_id: str
    ended_sessions: int
