"""Piccolo tables of inspection codes; their queries live in `queries.py`."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Real,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from server.rosters.tables import Department, Inspector
from server.tasks.tables import Task


class InspectionCode(Table):
    """The 检查码 of one task: its short code and the server's signature over its key fields."""

    task = ForeignKey(Task, unique=True, index=True)
    code = Varchar(length=48, unique=True, index=True)
    """`2026-SCJG-7K3M9QX` (`shared.inspection_code`): unique per year and jurisdiction."""
    year = Integer()
    jurisdiction = Varchar(length=32)
    kind = Varchar(length=16, default="random")
    """random (drawn) or directed (complaint, referral, data monitoring)."""
    reason_category = Varchar(length=32, default="")
    """For directed tasks only: complaint / referral / data_monitoring."""
    valid_from = Date()
    """The plan window's first day; the code stays valid until the task closes."""
    signature = Varchar(length=86)
    key_id = Varchar(length=16)
    issued_at = Timestamptz()


class AnnualCap(Table):
    """Inspections per business per year allowed in a jurisdiction (`caps.py`)."""

    jurisdiction = Varchar(length=12, unique=True, index=True)
    """Administrative division code prefix, e.g. 310000 (Shanghai) or 310104."""
    cap = Integer()
    updated_at = Timestamptz()
    updated_by = Varchar(length=64, default="")


class DirectedTask(Table):
    """A directed (non-random) inspection: why it happens, created by a team lead.

    The task itself is a `Task` without a draw; this row says why (reason
    category and the reference number of the complaint, referral or monitoring
    case) and for which department and window. The reference number stays inside:
    the business sees the category only, never who complained.
    """

    task = ForeignKey(Task, unique=True, index=True)
    reason_category = Varchar(length=32)
    reference_no = Varchar(length=64)
    department = ForeignKey(Department)
    window_start = Date()
    window_end = Date()
    created_by = Varchar(length=64)
    created_at = Timestamptz()


class BusinessAccess(Table):
    """The business's one-time access code of a task (printed on the record and notice).

    Only a SHA-256 of the code is kept; it admits one rating (and is then spent
    for rating).
    """

    task = ForeignKey(Task, unique=True, index=True)
    code_hash = Varchar(length=64)
    issued_at = Timestamptz()
    rated_at = Timestamptz(null=True, default=None)


class Rating(Table):
    """The business's rating of an inspection (1–5, with a comment)."""

    task = ForeignKey(Task, unique=True, index=True)
    score = Integer()
    comment = Varchar(length=500, default="")
    at = Timestamptz()


class CheckIn(Table):
    """An inspector's arrival at the business (扫码入企), as recorded on the device."""

    task = ForeignKey(Task, index=True)
    inspector = ForeignKey(Inspector, index=True)
    credit_code = Varchar(length=18)
    arrived_at = Timestamptz()
    """The device's time of the scan."""
    received_at = Timestamptz()
    latitude = Real(null=True, default=None)
    longitude = Real(null=True, default=None)
    late = Boolean(default=False)
    """Sent after the grace period (offline too long): kept, and flagged for review."""


class Objection(Table):
    """The business's objection (异议) to a published result of its inspection.

    One per published version of a task (a unique index on task and version, made
    by the migration): after a correction the business may object to the new
    version. Handled by the task's departments within `due_on` (working days).
    """

    task = ForeignKey(Task, index=True)
    publication_version = Integer()
    """The published version objected to."""
    department = ForeignKey(Department, index=True)
    """The organising department (the plan's lead, or the directed task's)."""
    text = Text(default="")
    """As the business wrote it: plain text, escaped wherever shown."""
    filed_at = Timestamptz()
    due_on = Date()
    """The last day to answer: `SUICHA_OBJECTION_DAYS` working days after filing."""
    provisional = Boolean(default=False)
    """The deadline counts a day of a year whose official holidays are not complete."""
    status = Varchar(length=16, default="filed", index=True)
    """filed (处理中) / upheld (异议成立) / rejected (不予支持)."""
    decided_at = Timestamptz(null=True, default=None)
    decided_by = Varchar(length=64, default="")
    reason = Varchar(length=500, default="")
    """Why it was upheld or rejected; shown to the business."""
    items = Varchar(length=500, default="")
    """Upheld: the item codes returned for correction, comma separated."""


class ObjectionAttachment(Table):
    """A photo the business attached to its objection; the bytes are in attachment storage."""

    objection = ForeignKey(Objection, index=True)
    sha256 = Varchar(length=64)
    size = Integer()
    media_type = Varchar(length=32)
