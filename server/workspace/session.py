"""The workspace's session cookie (会话 Cookie) and its CSRF token.

A browser sign-in is a device session of the accounts area (`accounts.service.login`
with a device id of its own), so logout, disabling the account and revoking the
device end it exactly as they end a tablet's. The cookie carries that session's
tokens; it is HttpOnly, SameSite=Lax, limited to /workspace, and Secure when the
request came over HTTPS (directly or as `X-Forwarded-Proto: https`). An access
token past its hour is rotated with the refresh token on the next request.

Every form posts a CSRF token: a random value made at sign-in, kept in the same
HttpOnly cookie and written into each page. A cross-site page can neither read it
nor, with SameSite=Lax, send the cookie on a POST.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.types import Scope

COOKIE = "suicha_workspace"
"""The session cookie: device id, access token, refresh token and CSRF secret."""
LOGIN_COOKIE = "suicha_login_csrf"
"""Before sign-in: the CSRF value of the login form."""
PATH = "/workspace"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SEPARATOR = "."  # never part of token_urlsafe or token_hex output


@dataclass(frozen=True)
class BrowserSession:
    device_id: str
    access_token: str
    refresh_token: str
    csrf: str

    def encode(self) -> str:
        return _SEPARATOR.join((self.device_id, self.access_token, self.refresh_token, self.csrf))

    @classmethod
    def decode(cls, value: str) -> BrowserSession | None:
        parts = value.split(_SEPARATOR)
        if len(parts) != 4 or not all(parts) or len(value) > 400:
            return None
        return cls(*parts)


def new_device_id() -> str:
    """A browser sign-in's device id: one per sign-in, so logout ends only this browser."""
    return f"web-{secrets.token_hex(8)}"


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def csrf_matches(expected: str, presented: str | None) -> bool:
    return bool(expected) and bool(presented) and hmac.compare_digest(expected, presented or "")


def is_https(connection: ASGIConnection | Scope) -> bool:
    scope = connection.scope if isinstance(connection, ASGIConnection) else connection
    if scope.get("scheme") == "https":
        return True
    for name, value in scope.get("headers", []):
        if bytes(name).lower() == b"x-forwarded-proto":
            return bytes(value).decode("latin-1").split(",")[0].strip().lower() == "https"
    return False


def session_cookie(value: str, secure: bool) -> Cookie:
    """The cookie holding `value`; an empty value with max_age 0 deletes it."""
    return Cookie(
        key=COOKIE,
        value=value,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=0 if not value else None,
    )


def login_cookie(value: str, secure: bool) -> Cookie:
    return Cookie(
        key=LOGIN_COOKIE,
        value=value,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=0 if not value else 1800,
    )


def read_cookie(scope: Scope, name: str) -> str:
    for header, value in scope.get("headers", []):
        if bytes(header).lower() == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(bytes(value).decode("latin-1"))
            except Exception:
                return ""
            if name in jar:
                return jar[name].value
    return ""
