"""Piccolo tables of plans. Queries over them live in `server.plans.queries`."""

from __future__ import annotations

from piccolo.columns import JSON, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from server.rosters.tables import Department, InspectionItem


class Plan(Table):
    """An annual department plan or a joint plan (联合抽查计划)."""

    code = Varchar(length=64, unique=True, index=True)
    """The public plan id, used as `plan_id` in the draw record."""
    name = Varchar(length=300)
    year = Integer()
    kind = Varchar(length=16, default="annual")
    """annual (one department) or joint (a lead and participating departments)."""
    lead_department = ForeignKey(Department)
    status = Varchar(length=16, default="draft", index=True)
    """draft → approved → published → drawn → closed."""
    window_start = Date()
    window_end = Date()
    method = Varchar(length=32, default="on_site")
    scope = JSON(default={})
    """The object scope: a saved filter over the object roster (a sub-roster)."""
    description = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PlanDepartment(Table):
    """A department taking part in a plan, with the inspectors it sends per task."""

    plan = ForeignKey(Plan, index=True)
    department = ForeignKey(Department)
    per_task = Integer(default=1)


class PlanItem(Table):
    """An inspection item a plan covers."""

    plan = ForeignKey(Plan, index=True)
    item = ForeignKey(InspectionItem)
