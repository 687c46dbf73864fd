"""Bearer-token authentication and role guards."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from server.accounts import errors, service
from server.accounts.principal import Principal
from server.accounts.roles import PERMISSIONS
from shared.errors import SuichaError

PUBLIC = {"exclude_from_auth": True}
"""`opt` for handlers anyone may call without logging in."""


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise SuichaError(errors.TOKEN_MISSING)
        principal = await service.authenticate(token.strip())
        return AuthenticationResult(user=principal, auth=token)


def allow(permission: str) -> Callable[[ASGIConnection, BaseRouteHandler], None]:
    """A guard admitting the roles `PERMISSIONS[permission]` names."""
    roles = PERMISSIONS[permission]

    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
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
