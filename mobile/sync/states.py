"""The states a record, a photo and a submission go through on the device.

See "The record's life on the device" in `docs/sync-protocol.md`. Only
`ACKNOWLEDGED` (a result, a photo) and `SUBMITTED` (a task) are final success
states; nothing is deleted from the device before them.
"""

from __future__ import annotations

from enum import StrEnum


class RecordState(StrEnum):
    """A result or a photo on its way to the server."""

    QUEUED = "queued"
    """Recorded (or edited) and not yet sent."""
    SENDING = "sending"
    """A request is out; its answer is not in. On restart it is sent again."""
    ACKNOWLEDGED = "acknowledged"
    """The server answered success for exactly this version (or holds the whole photo)."""
    CONFLICT = "conflict"
    """409 sync.conflict: the server holds another version; both are kept, a person decides."""
    REFUSED = "refused"
    """403/413/415/422…: the server will not take it as it is; kept, the reason is shown."""
    FAILED_RETRYING = "failed_retrying"
    """Network error, timeout or 5xx after all retries of a pass; sent again next pass."""


class SubmissionState(StrEnum):
    """The submission (提交) of a task, once the inspector asks for it."""

    NOT_REQUESTED = "not_requested"
    WAITING = "waiting"
    """Requested; waits until every result and photo of the task is acknowledged."""
    SUBMITTED = "submitted"
    INCOMPLETE = "incomplete"
    """409 submission.incomplete: the server lists what is missing; tried again next pass."""
    REFUSED = "refused"
    FAILED_RETRYING = "failed_retrying"


PENDING_RECORD_STATES = (
    RecordState.QUEUED,
    RecordState.SENDING,
    RecordState.FAILED_RETRYING,
)
"""States the engine sends on a pass. Conflicts and refusals wait for a person."""
