"""Who is making a request."""

from __future__ import annotations

from dataclasses import dataclass

from server.accounts.errors import DEPARTMENT_FORBIDDEN
from server.accounts.roles import Role
from shared.errors import SuichaError


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: Role
    department_id: int | None
    department_code: str | None
    inspector_id: int | None
    device_id: str
    session_id: int

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def manages_department(self, department_id: int) -> bool:
        """Admins manage every department; anyone else only their own."""
        return self.is_admin or self.department_id == department_id

    def require_department(self, department_id: int, department_code: str) -> None:
        """Refuse (`auth.forbidden_department`) unless the caller manages that department."""
        if not self.manages_department(department_id):
            raise SuichaError(
                DEPARTMENT_FORBIDDEN, own=self.department_code or "-", other=department_code
            )
