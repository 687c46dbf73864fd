"""The device's local store and outbox: one SQLite file (WAL) and a photo folder.

Everything an inspector records is written here first, durably, and stays
here until the server has acknowledged that exact version (rules 1 and 3 of
sync-v1). The sync engine reads its work from here and writes every answer
back here; the Kivy screens bind to the same methods. Photos are files in the
data dir named by their SHA-256, computed once when they are recorded.

The only code that deletes anything is `_delete_local_copy`, called by
`release_photos` under the rule in docs/sync-protocol.md ("The record's life on
the device"), and every deletion is logged in the `deletion` table.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mobile.sync.errors import (
    PHOTO_MEDIA_TYPE,
    PHOTO_UNKNOWN,
    RESULT_TASK_CHANGED,
    TASK_UNKNOWN,
)
from mobile.sync.states import PENDING_RECORD_STATES, RecordState, SubmissionState
from shared.canonical import canonical_json
from shared.errors import SuichaError

DB_FILE = "field.db"
PHOTO_DIR = "photos"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS task (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    package TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    removed_at TEXT,
    submission TEXT NOT NULL DEFAULT 'not_requested',
    completed_at TEXT,
    submitted_at TEXT,
    code TEXT, detail_zh TEXT, detail_en TEXT, missing TEXT
);
CREATE TABLE IF NOT EXISTS result (
    id TEXT PRIMARY KEY,
    task_id INTEGER NOT NULL,
    item TEXT NOT NULL,
    body TEXT NOT NULL,
    revision INTEGER NOT NULL,
    server_version INTEGER NOT NULL DEFAULT 0,
    acked_revision INTEGER NOT NULL DEFAULT 0,
    sent_body TEXT, sent_base INTEGER, sent_revision INTEGER,
    state TEXT NOT NULL,
    code TEXT, detail_zh TEXT, detail_en TEXT, conflict TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS result_task ON result (task_id);
CREATE TABLE IF NOT EXISTS photo (
    sha256 TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    location TEXT,
    state TEXT NOT NULL,
    server_offset INTEGER NOT NULL DEFAULT 0,
    code TEXT, detail_zh TEXT, detail_en TEXT,
    acknowledged_at TEXT,
    local_copy INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS result_photo (
    result_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (result_id, sha256)
);
CREATE TABLE IF NOT EXISTS deletion (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT NOT NULL
);
"""


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def sniff_media_type(head: bytes) -> str | None:
    """JPEG or PNG from the first bytes; the server accepts nothing else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


@dataclass(frozen=True)
class PhotoInfo:
    sha256: str
    size: int
    media_type: str
    path: Path


@dataclass(frozen=True)
class PhotoUse:
    """A photo attached to a result, optionally to one checklist question."""

    sha256: str
    question: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """The exact version of a result the engine is about to send."""

    result_id: str
    task_id: int
    body: dict[str, Any]
    base_version: int
    revision: int


@dataclass(frozen=True)
class Problem:
    """Why something did not go: the server's code and its zh/en detail."""

    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class ResultStatus:
    result_id: str
    task_id: int
    item: str
    state: RecordState
    revision: int
    server_version: int
    problem: Problem | None


@dataclass(frozen=True)
class PhotoStatus:
    sha256: str
    size: int
    state: RecordState
    server_offset: int
    local_copy: bool
    problem: Problem | None


@dataclass(frozen=True)
class TaskStatus:
    task_id: int
    version: int
    removed: bool
    submission: SubmissionState
    problem: Problem | None
    missing: list[dict[str, Any]]
    package: dict[str, Any]
    completed_at: str | None
    """When the inspection ended, as the inspector said on asking to submit."""


def _problem(row: sqlite3.Row) -> Problem | None:
    if row["code"] is None:
        return None
    return Problem(row["code"], row["detail_zh"] or "", row["detail_en"] or "")


class Store:
    """The outbox and local copy of one device, in `data_dir`."""

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.data_dir = Path(data_dir)
        self.photo_dir = self.data_dir / PHOTO_DIR
        self.photo_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.data_dir / DB_FILE, isolation_level=None, check_same_thread=False, timeout=30
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a record the inspector saw saved survives a power cut.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.executescript(_SCHEMA)
        self.deletion_listeners: list[Callable[[str, str, str], None]] = []
        """Called with (kind, key, reason) just before a local copy is deleted."""

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- the services' own tables (drafts, visit records, signatures) ---------------

    def ensure_schema(self, sql: str) -> None:
        """Create a service's tables in this file (`CREATE … IF NOT EXISTS` statements)."""
        with self._lock:
            self._conn.executescript(sql)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One durable write for a service: one commit per user action."""
        with self._write() as conn:
            yield conn

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._rows(sql, params)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _row(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        with self._lock:
            return self._conn.execute(sql, params).fetchone()

    # -- settings and credentials ------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._row("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    def set_meta(self, values: dict[str, str | None]) -> None:
        with self._write() as conn:
            for key, value in values.items():
                if value is None:
                    conn.execute("DELETE FROM meta WHERE key = ?", (key,))
                else:
                    conn.execute(
                        "INSERT INTO meta (key, value) VALUES (?, ?)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (key, value),
                    )

    # -- task packages -------------------------------------------------------------

    @property
    def cursor(self) -> str | None:
        return self.get_meta("cursor")

    def save_task_packages(
        self, packages: Iterable[dict[str, Any]], removed: Iterable[int], cursor: str | None
    ) -> None:
        """Store pulled packages, mark removed tasks, then move the cursor: one transaction."""
        with self._write() as conn:
            for package in packages:
                conn.execute(
                    "INSERT INTO task (id, version, package) VALUES (?, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
                    " package = excluded.package, removed = 0, removed_at = NULL",
                    (package["id"], package.get("version", 0), json.dumps(package)),
                )
            for task_id in removed:
                # The package and every unsent result stay: only the flag changes.
                conn.execute(
                    "UPDATE task SET removed = 1, removed_at = ? WHERE id = ? AND removed = 0",
                    (now_iso(), task_id),
                )
            if cursor is not None:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('cursor', ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (cursor,),
                )

    def tasks(self) -> list[TaskStatus]:
        return [self._task_status(r) for r in self._rows("SELECT * FROM task ORDER BY id")]

    def task(self, task_id: int) -> TaskStatus | None:
        row = self._row("SELECT * FROM task WHERE id = ?", (task_id,))
        return self._task_status(row) if row else None

    @staticmethod
    def _task_status(row: sqlite3.Row) -> TaskStatus:
        return TaskStatus(
            task_id=row["id"],
            version=row["version"],
            removed=bool(row["removed"]),
            submission=SubmissionState(row["submission"]),
            problem=_problem(row),
            missing=json.loads(row["missing"]) if row["missing"] else [],
            package=json.loads(row["package"]),
            completed_at=row["completed_at"],
        )

    # -- recording -----------------------------------------------------------------

    def add_photo(
        self,
        source: bytes | str | os.PathLike[str],
        *,
        taken_at: str | None = None,
        location: dict[str, float] | None = None,
    ) -> PhotoInfo:
        """Copy a photo into the data dir under its SHA-256 and queue it for upload.

        Adding the same bytes twice gives the same photo (content addressing).
        """
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        media_type = sniff_media_type(data[:16])
        if media_type is None:
            raise SuichaError(PHOTO_MEDIA_TYPE)
        digest = hashlib.sha256(data).hexdigest()
        name = f"{digest}.{'jpg' if media_type == 'image/jpeg' else 'png'}"
        path = self.photo_dir / name
        if not path.exists():
            write_durably(path, data)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO photo (sha256, file, size, media_type, taken_at, location, state)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                (
                    digest,
                    f"{PHOTO_DIR}/{name}",
                    len(data),
                    media_type,
                    taken_at or now_iso(),
                    json.dumps(location) if location else None,
                    RecordState.QUEUED,
                ),
            )
        return PhotoInfo(digest, len(data), media_type, path)

    def record_result(
        self,
        task_id: int,
        item: str,
        *,
        answers: dict[str, Any],
        category: str,
        findings: str = "",
        photos: Sequence[PhotoUse | str] = (),
        recorded_at: str | None = None,
        result_id: str | None = None,
        follow_up: str = "",
        template_version: int | None = None,
    ) -> str:
        """Record a new item result, or a new local version of an existing one.

        Returns the result's UUID. An edit never touches the version the server
        acknowledged: it becomes the next version, based on it.
        """
        uses = [p if isinstance(p, PhotoUse) else PhotoUse(p) for p in photos]
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM task WHERE id = ?", (task_id,)).fetchone() is None:
                raise SuichaError(TASK_UNKNOWN, task_id=task_id)
            refs = []
            for use in uses:
                photo = conn.execute(
                    "SELECT * FROM photo WHERE sha256 = ?", (use.sha256,)
                ).fetchone()
                if photo is None:
                    raise SuichaError(PHOTO_UNKNOWN, sha256=use.sha256)
                refs.append(
                    {
                        "sha256": photo["sha256"],
                        "size": photo["size"],
                        "media_type": photo["media_type"],
                        "taken_at": photo["taken_at"],
                        "location": json.loads(photo["location"]) if photo["location"] else None,
                        "question": use.question,
                    }
                )
            fields: dict[str, Any] = {
                "item": item,
                "answers": answers,
                "findings": findings,
                "category": category,
                "recorded_at": recorded_at or now_iso(),
                "photos": refs,
            }
            # Added in sync-v1.1: left out when unset, so older bodies hash the same.
            if follow_up:
                fields["follow_up"] = follow_up
            if template_version is not None:
                fields["template_version"] = template_version
            body = canonical_json(fields)
            result_id = result_id or str(uuid.uuid4())
            existing = conn.execute("SELECT * FROM result WHERE id = ?", (result_id,)).fetchone()
            if existing is None:
                conn.execute(
                    "INSERT INTO result (id, task_id, item, body, revision, state, updated_at)"
                    " VALUES (?, ?, ?, ?, 1, ?, ?)",
                    (result_id, task_id, item, body, RecordState.QUEUED, now_iso()),
                )
            else:
                if existing["task_id"] != task_id or existing["item"] != item:
                    raise SuichaError(RESULT_TASK_CHANGED, result_id=result_id)
                conn.execute(
                    "UPDATE result SET body = ?, revision = revision + 1, state = ?,"
                    " code = NULL, detail_zh = NULL, detail_en = NULL, updated_at = ?"
                    " WHERE id = ?",
                    (body, RecordState.QUEUED, now_iso(), result_id),
                )
                conn.execute("DELETE FROM result_photo WHERE result_id = ?", (result_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO result_photo (result_id, sha256) VALUES (?, ?)",
                [(result_id, ref["sha256"]) for ref in refs],
            )
        return result_id

    def request_submission(self, task_id: int, completed_at: str | None = None) -> None:
        """Ask for the task to be submitted once all its records are acknowledged."""
        with self._write() as conn:
            updated = conn.execute(
                "UPDATE task SET submission = ?, completed_at = COALESCE(?, completed_at, ?),"
                " code = NULL, detail_zh = NULL, detail_en = NULL, missing = NULL"
                " WHERE id = ? AND submission <> ?",
                (
                    SubmissionState.WAITING,
                    completed_at,
                    now_iso(),
                    task_id,
                    SubmissionState.SUBMITTED,
                ),
            )
            if (
                updated.rowcount == 0
                and not conn.execute("SELECT 1 FROM task WHERE id = ?", (task_id,)).fetchone()
            ):
                raise SuichaError(TASK_UNKNOWN, task_id=task_id)

    def requeue(self, key: str) -> None:
        """Send a refused result or photo again, once its cause is fixed (e.g. put back
        on the task); `key` is a result id or a photo's SHA-256.

        A photo starts again from byte 0: the device holds the bytes and their hash,
        and whatever the server held of it was discarded with the refusal.
        A conflict is not requeued as it is: the server already holds that version
        for review; an edit (`record_result`) makes a new version on the server's.
        """
        with self._write() as conn:
            conn.execute(
                "UPDATE result SET state = ?, code = NULL, detail_zh = NULL, detail_en = NULL"
                " WHERE id = ? AND state = ?",
                (RecordState.QUEUED, key, RecordState.REFUSED),
            )
            conn.execute(
                "UPDATE photo SET state = ?, server_offset = 0, code = NULL, detail_zh = NULL,"
                " detail_en = NULL WHERE sha256 = ? AND state = ? AND local_copy = 1",
                (RecordState.QUEUED, key, RecordState.REFUSED),
            )

    # -- views -----------------------------------------------------------------------

    def results(self, task_id: int | None = None) -> list[ResultStatus]:
        where, params = ("WHERE task_id = ?", (task_id,)) if task_id is not None else ("", ())
        return [
            ResultStatus(
                result_id=r["id"],
                task_id=r["task_id"],
                item=r["item"],
                state=RecordState(r["state"]),
                revision=r["revision"],
                server_version=r["server_version"],
                problem=_problem(r),
            )
            for r in self._rows(f"SELECT * FROM result {where} ORDER BY rowid", params)
        ]

    def result_body(self, result_id: str) -> dict[str, Any]:
        row = self._row("SELECT body FROM result WHERE id = ?", (result_id,))
        if row is None:
            raise KeyError(result_id)
        return json.loads(row["body"])

    def result_conflict(self, result_id: str) -> dict[str, Any] | None:
        row = self._row("SELECT conflict FROM result WHERE id = ?", (result_id,))
        return json.loads(row["conflict"]) if row and row["conflict"] else None

    def photos(self) -> list[PhotoStatus]:
        return [
            PhotoStatus(
                sha256=r["sha256"],
                size=r["size"],
                state=RecordState(r["state"]),
                server_offset=r["server_offset"],
                local_copy=bool(r["local_copy"]),
                problem=_problem(r),
            )
            for r in self._rows("SELECT * FROM photo ORDER BY rowid")
        ]

    def photo_path(self, sha256: str) -> Path:
        row = self._row("SELECT file FROM photo WHERE sha256 = ?", (sha256,))
        if row is None:
            raise SuichaError(PHOTO_UNKNOWN, sha256=sha256)
        return self.data_dir / row["file"]

    def photo_intact(self, sha256: str) -> bool:
        """Whether the local copy still has the bytes its name (SHA-256) promises."""
        digest = hashlib.sha256()
        try:
            with open(self.photo_path(sha256), "rb") as handle:
                while block := handle.read(1024 * 1024):
                    digest.update(block)
        except FileNotFoundError:
            return False
        return digest.hexdigest() == sha256

    def read_photo(self, sha256: str, offset: int, length: int) -> bytes:
        with open(self.photo_path(sha256), "rb") as handle:
            handle.seek(offset)
            return handle.read(length)

    def deletions(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._rows("SELECT * FROM deletion ORDER BY id")]

    # -- what the engine sends -----------------------------------------------------

    def pending_photos(self) -> list[PhotoStatus]:
        return [p for p in self.photos() if p.state in PENDING_RECORD_STATES]

    def pending_results(self) -> list[ResultStatus]:
        return [r for r in self.results() if r.state in PENDING_RECORD_STATES]

    def tasks_to_submit(self) -> list[TaskStatus]:
        return [
            t
            for t in self.tasks()
            if t.submission
            in (
                SubmissionState.WAITING,
                SubmissionState.INCOMPLETE,
                SubmissionState.FAILED_RETRYING,
            )
        ]

    def begin_result_send(self, result_id: str) -> Outgoing:
        """The version to send now, marked `sending` before it leaves.

        A version already sent whose answer never came is sent again, unchanged,
        before any later edit: its retry is then recognised by the server as the
        same write instead of becoming a conflict with itself.
        """
        with self._write() as conn:
            row = conn.execute("SELECT * FROM result WHERE id = ?", (result_id,)).fetchone()
            if row["sent_body"] is None:
                conn.execute(
                    "UPDATE result SET sent_body = body, sent_base = server_version,"
                    " sent_revision = revision, state = ? WHERE id = ?",
                    (RecordState.SENDING, result_id),
                )
                body, base, revision = row["body"], row["server_version"], row["revision"]
            else:
                conn.execute(
                    "UPDATE result SET state = ? WHERE id = ?", (RecordState.SENDING, result_id)
                )
                body, base, revision = row["sent_body"], row["sent_base"], row["sent_revision"]
        return Outgoing(result_id, row["task_id"], json.loads(body), base, revision)

    def result_stored(self, result_id: str, revision: int, server_version: int) -> RecordState:
        """The server stored (or already held) the version `revision` as `server_version`."""
        with self._write() as conn:
            row = conn.execute("SELECT revision FROM result WHERE id = ?", (result_id,)).fetchone()
            state = RecordState.ACKNOWLEDGED if row["revision"] == revision else RecordState.QUEUED
            conn.execute(
                "UPDATE result SET sent_body = NULL, sent_base = NULL, sent_revision = NULL,"
                " server_version = ?, acked_revision = ?, state = ?, code = NULL,"
                " detail_zh = NULL, detail_en = NULL, conflict = NULL WHERE id = ?",
                (server_version, revision, state, result_id),
            )
        return state

    def result_answered(
        self,
        result_id: str,
        state: RecordState,
        problem: Problem,
        conflict: dict[str, Any] | None = None,
    ) -> None:
        """A definitive answer other than success: refused, or stored as a conflict.

        On a conflict the server's version becomes the base of the next edit
        (docs/sync-protocol.md: a 409 sync.conflict is an acknowledgement of the
        client's version, kept for review).
        """
        server = (conflict or {}).get("server") or {}
        server_version = server.get("version") if isinstance(server, dict) else None
        with self._write() as conn:
            if isinstance(server_version, int):
                conn.execute(
                    "UPDATE result SET server_version = ? WHERE id = ?",
                    (server_version, result_id),
                )
            conn.execute(
                "UPDATE result SET sent_body = NULL, sent_base = NULL, sent_revision = NULL,"
                " state = ?, code = ?, detail_zh = ?, detail_en = ?, conflict = ? WHERE id = ?",
                (
                    state,
                    problem.code,
                    problem.zh,
                    problem.en,
                    json.dumps(conflict) if conflict is not None else None,
                    result_id,
                ),
            )

    def result_failed(self, result_id: str, problem: Problem) -> None:
        """No answer: the version stays in flight and is sent again next pass."""
        with self._write() as conn:
            conn.execute(
                "UPDATE result SET state = ?, code = ?, detail_zh = ?, detail_en = ? WHERE id = ?",
                (RecordState.FAILED_RETRYING, problem.code, problem.zh, problem.en, result_id),
            )

    def photo_offset(self, sha256: str, offset: int) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE photo SET server_offset = ?, state = ? WHERE sha256 = ?",
                (offset, RecordState.SENDING, sha256),
            )

    def photo_acknowledged(self, sha256: str) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE photo SET state = ?, server_offset = size, acknowledged_at = ?,"
                " code = NULL, detail_zh = NULL, detail_en = NULL WHERE sha256 = ?",
                (RecordState.ACKNOWLEDGED, now_iso(), sha256),
            )

    def photo_problem(self, sha256: str, state: RecordState, problem: Problem) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE photo SET state = ?, code = ?, detail_zh = ?, detail_en = ?"
                " WHERE sha256 = ?",
                (state, problem.code, problem.zh, problem.en, sha256),
            )

    def task_ready_to_submit(self, task_id: int) -> bool:
        """Every result of the task is delivered (acknowledged, or kept by the server as a
        conflict for review, which does not block submission) and every photo they use
        is acknowledged."""
        row = self._row(
            "SELECT"
            " (SELECT COUNT(*) FROM result WHERE task_id = ? AND state NOT IN (?, ?))"
            "  AS open_results,"
            " (SELECT COUNT(*) FROM result_photo rp JOIN result r ON r.id = rp.result_id"
            "  JOIN photo p ON p.sha256 = rp.sha256 WHERE r.task_id = ? AND p.state <> ?)"
            "  AS open_photos",
            (
                task_id,
                RecordState.ACKNOWLEDGED,
                RecordState.CONFLICT,
                task_id,
                RecordState.ACKNOWLEDGED,
            ),
        )
        assert row is not None
        return row["open_results"] == 0 and row["open_photos"] == 0

    def submission_answered(
        self,
        task_id: int,
        state: SubmissionState,
        problem: Problem | None = None,
        missing: list[dict[str, Any]] | None = None,
        submitted_at: str | None = None,
    ) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE task SET submission = ?, code = ?, detail_zh = ?, detail_en = ?,"
                " missing = ?, submitted_at = COALESCE(?, submitted_at) WHERE id = ?",
                (
                    state,
                    problem.code if problem else None,
                    problem.zh if problem else None,
                    problem.en if problem else None,
                    json.dumps(missing) if missing else None,
                    submitted_at,
                    task_id,
                ),
            )

    # -- freeing space ---------------------------------------------------------------

    def releasable_photos(self) -> list[str]:
        """Photos whose local copy may go: acknowledged, and every result using them
        is acknowledged in its current version on a task that is submitted."""
        rows = self._rows(
            "SELECT p.sha256 FROM photo p WHERE p.local_copy = 1 AND p.state = ?"
            " AND EXISTS (SELECT 1 FROM result_photo rp WHERE rp.sha256 = p.sha256)"
            " AND NOT EXISTS (SELECT 1 FROM result_photo rp JOIN result r ON r.id = rp.result_id"
            "   JOIN task t ON t.id = r.task_id WHERE rp.sha256 = p.sha256"
            "   AND (r.state <> ? OR r.acked_revision <> r.revision OR t.submission <> ?))",
            (RecordState.ACKNOWLEDGED, RecordState.ACKNOWLEDGED, SubmissionState.SUBMITTED),
        )
        return [r["sha256"] for r in rows]

    def release_photos(self) -> list[str]:
        """Delete the local copies `releasable_photos` allows; return their hashes."""
        released = []
        for sha256 in self.releasable_photos():
            self._delete_local_copy(sha256, "acknowledged, results acknowledged, task submitted")
            released.append(sha256)
        return released

    def _delete_local_copy(self, sha256: str, reason: str) -> None:
        path = self.photo_path(sha256)
        for listener in self.deletion_listeners:
            listener("photo", sha256, reason)
        with self._write() as conn:
            conn.execute("UPDATE photo SET local_copy = 0 WHERE sha256 = ?", (sha256,))
            conn.execute(
                "INSERT INTO deletion (kind, key, at, reason) VALUES ('photo', ?, ?, ?)",
                (sha256, now_iso(), reason),
            )
        path.unlink(missing_ok=True)


def write_durably(path: Path, data: bytes) -> None:
    """Write to a temporary name, flush to disk, then rename: never a half photo."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
