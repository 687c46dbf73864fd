"""Piccolo tables of review (审核) and publication (公示); queries in `server.publication.queries`.

Review decisions and publications are only ever added: a publication is
immutable (the database refuses UPDATE and DELETE), and a correction is a new
version with its reason, published beside the original.
"""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.rosters.tables import Department, InspectionItem
from server.tasks.tables import Task


class ReviewDecision(Table):
    """One reviewer's opinion on one version of one item result: approved or returned (退回修改)."""

    task = ForeignKey(Task, index=True, on_delete=OnDelete.restrict)
    item = ForeignKey(InspectionItem, on_delete=OnDelete.restrict)
    department = ForeignKey(Department, index=True, on_delete=OnDelete.restrict)
    result_uuid = Varchar(length=64)
    result_version = Integer()
    decision = Varchar(length=16)
    """approved / returned."""
    reason = Text(default="")
    reviewer = Varchar(length=64)
    decided_at = Timestamptz()


class Publication(Table):
    """One published version of a task's result record (公示记录); never changed."""

    task = ForeignKey(Task, index=True, on_delete=OnDelete.restrict)
    version = Integer()
    published_at = Timestamptz()
    published_by = Varchar(length=64)
    reason = Text(default="")
    """Why this version corrects the previous one (empty for the first)."""
    record = JSON()
    """The national publicity fields, as published."""
    record_hash = Varchar(length=64)


class PublicEntry(Table):
    """The searchable row of a publication version, for the portal (one per version)."""

    publication = ForeignKey(Publication, unique=True, on_delete=OnDelete.restrict)
    task = ForeignKey(Task, index=True, on_delete=OnDelete.restrict)
    version = Integer()
    current = Boolean(default=True, index=True)
    """False once a correction supersedes this version (both stay visible)."""
    credit_code = Varchar(length=18, index=True)
    name = Varchar(length=300)
    authority = Varchar(length=200)
    """检查实施机关."""
    department_code = Varchar(length=32, index=True)
    plan_code = Varchar(length=64, index=True)
    plan_name = Varchar(length=300)
    kind = Varchar(length=8, default="抽查")
    inspected_on = Date(index=True)
    """抽查完成日期."""
    published_on = Date(index=True)
    result_codes = Varchar(length=200)
    results_zh = Text(default="")
