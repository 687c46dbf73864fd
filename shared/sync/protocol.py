"""Messages of the field sync protocol sync-v1 (`docs/sync-protocol.md`).

The server encodes its answers with these types and the field app decodes
them with the same types (and the other way round for requests), so the wire
format lives in one place. Fields added later always get a default, so an
older peer still decodes a newer message (fields it does not know are
ignored: no struct here forbids unknown fields on answers).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from shared import visit

__all__ = [
    "ATTACHMENT_CONTENT_TYPE",
    "CODES",
    "HEADER_UPLOAD_COMPLETE",
    "HEADER_UPLOAD_LENGTH",
    "HEADER_UPLOAD_OFFSET",
    "MEDIA_TYPES",
    "ConflictBody",
    "ConflictResolution",
    "ConflictView",
    "Location",
    "MissingPart",
    "PersonPresent",
    "PhotoRef",
    "PlanRef",
    "ResultAck",
    "ResultView",
    "ResultWrite",
    "SignatureRef",
    "SubmitAck",
    "SubmitRequest",
    "TaskFeed",
    "TaskItemPackage",
    "TaskObject",
    "TaskPackage",
    "TeamMember",
    "VisitAck",
    "VisitWrite",
    "decode_complete_header",
    "encode_complete_header",
]

PROTOCOL_VERSION = "sync-v1"

# Headers of the resumable photo upload (HEAD / PATCH /field/attachments/{sha256}).
HEADER_UPLOAD_OFFSET = "Upload-Offset"
HEADER_UPLOAD_LENGTH = "Upload-Length"
HEADER_UPLOAD_COMPLETE = "Upload-Complete"
ATTACHMENT_CONTENT_TYPE = "application/offset+octet-stream"
MEDIA_TYPES = ("image/jpeg", "image/png")
"""Photo media types the server accepts (checked from the bytes)."""


def encode_complete_header(complete: bool) -> str:
    """`Upload-Complete` is a structured-field boolean: `?1` or `?0`."""
    return "?1" if complete else "?0"


def decode_complete_header(value: str | None) -> bool:
    return (value or "").strip() == "?1"


class CODES:
    """Stable error codes of the sync endpoints (the `code` of an error answer)."""

    CONFLICT = "sync.conflict"
    NOT_INSPECTOR = "field.not_inspector"
    NOT_ON_TASK = "field.not_on_task"
    WRONG_DEPARTMENT = "field.wrong_department"
    UNKNOWN_TASK = "field.unknown_task"
    UNKNOWN_ITEM = "field.unknown_item"
    RESULT_MISMATCH = "field.result_mismatch"
    BASE_VERSION_UNKNOWN = "field.base_version_unknown"
    ANSWERS_INVALID = "checklist.answers_invalid"
    BAD_CURSOR = "field.bad_cursor"
    INCOMPLETE = "submission.incomplete"
    OFFSET_MISMATCH = "attachment.offset_mismatch"
    LENGTH_MISMATCH = "attachment.length_mismatch"
    TOO_LARGE = "attachment.too_large"
    HASH_MISMATCH = "attachment.hash_mismatch"
    MEDIA_TYPE = "attachment.media_type"
    CONTENT_TYPE = "attachment.content_type"
    BAD_HEADER = "attachment.bad_header"
    BAD_SHA256 = "attachment.bad_sha256"
    TEMPLATE_VERSION_UNKNOWN = "field.template_version_unknown"
    VISIT_MISMATCH = "field.visit_mismatch"
    VISIT_INVALID = "field.visit_invalid"
    IDLE_TIMEOUT = "attachment.idle_timeout"
    QUOTA_EXCEEDED = "attachment.quota_exceeded"
    DEVICE_REVOKED = "auth.device_revoked"
    FORBIDDEN_ROLE = "auth.forbidden_role"
    INVALID = "request.invalid"


# ---------------------------------------------------------------- task packages


class PlanRef(msgspec.Struct):
    code: str
    name: str


class TaskObject(msgspec.Struct):
    """The inspected business (检查对象)."""

    credit_code: str
    name: str
    address: str
    region: str
    industry_code: str
    risk_class: str
    licences: list[str] = []
    """Licences (许可证) the business holds, as the object roster lists them."""


class TeamMember(msgspec.Struct):
    badge_no: str
    name: str
    department: str


class TaskItemPackage(msgspec.Struct):
    """An item of the task with its checklist template (`shared.checklist`)."""

    code: str
    name: str
    department: str
    legal_basis: str
    kind: str
    checklist: list[Any]
    template_version: int | None = None
    """Version of `checklist` (sync-v1.1): a result filled on it names it, and the server
    validates the result against that version even after the template changed."""


class ItemReturn(msgspec.Struct):
    """A result sent back by the reviewer (退回修改): send a new version based on `version`."""

    item: str
    result_id: str
    version: int
    reason: str
    returned_at: datetime


class ResultCategoryRef(msgspec.Struct):
    """A result category (抽查检查结果类别) an inspector may pick, as the server lists it.

    Only leaves are picked: a category that is the `parent` of another is a group.
    """

    code: str
    zh: str
    en: str = ""
    parent: str | None = None


class TaskPackage(msgspec.Struct):
    """Everything the tablet needs to inspect one task offline."""

    id: int
    version: int
    status: str
    draw_id: str
    plan: PlanRef
    object: TaskObject
    team: list[TeamMember]
    my_department: str
    items: list[TaskItemPackage]
    due_date: date
    my_badge: str = ""
    """The caller's badge (执法证号), for the evidence stamp on photos (sync-v1.1)."""
    submitted_at: datetime | None = None
    """When the caller's department submitted this task (None: not yet)."""
    publication_deadline: date | None = None
    """Last day to publish the results (公示期限), once the task is completed."""
    deadline_provisional: bool = False
    """True while the deadline rests on a year whose official holidays are not yet entered."""
    returns: list[ItemReturn] = []
    """Items of the caller's department returned by review (退回修改): edit and resend them."""
    categories: list[ResultCategoryRef] = []
    """The active result categories, in display order (empty from an older server)."""
    kind: str = "random"
    """`random` (drawn, 双随机) or `directed` (定向检查: no draw, `draw_id` and plan empty)."""
    reason_category: str = ""
    """A directed task's reason: complaint / referral / data_monitoring (never the case)."""
    inspection_code: str = ""
    """The task's 检查码 (empty while none is issued), shown full-screen offline (亮码) …"""
    code_signature: str = ""
    """… with the server's signature, so the device builds the QR's `/check/{code}?s=` URL."""


class TaskFeed(msgspec.Struct):
    """Answer of `GET /field/tasks?since=CURSOR`."""

    cursor: str
    tasks: list[TaskPackage]
    removed: list[int]
    more: bool = False
    """True when the feed was cut at a page: ask again with the new cursor."""
    result_batch_max: int = 0
    """Results `POST /field/tasks/{id}/results` takes in one request (sync-v1.2);
    0: the server does not offer it (send each result with its PUT)."""


# ---------------------------------------------------------------- item results


class Location(msgspec.Struct, forbid_unknown_fields=True):
    lat: float
    lon: float


class PhotoRef(msgspec.Struct, forbid_unknown_fields=True):
    """A photo a result refers to; its bytes go up through the attachment upload."""

    sha256: str
    size: int
    media_type: str
    taken_at: datetime
    location: Location | None = None
    question: str | None = None
    """The checklist question the photo documents, or None for the item as a whole."""


class ResultWrite(msgspec.Struct, forbid_unknown_fields=True):
    """Body of `PUT /field/tasks/{task_id}/results/{result_id}`."""

    item: str
    answers: dict[str, Any]
    category: str
    recorded_at: datetime
    base_version: int
    findings: str = ""
    photos: list[PhotoRef] = []
    follow_up: str = ""
    """后续处置: required whenever the category is not 1 (未发现问题)."""
    template_version: int | None = None
    """The checklist template version the form was filled on (None: the item's current one)."""


class ResultAck(msgspec.Struct):
    result_id: str
    version: int
    status: Literal["stored", "unchanged"]


RESULT_BATCH_MAX = 100
"""Most results in one batch (sync-v1.2); the server advertises it in the feed."""


class ResultBatchEntry(msgspec.Struct, forbid_unknown_fields=True):
    """One result of a batch: what `PUT …/results/{result_id}` would carry."""

    result_id: str
    result: ResultWrite


class ResultBatch(msgspec.Struct, forbid_unknown_fields=True):
    """Body of `POST /field/tasks/{task_id}/results` (sync-v1.2)."""

    results: Annotated[
        list[ResultBatchEntry], msgspec.Meta(min_length=1, max_length=RESULT_BATCH_MAX)
    ]


class ResultOutcome(msgspec.Struct):
    """One result's answer in a batch: the status and body its own PUT would have got."""

    result_id: str
    status: int
    body: dict[str, Any]


class ResultBatchAck(msgspec.Struct):
    """Answer of `POST /field/tasks/{task_id}/results`: one outcome per result, in order."""

    outcomes: list[ResultOutcome]


class ResultView(msgspec.Struct):
    """One stored version of an item result, as the server holds it."""

    result_id: str
    version: int | None
    """None for a version kept only as the losing side of a conflict."""
    item: str
    answers: dict[str, Any]
    findings: str
    category: str
    recorded_at: datetime
    base_version: int
    photos: list[PhotoRef]
    inspector: str
    """Badge number of the inspector who wrote it."""
    device_id: str
    received_at: datetime
    follow_up: str = ""
    template_version: int | None = None


class ConflictBody(msgspec.Struct):
    """The 409 `sync.conflict` answer: both versions (the error fields besides)."""

    status: int
    code: str
    detail: dict[str, str]
    conflict_id: int
    reason: Literal["stale_base", "second_result", "after_submission"]
    server: ResultView
    client: ResultView


class ConflictView(msgspec.Struct):
    """A conflict in the review list (`GET /review/conflicts`)."""

    id: int
    task_id: int
    item: str
    department: str
    reason: str
    status: str
    created_at: datetime
    server: ResultView
    client: ResultView


# ---------------------------------------------------------------- visit records


class PersonPresent(msgspec.Struct, forbid_unknown_fields=True):
    """Someone present for the business during the visit (在场人员)."""

    name: Annotated[str, msgspec.Meta(max_length=visit.NAME_MAX)]
    role: Annotated[str, msgspec.Meta(max_length=visit.ROLE_MAX)] = ""
    id_number: Annotated[str, msgspec.Meta(max_length=30)] = ""


Stroke = Annotated[
    list[tuple[float, float]], msgspec.Meta(min_length=1, max_length=visit.POINTS_MAX)
]


class SignatureRef(msgspec.Struct, forbid_unknown_fields=True):
    """One signature of the visit record: who, when, the PNG attachment and the strokes."""

    signer: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    """`representative`, or `inspector:<badge>` for an inspector of the team."""
    role: Literal["representative", "inspector"]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=visit.NAME_MAX)]
    signed_at: datetime
    sha256: str
    size: int
    media_type: str
    """Always image/png."""
    width: int
    height: int
    strokes: Annotated[list[Stroke], msgspec.Meta(min_length=1, max_length=visit.STROKES_MAX)]
    """Points normalised to 0..1 of the pad, origin bottom left."""
    badge: str | None = None


class VisitWrite(msgspec.Struct, forbid_unknown_fields=True):
    """Body of `PUT /field/tasks/{task_id}/visit/{record_id}` (现场检查笔录, sync-v1.1)."""

    arrival_at: datetime
    method: str
    notes: Annotated[str, msgspec.Meta(max_length=visit.NOTES_MAX)] = ""
    people: Annotated[list[PersonPresent], msgspec.Meta(max_length=visit.PEOPLE_MAX)] = []
    signatures: Annotated[list[SignatureRef], msgspec.Meta(max_length=64)] = []


class VisitAck(msgspec.Struct):
    record_id: str
    version: int
    status: Literal["stored", "unchanged"]


# ---------------------------------------------------------------- submission


class SubmitRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Body of `POST /field/tasks/{task_id}/submit`."""

    completed_at: datetime
    """When the inspection ended on the device (with its UTC offset)."""


class SubmitAck(msgspec.Struct):
    task_id: int
    status: Literal["submitted"]
    submitted_at: datetime
    completed_at: datetime
    department: str = ""
    """The department whose part of the task this submission covers."""
    task_status: str = "submitted"
    """`submitted` once every department on the task has submitted, else `assigned`."""


class MissingPart(msgspec.Struct, omit_defaults=True):
    """One entry of the `missing` list of a 409 `submission.incomplete`."""

    kind: Literal["result", "photo", "answers"]
    item: str
    sha256: str | None = None
    problem: str | None = None
    """For photos: `not_uploaded`, `size_mismatch` or `media_type_mismatch`."""
    problems: list[Any] | None = None
    """For answers: what the checklist validation found."""


class ConflictResolution(msgspec.Struct, forbid_unknown_fields=True):
    """Body of `POST /review/conflicts/{id}/resolve`: which version stands."""

    keep: Literal["server", "client"]
    note: str = ""
