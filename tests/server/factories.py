"""Make rows and sessions for tests through the public services."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from server.accounts import service as accounts
from server.accounts.passwords import hash_password_sync
from server.audit.tables import AuditEntry
from server.rosters.tables import Department, Inspector
from shared.credit_code import check_character

PASSWORD = "correct horse battery"


def credit_code(n: int) -> str:
    """The n-th valid unified social credit code of the tests (GB 32100 check character)."""
    first17 = f"91230300{n:09d}"
    return first17 + check_character(first17)


_PASSWORD_HASH = hash_password_sync(PASSWORD)


async def department(code: str = "SCJG", name: str = "市场监督管理局") -> int:
    existing = await Department.select(Department.id).where(Department.code == code).first()
    if existing:
        return existing["id"]
    rows = await Department.insert(
        Department(code=code, name=name, level="city", region="230300")
    ).returning(Department.id)
    return rows[0]["id"]


async def user(
    role: str,
    username: str | None = None,
    department_code: str | None = "SCJG",
    inspector_id: int | None = None,
) -> int:
    if department_code:
        await department(department_code)
    return await accounts.create_user(
        "test",
        username=username or f"{role}-{department_code or 'all'}",
        display_name=username or role,
        password=PASSWORD,
        role=role,
        department_code=department_code if role != "admin" else None,
        inspector_id=inspector_id,
        password_hash=_PASSWORD_HASH,
    )


async def login(client: Any, username: str, device_id: str = "device-1") -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": device_id},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def login_as(
    client: Any, role: str, department_code: str | None = "SCJG", device_id: str = "device-1"
) -> dict[str, str]:
    name = f"{role}-{department_code or 'all'}"
    from server.accounts import queries

    if await queries.user_by_username(name) is None:
        inspector_id = None
        if role == "inspector" and department_code:
            inspector_id = await inspector(name, department_code)
        await user(role, name, department_code, inspector_id=inspector_id)
    return await login(client, name, device_id)


async def inspector(badge_no: str, department_code: str = "SCJG") -> int:
    """A roster officer, as an inspector account is bound to one."""
    rows = await Inspector.insert(
        Inspector(badge_no=badge_no, name=badge_no, department=await department(department_code))
    ).returning(Inspector.id)
    return rows[0]["id"]


_AUDIT_TRIGGERS = importlib.import_module(
    "server.audit.piccolo_migrations.audit_2026_11_22t17_53_58_144151"
)


@asynccontextmanager
async def audit_protection_lifted() -> AsyncIterator[None]:
    """Drop the audit log's append-only triggers, as someone with the database owner's
    rights could before tampering; put them back afterwards."""
    engine = AuditEntry._meta.db
    if isinstance(engine, PostgresEngine):
        drops = ["DROP TRIGGER audit_entry_append_only ON audit_entry"]
        creates = _AUDIT_TRIGGERS.POSTGRES
    else:
        drops = ["DROP TRIGGER audit_entry_no_update", "DROP TRIGGER audit_entry_no_delete"]
        creates = _AUDIT_TRIGGERS.SQLITE
    for statement in drops:
        await engine.run_ddl(statement)
    try:
        yield
    finally:
        for statement in creates:
            await engine.run_ddl(statement)
