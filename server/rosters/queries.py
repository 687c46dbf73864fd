"""Every query over the rosters (departments, items, inspectors, objects)."""

from __future__ import annotations

from typing import Any

from server.rosters.tables import Department, Inspector


async def department_by_code(code: str) -> dict[str, Any] | None:
    return await Department.select().where(Department.code == code).first()


async def department_by_id(department_id: int) -> dict[str, Any] | None:
    return await Department.select().where(Department.id == department_id).first()


async def inspector_by_badge(badge_no: str) -> dict[str, Any] | None:
    return await Inspector.select().where(Inspector.badge_no == badge_no).first()
