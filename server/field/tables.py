"""Piccolo tables of field sync. Queries over them live in `server.field.queries`.

What an inspector records is a legal record: rows here are only ever added
(and a result's head moved to a newer version), never deleted, and foreign
keys refuse deletion of what they point to.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.accounts.tables import User
from server.rosters.tables import Department, InspectionItem, Inspector
from server.tasks.tables import Task


class ItemResult(Table):
    """The head of one item result (检查项结果) of a task: one per task and item.

    `result_uuid` is the id the device generated; `version` is the current
    version, whose content is the `ResultVersion` row with that number.
    """

    result_uuid = Varchar(length=64, unique=True, index=True)
    task = ForeignKey(Task, index=True, on_delete=OnDelete.restrict)
    item = ForeignKey(InspectionItem, on_delete=OnDelete.restrict)
    department = ForeignKey(Department, on_delete=OnDelete.restrict)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ResultVersion(Table):
    """Every version of every result a device sent, accepted or not (all kept).

    An accepted version has `version` 1, 2, …; a version that lost a conflict
    has `accepted` False and `version` None and is listed for review.
    """

    result_uuid = Varchar(length=64, index=True)
    task = ForeignKey(Task, index=True, on_delete=OnDelete.restrict)
    item = ForeignKey(InspectionItem, on_delete=OnDelete.restrict)
    version = Integer(null=True, default=None)
    accepted = Boolean(default=True)
    base_version = Integer(default=0)
    body = JSON(default={})
    """The result as sent: answers, findings, category, recorded_at, photos."""
    body_hash = Varchar(length=64, index=True)
    """SHA-256 of the canonical request body: recognises a retried PUT."""
    inspector = ForeignKey(Inspector, on_delete=OnDelete.restrict)
    user = ForeignKey(User, on_delete=OnDelete.restrict)
    device_id = Varchar(length=128)
    received_at = Timestamptz()


class ResultConflict(Table):
    """Two versions of one item result that the server will not choose between (待复核)."""

    task = ForeignKey(Task, index=True, on_delete=OnDelete.restrict)
    item = ForeignKey(InspectionItem, on_delete=OnDelete.restrict)
    department = ForeignKey(Department, index=True, on_delete=OnDelete.restrict)
    server_version = ForeignKey(ResultVersion, on_delete=OnDelete.restrict)
    client_version = ForeignKey(ResultVersion, on_delete=OnDelete.restrict)
    reason = Varchar(length=32)
    """stale_base / second_result / after_submission."""
    status = Varchar(length=16, default="open", index=True)
    """open → resolved."""
    created_at = Timestamptz()
    resolved_at = Timestamptz(null=True, default=None)
    resolution = Text(default="")


class TaskSubmission(Table):
    """One department's submission of its part of a task (提交), with the device's end time."""

    task = ForeignKey(Task, index=True, on_delete=OnDelete.restrict)
    department = ForeignKey(Department, on_delete=OnDelete.restrict)
    inspector = ForeignKey(Inspector, on_delete=OnDelete.restrict)
    user = ForeignKey(User, on_delete=OnDelete.restrict)
    device_id = Varchar(length=128)
    submitted_at = Timestamptz()
    completed_at_device = Timestamptz()


class Attachment(Table):
    """A complete, verified photo: its bytes are in attachment storage under `sha256`."""

    sha256 = Varchar(length=64, unique=True, index=True)
    size = BigInt()
    media_type = Varchar(length=32)
    user = ForeignKey(User, null=True, on_delete=OnDelete.restrict)
    device_id = Varchar(length=128, default="")
    completed_at = Timestamptz()


class ItemTemplate(Table):
    """One version of an item's checklist template (检查表模板版本), kept for good.

    A version is registered the first time a template is sent in a task package;
    a form started on it on a tablet is validated against it when its result
    arrives, even if the item's template changed meanwhile. Unique per item by
    version and by content hash (migration).
    """

    item = ForeignKey(InspectionItem, on_delete=OnDelete.restrict)
    version = Integer()
    checklist = JSON(default=[])
    checklist_hash = Varchar(length=64)
    """SHA-256 of the canonical JSON of the template."""
    created_at = Timestamptz()


class VisitVersion(Table):
    """Every version of a visit record (现场检查笔录) with its signatures, as a device sent it.

    `record_uuid` is the device's id of the record; it belongs to its first
    version's task, account and device for good. Versions 1, 2, … are kept
    (append-only); the body holds arrival time, method, people present, notes
    and the signatures (signer, when, PNG attachment hash and the strokes).
    """

    record_uuid = Varchar(length=64, index=True)
    task = ForeignKey(Task, index=True, on_delete=OnDelete.restrict)
    version = Integer()
    body = JSON(default={})
    body_hash = Varchar(length=64, index=True)
    inspector = ForeignKey(Inspector, on_delete=OnDelete.restrict)
    user = ForeignKey(User, on_delete=OnDelete.restrict)
    device_id = Varchar(length=128)
    received_at = Timestamptz()
