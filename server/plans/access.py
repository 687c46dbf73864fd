"""Who may act on plans and draws.

Kept beside the areas that use them: the shared table in
`server.accounts.roles.PERMISSIONS` belongs to the accounts area; these guards
raise the same `auth.forbidden_role` refusal.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from server.accounts import errors as auth_errors
from server.accounts.principal import Principal
from server.accounts.roles import ALL_ROLES, Role
from shared.errors import SuichaError

PLAN_READERS = ALL_ROLES
PLAN_WRITERS = frozenset({Role.ADMIN, Role.TEAM_LEAD})
"""Team leads make and run the plans their department leads; the admin any."""
DRAW_RUNNERS = frozenset({Role.ADMIN, Role.TEAM_LEAD})
WITNESSES = frozenset({Role.OBSERVER})
"""Only the discipline observer (纪检监察) witnesses and signs a draw."""


def allow_roles(roles: frozenset[Role]) -> Callable[[ASGIConnection, BaseRouteHandler], None]:
    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        principal: Principal = connection.user
        if principal.role not in roles:
            raise SuichaError(auth_errors.ROLE_FORBIDDEN, role=principal.role.value)

    return guard


def require_department(principal: Principal, department_id: int, department_code: str) -> None:
    """Team leads act only on plans their own department leads."""
    if not principal.manages_department(department_id):
        raise SuichaError(
            auth_errors.DEPARTMENT_FORBIDDEN,
            own=principal.department_code or "-",
            other=department_code,
        )
