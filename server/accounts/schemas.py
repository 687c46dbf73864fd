"""Request and response bodies of the accounts API."""

from __future__ import annotations

from datetime import datetime

import msgspec


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: str
    password: str
    device_id: str = msgspec.field(name="device_id")


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: str
    device_id: str


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
    username: str
    display_name: str
    password: str
    role: str
    department: str | None = None
    badge_no: str | None = None


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


class RevokeResult(msgspec.Struct):
    device_id: str
    revoked_sessions: int
