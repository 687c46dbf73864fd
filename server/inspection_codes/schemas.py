"""Request and response types of the inspection-code area (msgspec, written by hand)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec


class InspectionCodeOut(msgspec.Struct):
    task_id: int
    code: str
    kind: str
    reason_category: str
    valid_from: str
    signature: str
    key_id: str
    url: str
    """What the QR holds: `/check/{code}?s={signature}` on this server."""


class PublicKeyOut(msgspec.Struct):
    key_id: str
    algorithm: str
    public_key: str
    encoding: str


class PublicKeysOut(msgspec.Struct):
    scheme: str
    keys: list[PublicKeyOut]
    signed_fields: list[str]


class AnnualCapIn(msgspec.Struct, forbid_unknown_fields=True):
    cap: int


class AnnualCapOut(msgspec.Struct):
    jurisdiction: str
    cap: int


class DirectedTaskIn(msgspec.Struct, forbid_unknown_fields=True):
    """A directed inspection (定向检查) a team lead creates."""

    object_id: str
    """The business's unified social credit code."""
    reason_category: str
    """complaint / referral / data_monitoring."""
    reference_no: str
    """The case's reference number (投诉举报编号, 交办文号, 监测线索号)."""
    department: str
    items: list[str]
    window_start: str
    window_end: str


class DirectedTaskOut(msgspec.Struct):
    task_id: int
    code: str
    kind: str
    reason_category: str


class AccessCodeOut(msgspec.Struct):
    task_id: int
    access_code: str
    """Shown once, to print on the record and the notice; only its hash is kept."""


class RatingIn(msgspec.Struct, forbid_unknown_fields=True):
    access_code: str
    score: int
    comment: str = ""


class RatingOut(msgspec.Struct):
    code: str
    score: int
    comment: str


class CheckInIn(msgspec.Struct, forbid_unknown_fields=True):
    credit_code: str
    at: str
    """ISO 8601 with its offset: the device's time of the scan."""
    latitude: float | None = None
    longitude: float | None = None


class CheckInOut(msgspec.Struct):
    task_id: int
    arrived_at: str
    late: bool
    """Sent after the grace period (`SUICHA_CHECKIN_GRACE_DAYS`, default 10)."""


class ObjectionAttachmentOut(msgspec.Struct):
    sha256: str
    size: int
    media_type: str


class ObjectionOut(msgspec.Struct):
    """An objection (异议) as back office handles it."""

    id: int
    task_id: int
    business: str
    credit_code: str
    department: str
    """The organising department's code."""
    publication_version: int
    """The published version objected to."""
    text: str
    """The business's text, as written (plain text)."""
    filed_at: datetime
    due_on: date
    """The last day to answer (`SUICHA_OBJECTION_DAYS` working days after filing)."""
    provisional: bool
    overdue: bool
    """Answered after `due_on`, or still open after it."""
    status: str
    """filed / upheld / rejected."""
    status_zh: str
    decided_at: datetime | None
    decided_by: str
    reason: str
    items: list[str]
    """Upheld: the items returned for correction."""
    correction_version: int | None
    """Upheld: the published version that corrected the result, once published."""
    attachments: list[ObjectionAttachmentOut]


class ObjectionFiledOut(msgspec.Struct):
    """What the business gets back: no staff names."""

    id: int
    code: str
    publication_version: int
    filed_at: datetime
    due_on: date
    status: str
    status_zh: str
    attachments: int


class ObjectionStatusOut(msgspec.Struct):
    """An objection as anyone holding the code sees it: never its text."""

    id: int
    publication_version: int
    filed_at: datetime
    due_on: date
    status: str
    status_zh: str
    reason: str
    correction_version: int | None


class ObjectionDecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    decision: str
    """uphold / reject."""
    reason: str
    items: list[str] = []
    """Uphold: the item codes whose results are returned for correction."""
