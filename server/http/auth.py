"""Bearer-token authentication and role guards, and the security log of refusals."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Message, Receive, Scope, Send

from server.accounts import errors, service
from server.accounts.principal import Principal
from server.accounts.roles import PERMISSIONS
from server.security import service as security
from server.security.kinds import Kind
from shared.errors import SuichaError

PUBLIC = {"exclude_from_auth": True}
"""`opt` for handlers anyone may call without logging in."""

REFUSALS = frozenset({401, 403})


def client_address(connection: ASGIConnection | Scope) -> str:
    """The peer's address as the server sees it. Forwarded headers are not read here:
    behind a reverse proxy, run uvicorn with `--proxy-headers --forwarded-allow-ips
    <proxy>` so the ASGI scope carries the real client (else every login shares the
    proxy's address and its backoff)."""
    scope = connection.scope if isinstance(connection, ASGIConnection) else connection
    client = scope.get("client")
    return str(client[0]) if client else ""


class _RefusalWatcher:
    """Passes the response through and notes a 401/403 and its error code."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status = 0
        self.code = ""

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body" and self.status in REFUSALS and not self.code:
            self.code = _error_code(message.get("body", b""))
        await self._send(message)


def _error_code(body: bytes) -> str:
    try:
        code = json.loads(body).get("code", "")
    except (ValueError, AttributeError):
        return ""
    return code if isinstance(code, str) else ""


async def _record_refusal(scope: Scope, status: int, code: str) -> None:
    principal: Any = scope.get("user")
    known = isinstance(principal, Principal)
    await security.record(
        Kind.REFUSED,
        user_id=principal.user_id if known else None,
        username=principal.username if known else "",
        device_id=principal.device_id if known else "",
        client=client_address(scope),
        detail={
            "status": status,
            "code": code,
            "method": scope.get("method", ""),
            "path": scope.get("path", "")[:300],
        },
    )


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Authenticate, then note every refusal (401/403) in the security log: the
        middleware's own, and those of guards and services on an authenticated request
        (the latter once the answer has been passed on)."""
        watcher = _RefusalWatcher(send)
        try:
            await super().__call__(scope, receive, watcher.send)
        except SuichaError as refusal:
            if refusal.status in REFUSALS:
                await _record_refusal(scope, refusal.status, refusal.code)
            raise
        if watcher.status in REFUSALS and isinstance(scope.get("user"), Principal):
            await _record_refusal(scope, watcher.status, watcher.code)

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise SuichaError(errors.TOKEN_MISSING)
        principal = await service.authenticate(token.strip())
        return AuthenticationResult(user=principal, auth=token)


def allow(permission: str) -> Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]:
    """A guard admitting the roles `PERMISSIONS[permission]` names.

    Async although it awaits nothing: Litestar runs a plain-function guard on a
    worker thread, a hop costing ~0.7 ms on every guarded request.
    """
    roles = PERMISSIONS[permission]

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        principal: Principal = connection.user
        if principal.role not in roles:
            raise SuichaError(errors.ROLE_FORBIDDEN, role=principal.role.value)

    guard.__name__ = f"allow_{permission.replace('.', '_')}"
    return guard


def provide_principal(request: ASGIConnection) -> Principal:
    return request.user


CurrentPrincipal: TypeAlias = NamedDependency[Principal]
"""Annotate a handler parameter `principal: CurrentPrincipal` to receive the caller."""

PRINCIPAL_DEPENDENCY = {"principal": Provide(provide_principal, sync_to_thread=False)}
