"""Arrival check-ins (扫码入企) kept on the device and sent with the next sync.

A check-in is written to the device's store the moment the licence matches
(arrival time with its offset, GPS or the honest word that there was none) and
queued; the sync engine sends it (`POST /field/tasks/{task}/check-in/`) after
the visit records. Offline for days is fine: the record waits, and the server
keeps it, flagged `late` when it arrives past the grace period (10 days by
default, `server.inspection_codes.checkin`). The server treats the same arrival
sent twice as one, so a lost answer is simply sent again.

One check-in per task on a device: scanning again before it was sent replaces
it (a wrong arrival is corrected before anybody saw it); once the server holds
it, it stays as recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mobile.checkin.arrival import Arrival, arrive
from mobile.sync.states import RecordState
from mobile.sync.store import Problem, Store

if TYPE_CHECKING:
    from mobile.sync.engine import SyncEngine
    from mobile.sync.progress import SyncReport

SCHEMA = """
CREATE TABLE IF NOT EXISTS check_in (
    task_id INTEGER PRIMARY KEY,
    credit_code TEXT NOT NULL,
    arrived_at TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    gps TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    late INTEGER,
    code TEXT, detail_zh TEXT, detail_en TEXT
);
"""
GPS_FIX = "fix"
GPS_UNAVAILABLE = "unavailable"
"""No position from the device (no sensor, no permission, no fix): recorded as such."""
PENDING = (RecordState.QUEUED, RecordState.SENDING, RecordState.FAILED_RETRYING)


class AlreadyCheckedIn(ValueError):
    """The server holds this task's arrival already: it is not recorded again."""

    zh = "本任务的到达登记已由服务器确认，不能重复登记。"
    en = "The server already holds this task's arrival: it is not recorded again."


@dataclass(frozen=True)
class CheckIn:
    task_id: int
    credit_code: str
    arrived_at: str
    """ISO 8601 with the device's offset."""
    latitude: float | None
    longitude: float | None
    gps: str
    state: RecordState
    late: bool | None
    """The server's verdict once it answered (None before)."""
    problem: Problem | None = None

    @property
    def body(self) -> dict[str, Any]:
        """The body `POST /field/tasks/{task}/check-in/` takes."""
        return {
            "credit_code": self.credit_code,
            "at": self.arrived_at,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }


def _ensure(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def _of(row: Any) -> CheckIn:
    problem = Problem(row["code"], row["detail_zh"], row["detail_en"]) if row["code"] else None
    return CheckIn(
        task_id=row["task_id"],
        credit_code=row["credit_code"],
        arrived_at=row["arrived_at"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        gps=row["gps"],
        state=RecordState(row["state"]),
        late=None if row["late"] is None else bool(row["late"]),
        problem=problem,
    )


def now() -> datetime:
    """The tablet's clock, with its offset: the arrival time recorded."""
    return datetime.now(UTC).astimezone()


def check_in_of(store: Store, task_id: int) -> CheckIn | None:
    _ensure(store)
    rows = store.query("SELECT * FROM check_in WHERE task_id = ?", (task_id,))
    return _of(rows[0]) if rows else None


def record(
    store: Store,
    task_id: int,
    task_credit_code: str,
    scanned: str,
    *,
    at: datetime | None = None,
    gps: tuple[float, float] | None = None,
) -> CheckIn:
    """Check the scanned (or typed) business against the task's and keep the arrival.

    Raises `WrongBusiness` (nothing is written) for another business; the record is
    durable when this returns, before any network is tried.
    """
    arrival: Arrival = arrive(task_id, task_credit_code, scanned, at or now(), gps)
    _ensure(store)
    existing = check_in_of(store, task_id)
    if existing is not None and existing.state is RecordState.ACKNOWLEDGED:
        raise AlreadyCheckedIn(task_id)
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO check_in (task_id, credit_code, arrived_at, latitude,"
            " longitude, gps, recorded_at, state, late, code, detail_zh, detail_en)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', NULL, NULL, NULL, NULL)",
            (
                task_id,
                arrival.credit_code,
                arrival.at.isoformat(),
                arrival.latitude,
                arrival.longitude,
                GPS_FIX if arrival.latitude is not None else GPS_UNAVAILABLE,
                datetime.now(UTC).isoformat(),
            ),
        )
    stored = check_in_of(store, task_id)
    assert stored is not None
    return stored


def pending(store: Store) -> list[CheckIn]:
    _ensure(store)
    marks = ",".join("?" for _ in PENDING)
    rows = store.query(
        f"SELECT * FROM check_in WHERE state IN ({marks}) ORDER BY task_id",
        [s.value for s in PENDING],
    )
    return [_of(r) for r in rows]


def unsent_count(store: Store) -> int:
    return len(pending(store))


def _set(store: Store, task_id: int, state: RecordState, **fields: Any) -> None:
    problem: Problem | None = fields.pop("problem", None)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE check_in SET state = ?, late = COALESCE(?, late), code = ?, detail_zh = ?,"
            " detail_en = ? WHERE task_id = ?",
            (
                state.value,
                None if fields.get("late") is None else int(fields["late"]),
                problem.code if problem else None,
                problem.zh if problem else None,
                problem.en if problem else None,
                task_id,
            ),
        )


async def push(engine: SyncEngine, report: SyncReport) -> None:
    """Send every waiting check-in through the engine's retrying, token-refreshing call.

    A refusal (another business, taken off the task) is kept with its reason and not
    sent again; a network failure is retried at the next pass.
    """
    from mobile.sync import engine as sync_engine  # the engine imports this module

    for item in pending(engine.store):
        _set(engine.store, item.task_id, RecordState.SENDING)
        engine.tracker.update(current=f"check-in {item.task_id}")
        try:
            reply = await engine._call(
                "POST", f"/field/tasks/{item.task_id}/check-in/", json=item.body
            )
        except sync_engine._RetriesExhausted as exhausted:
            _set(
                engine.store,
                item.task_id,
                RecordState.FAILED_RETRYING,
                problem=exhausted.problem,
            )
            await engine._go_on_or_stop("check_in", str(item.task_id), exhausted)
            continue
        if reply.ok:
            late = bool(reply.body.get("late")) if isinstance(reply.body, dict) else None
            _set(engine.store, item.task_id, RecordState.ACKNOWLEDGED, late=late)
        else:
            zh, en = reply.detail
            _set(
                engine.store,
                item.task_id,
                RecordState.REFUSED,
                problem=Problem(reply.code, zh, en),
            )
            report.failures.append(
                sync_engine.Failure("check_in", str(item.task_id), "refused", reply.code, zh, en)
            )
