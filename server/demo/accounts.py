"""Demo accounts: four staff roles and one inspector account per active officer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from server.accounts import service as accounts
from server.accounts.passwords import hash_password_sync
from server.demo.departments import LEAD_DEPARTMENT
from server.demo.inspectors import DemoInspector
from server.rosters import queries as roster_queries

DEMO_PASSWORD = "suicha-demo"
ACTOR = "demo"
FIELD_USER = "inspector"
"""A second account of one officer who has tasks in the demo draw.

The draw is random (the server's secret), so no badge number can be named in
advance; this name can, and the README uses it for the field app."""
"""The name the demo writes to the audit log."""


@dataclass(frozen=True)
class StaffAccount:
    username: str
    display_name: str
    role: str
    department: str | None


STAFF: tuple[StaffAccount, ...] = (
    StaffAccount("admin", "系统管理员", "admin", None),
    StaffAccount("lead", "市场监管局科室负责人", "team_lead", LEAD_DEPARTMENT),
    StaffAccount("office", "市场监管局内勤公示员", "back_office", LEAD_DEPARTMENT),
    StaffAccount("observer", "纪检监察员", "observer", LEAD_DEPARTMENT),
)


async def create_accounts(
    inspectors: Sequence[DemoInspector], inspector_ids: dict[str, int]
) -> int:
    """Create the staff accounts and one per active inspector (user name = badge number)."""
    # Argon2 takes ~60 ms per hash by design; hashing the one shared demo
    # password once instead of ~300 times keeps `suicha demo` fast. Every
    # account still stores a full Argon2id hash and logs in normally.
    password_hash = hash_password_sync(DEMO_PASSWORD)
    created = 0
    for staff in STAFF:
        await accounts.create_user(
            ACTOR,
            username=staff.username,
            display_name=staff.display_name,
            password=DEMO_PASSWORD,
            role=staff.role,
            department_code=staff.department,
            password_hash=password_hash,
        )
        created += 1
    for officer in inspectors:
        if officer.status != "active":
            continue
        await accounts.create_user(
            ACTOR,
            username=officer.badge_no,
            display_name=officer.name,
            password=DEMO_PASSWORD,
            role="inspector",
            department_code=officer.department,
            inspector_id=inspector_ids[officer.badge_no],
            password_hash=password_hash,
        )
        created += 1
    return created


async def create_field_account(badge_no: str) -> None:
    """Bind `FIELD_USER` to the officer with this badge (an officer with tasks)."""
    officer = await roster_queries.inspector_by_badge(badge_no)
    if officer is None:
        raise LookupError(f"the demo officer {badge_no!r} is missing")
    department = await roster_queries.department_by_id(officer["department"])
    await accounts.create_user(
        ACTOR,
        username=FIELD_USER,
        display_name=officer["name"],
        password=DEMO_PASSWORD,
        role="inspector",
        department_code=department["code"] if department else None,
        inspector_id=officer["id"],
    )
