"""Sending the visit record and its signatures (sync-v1.1, PUT …/visit/{record_id}).

The record goes once submission is asked for, after the signature PNGs are on
the server (they travel as content-addressed attachments, like photos). It is
recognised by the hash of its body: the same body is sent again, unchanged,
until the server has answered it; a body the server acknowledged is not sent
again; a changed one (a returned task signed anew) becomes the next version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobile.signatures import SignatureService
from mobile.sync.states import RecordState, SubmissionState
from mobile.sync.store import Problem, Store
from mobile.visits.service import VisitService, parse_arrival
from shared.canonical import canonical_json, sha256_hex
from shared.visit import SIGNATURE_MEDIA_TYPE

SENDING_STATES = (
    SubmissionState.WAITING,
    SubmissionState.INCOMPLETE,
    SubmissionState.FAILED_RETRYING,
)


@dataclass(frozen=True)
class OutgoingVisit:
    task_id: int
    record_id: str
    body: dict[str, Any]
    body_hash: str


def visit_body(store: Store, task_id: int) -> dict[str, Any] | None:
    """The record as sent (a `VisitWrite`), or None while it cannot be sent yet."""
    record = VisitService(store).record(task_id)
    arrival = parse_arrival(record.arrival)
    if record.record_id is None or arrival is None or not record.method:
        return None
    photos = {p.sha256: p for p in store.photos()}
    signatures = []
    for signature in SignatureService(store).signers(task_id):
        if not signature.signed or signature.sha256 not in photos:
            continue
        signatures.append(
            {
                "signer": signature.key,
                "role": signature.role,
                "name": signature.name,
                "badge": signature.badge,
                "signed_at": signature.signed_at,
                "sha256": signature.sha256,
                "size": photos[signature.sha256].size,
                "media_type": SIGNATURE_MEDIA_TYPE,
                "width": signature.width,
                "height": signature.height,
                "strokes": [[list(point) for point in s] for s in signature.strokes],
            }
        )
    return {
        "arrival_at": arrival.isoformat(),
        "method": record.method,
        "notes": record.notes,
        "people": [vars(p) for p in record.people if p.name or p.role or p.id_number],
        "signatures": signatures,
    }


def _row(store: Store, task_id: int) -> Any:
    rows = store.query("SELECT * FROM visit_record WHERE task_id = ?", (task_id,))
    return rows[0] if rows else None


def _signatures_uploaded(store: Store, body: dict[str, Any]) -> bool:
    states = {p.sha256: p.state for p in store.photos()}
    return all(states.get(s["sha256"]) == RecordState.ACKNOWLEDGED for s in body["signatures"])


def pending_visits(store: Store) -> list[OutgoingVisit]:
    """Records to send now: submission asked for, body changed since acknowledged,
    signature PNGs on the server. A record in flight is sent again as it was."""
    VisitService(store)  # the table exists
    out = []
    for task in store.tasks():
        if task.submission not in SENDING_STATES:
            continue
        row = _row(store, task.task_id)
        body = visit_body(store, task.task_id)
        if row is None or body is None or not _signatures_uploaded(store, body):
            continue
        body_hash = sha256_hex(canonical_json(body))
        if body_hash == row["acked_hash"] or (
            row["state"] == RecordState.REFUSED and (body_hash == row["sent_hash"])
        ):
            continue
        out.append(OutgoingVisit(task.task_id, row["record_id"], body, body_hash))
    return out


def unsent_count(store: Store) -> int:
    return len(pending_visits(store))


def visit_sending(store: Store, visit: OutgoingVisit) -> None:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE visit_record SET sent_hash = ?, state = ? WHERE task_id = ?",
            (visit.body_hash, RecordState.SENDING, visit.task_id),
        )


def visit_stored(store: Store, visit: OutgoingVisit, version: int) -> None:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE visit_record SET acked_hash = ?, server_version = ?, state = ?,"
            " code = NULL, detail_zh = NULL, detail_en = NULL WHERE task_id = ?",
            (visit.body_hash, version, RecordState.ACKNOWLEDGED, visit.task_id),
        )


def visit_problem(store: Store, task_id: int, state: RecordState, problem: Problem) -> None:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE visit_record SET state = ?, code = ?, detail_zh = ?, detail_en = ?"
            " WHERE task_id = ?",
            (state, problem.code, problem.zh, problem.en, task_id),
        )


def visit_delivered(store: Store, task_id: int) -> bool:
    """The server holds the record as it is now (a task may be submitted)."""
    VisitService(store)
    row = _row(store, task_id)
    body = visit_body(store, task_id)
    if row is None or body is None:
        return False
    return row["acked_hash"] == sha256_hex(canonical_json(body))


def blocks_submission(store: Store, task_id: int) -> bool:
    """A visit record is on the device and the server does not hold it as it is now.

    A task recorded without one (the headless client, sync-v1 devices) is not held back.
    """
    VisitService(store)
    return _row(store, task_id) is not None and not visit_delivered(store, task_id)


def visit_state(store: Store, task_id: int) -> tuple[RecordState, Problem | None] | None:
    """The record's sync state and reason, for the sync screen (None: no record)."""
    VisitService(store)
    row = _row(store, task_id)
    if row is None:
        return None
    problem = (
        Problem(row["code"], row["detail_zh"] or "", row["detail_en"] or "")
        if row["code"]
        else None
    )
    return RecordState(row["state"]), problem
