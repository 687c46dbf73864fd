"""Security headers on every response (安全响应头).

HTML pages get a Content-Security-Policy that admits scripts and styles from
this server only (no inline script, no CDN) and refuses framing; every other
answer gets a policy that loads nothing. A handler that sets its own policy
keeps it.
"""

from __future__ import annotations

from litestar.types import Message, Scope

PAGE_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
"""The policy of every HTML page."""

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
"""The policy of everything else (JSON, files): nothing to load, never framed."""

COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


async def add_security_headers(message: Message, scope: Scope) -> None:
    """`before_send` hook of the app: it sees every response, error answers included.

    Async although it never waits: Litestar runs a plain function hook in a worker thread,
    which cost two thread hand-offs per response (start and body) on every endpoint."""
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers", []))
    present = {bytes(name).lower() for name, _ in headers}
    content_type = next(
        (bytes(value) for name, value in headers if bytes(name).lower() == b"content-type"), b""
    )
    policy = PAGE_POLICY if content_type.startswith(b"text/html") else API_POLICY
    for name, value in (*COMMON, (b"content-security-policy", policy.encode())):
        if name not in present:
            headers.append((name, value))
    message["headers"] = headers
