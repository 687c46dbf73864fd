"""Roles and who may do what: the one authorisation table of the API."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    """Administrator: departments, rosters, item lists, calendar, accounts."""
    TEAM_LEAD = "team_lead"
    """科室负责人/组长: plans, draws, teams, progress — for their own department."""
    BACK_OFFICE = "back_office"
    """内勤/公示员: review, publication, reports, archives."""
    INSPECTOR = "inspector"
    """执法检查人员: field work on a tablet."""
    OBSERVER = "observer"
    """纪检监察: witnesses and signs draws, reads the audit trail."""


ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.TEAM_LEAD, Role.BACK_OFFICE, Role.OBSERVER})

# Endpoint group → roles allowed. Department scope (a team lead acts only on
# their own department's items and inspectors) is checked in the services.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "departments.read": ALL_ROLES,
    "departments.write": frozenset({Role.ADMIN}),
    "risk_classes.read": ALL_ROLES,
    "risk_classes.write": frozenset({Role.ADMIN}),
    "items.read": ALL_ROLES,
    "items.write": frozenset({Role.ADMIN, Role.TEAM_LEAD}),
    "inspectors.read": STAFF,
    "inspectors.write": frozenset({Role.ADMIN, Role.TEAM_LEAD}),
    "objects.read": ALL_ROLES,
    "objects.write": frozenset({Role.ADMIN, Role.TEAM_LEAD}),
    "rosters.import": frozenset({Role.ADMIN, Role.TEAM_LEAD}),
    "rosters.export": STAFF,
    "users.read": frozenset({Role.ADMIN}),
    "users.write": frozenset({Role.ADMIN}),
    "devices.revoke_any": frozenset({Role.ADMIN}),
    "security.read": frozenset({Role.ADMIN}),
    "audit.read": frozenset({Role.ADMIN, Role.OBSERVER}),
    "categories.read": ALL_ROLES,
    "categories.write": frozenset({Role.ADMIN}),
    "plans.read": ALL_ROLES,
    "plans.read_drafts": frozenset({Role.ADMIN, Role.TEAM_LEAD, Role.BACK_OFFICE}),
    "plans.write": frozenset({Role.ADMIN, Role.TEAM_LEAD}),
    "draws.read": ALL_ROLES,
    "draws.run": frozenset({Role.ADMIN, Role.TEAM_LEAD}),
    "tasks.read": ALL_ROLES,
    "field.sync": frozenset({Role.INSPECTOR}),
    "field.photos.read": ALL_ROLES,
    "review.conflicts": frozenset({Role.ADMIN, Role.TEAM_LEAD, Role.BACK_OFFICE}),
    "calendar.read": STAFF,
    "calendar.write": frozenset({Role.ADMIN}),
    "annual_caps.write": frozenset({Role.ADMIN}),
    "directed_tasks.create": frozenset({Role.ADMIN, Role.TEAM_LEAD}),
    "review.read": STAFF,
    "review.decide": frozenset({Role.ADMIN, Role.TEAM_LEAD, Role.BACK_OFFICE}),
    "publication.publish": frozenset({Role.ADMIN, Role.BACK_OFFICE}),
    "notifications.read": STAFF,
    "reports.read": frozenset({Role.ADMIN, Role.TEAM_LEAD, Role.BACK_OFFICE}),
    "records.print": STAFF,
    "records.archive": frozenset({Role.ADMIN, Role.TEAM_LEAD, Role.BACK_OFFICE}),
    "credit.read": frozenset({Role.ADMIN, Role.BACK_OFFICE}),
    "credit.decide": frozenset({Role.ADMIN}),
    "reports.generate": frozenset({Role.ADMIN, Role.TEAM_LEAD, Role.BACK_OFFICE}),
    "accountability.read": STAFF,
}
