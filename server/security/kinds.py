"""The kinds of security event."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    """A wrong user name or password, or a disabled account or revoked device."""
    LOGIN_THROTTLED = "login_throttled"
    """Refused without checking the password: backoff, or too many logins at once."""
    REFUSED = "refused"
    """A request answered 401 or 403 (no or bad token, role or department refused)."""
    REFRESH_REUSED = "refresh_reused"
    """A retired refresh token was presented again; the device's sessions ended."""
    DEVICE_REVOKED = "device_revoked"
    LOGOUT = "logout"
    ACCOUNT_DISABLED = "account_disabled"
    ACCOUNT_ENABLED = "account_enabled"
