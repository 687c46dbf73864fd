"""Request and response types of the inspection-code area (msgspec, written by hand)."""

from __future__ import annotations

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
