"""Piccolo tables of plans. Queries over them live in `server.plans.queries`."""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
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
    ratios = JSON(default={})
    """Ratio per credit-risk class, decimal strings: {"A": "0.03", …}, or {"all": "0.05"}."""
    general_cap = Integer(null=True, default=None)
    """Most objects drawn per stratum when every item is general; key items have no cap."""
    key_full_coverage = Boolean(default=False)
    """Key items cover the highest-risk class (D) fully: its ratio becomes 1."""
    frequency = Varchar(length=32, default="")
    """As published, e.g. "=1" or ">=1" per year."""
    repeat_window_days = Integer(default=365)
    """An object inspected for the same item this recently is not drawn again."""
    cross_jurisdiction = Boolean(default=False)
    """所所交叉: nobody inspects objects in their own station's area."""
    created_by = Varchar(length=64, default="")
    approved_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)


class PlanDepartment(Table):
    """A department taking part in a plan, with the inspectors it sends per task."""

    plan = ForeignKey(Plan, index=True)
    department = ForeignKey(Department)
    per_task = Integer(default=1)


class PlanItem(Table):
    """An inspection item a plan covers."""

    plan = ForeignKey(Plan, index=True)
    item = ForeignKey(InspectionItem)


class PlanAmendment(Table):
    """A recorded change to an approved plan (计划调整): what changed, why, by whom. Published."""

    plan = ForeignKey(Plan, index=True)
    seq = Integer()
    at = Timestamptz()
    actor = Varchar(length=64)
    reason = Text()
    changes = JSON(default={})
    """{field: {"before": …, "after": …}}."""
