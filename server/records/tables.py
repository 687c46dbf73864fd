"""Piccolo tables of the records area: proposed credit-class changes awaiting an admin."""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.rosters.tables import InspectionObject


class CreditProposal(Table):
    """A class change the credit rule proposes for a business and year (信用风险分类调整建议).

    Nothing changes a class until an administrator applies the proposal; a
    dismissed one keeps its reason. Rows are kept for the record.
    """

    year = Integer(index=True)
    object = ForeignKey(InspectionObject, index=True, on_delete=OnDelete.restrict)
    credit_code = Varchar(length=18, index=True)
    current_class = Varchar(length=16)
    proposed_class = Varchar(length=16)
    points = Integer(default=0)
    reasons = JSON(default=[])
    """The rule's reasons in Chinese, one per signal."""
    abnormal_candidate = Boolean(default=False)
    """Unreachable at the registered address: a candidate for 经营异常名录."""
    status = Varchar(length=16, default="proposed", index=True)
    """proposed → applied / dismissed / superseded (by a later run of the same year)."""
    created_at = Timestamptz()
    decided_at = Timestamptz(null=True, default=None)
    decided_by = Varchar(length=64, default="")
    note = Varchar(length=500, default="")
