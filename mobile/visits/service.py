"""The visit record service: one row per task, saved at every edit.

What the inspector types is kept as typed (even half a time while typing), and
checked by `problems` before submission: nothing entered is lost to a
validation. The record, with the finished signatures, is sent by the sync
engine once submission is asked for (`mobile.visits.outbox`).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mobile import packages
from mobile.sync.store import Store
from mobile.visits import errors
from shared.errors import ErrorSpec, SuichaError
from shared.visit import (
    ID_NUMBER,
    METHOD_VALUES,
    NAME_MAX,
    NOTES_MAX,
    PEOPLE_MAX,
    ROLE_MAX,
)

ARRIVAL_TEXT_MAX = 32
ARRIVAL_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?")
FIELDS = frozenset({"arrival", "method", "notes", "people"})

SCHEMA = """
CREATE TABLE IF NOT EXISTS visit_record (
    task_id INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    arrival TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    people TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL,
    sent_hash TEXT,
    acked_hash TEXT,
    server_version INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'queued',
    code TEXT, detail_zh TEXT, detail_en TEXT
);
"""


@dataclass(frozen=True)
class Person:
    """Someone present for the business: name, role (职务), ID number (optional)."""

    name: str
    role: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class VisitRecord:
    task_id: int
    record_id: str | None
    arrival: str
    """As typed: `YYYY-MM-DD HH:MM` in the device's time zone."""
    method: str
    notes: str
    people: list[Person] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "arrival": self.arrival,
            "method": self.method,
            "notes": self.notes,
            "people": [vars(p) for p in self.people],
        }


def parse_arrival(text: str) -> datetime | None:
    """The arrival time typed on the device (`YYYY-MM-DD HH:MM`, seconds and a UTC
    offset optional), in the device's zone when no offset is given (None: not a time)."""
    text = text.strip()
    if not ARRIVAL_PATTERN.fullmatch(text):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.astimezone()


def _too_long(zh: str, en: str, limit: int) -> SuichaError:
    return SuichaError(errors.VISIT_TEXT_TOO_LONG, field_zh=zh, field_en=en, limit=limit)


def _people(raw: Any) -> list[Person]:
    if not isinstance(raw, list):
        raise SuichaError(
            errors.PERSON_INVALID, number=1, reason="格式不对", reason_en="not a list"
        )
    if len(raw) > PEOPLE_MAX:
        raise SuichaError(errors.TOO_MANY_PEOPLE, limit=PEOPLE_MAX)
    people = []
    for number, entry in enumerate(raw, start=1):
        values = (
            {k: entry.get(k) or "" for k in ("name", "role", "id_number")}
            if isinstance(entry, dict)
            else None
        )
        if values is None or not all(isinstance(v, str) for v in values.values()):
            raise SuichaError(
                errors.PERSON_INVALID, number=number, reason="格式不对", reason_en="malformed"
            )
        name, role, id_number = (values[k].strip() for k in ("name", "role", "id_number"))
        if len(name) > NAME_MAX or len(role) > ROLE_MAX:
            raise SuichaError(
                errors.PERSON_INVALID,
                number=number,
                reason=f"姓名或职务超过{NAME_MAX}个字",
                reason_en=f"name or role longer than {NAME_MAX} characters",
            )
        if id_number and not ID_NUMBER.fullmatch(id_number):
            raise SuichaError(
                errors.PERSON_INVALID,
                number=number,
                reason="证件号码应为6到30位数字或字母",
                reason_en="the ID number must be 6 to 30 digits or letters",
            )
        people.append(Person(name, role, id_number.upper()))
    return people


class VisitService:
    def __init__(self, store: Store) -> None:
        self.store = store
        store.ensure_schema(SCHEMA)

    def record(self, task_id: int) -> VisitRecord:
        packages.task_status(self.store, task_id)
        rows = self.store.query("SELECT * FROM visit_record WHERE task_id = ?", (task_id,))
        if not rows:
            return VisitRecord(task_id, None, "", "", "", [])
        row = rows[0]
        return VisitRecord(
            task_id=task_id,
            record_id=row["record_id"],
            arrival=row["arrival"],
            method=row["method"],
            notes=row["notes"],
            people=[Person(**p) for p in json.loads(row["people"])],
        )

    def update(self, task_id: int, **changes: Any) -> VisitRecord:
        """Save the given fields (arrival, method, notes, people) in one commit."""
        unknown = set(changes) - FIELDS
        if unknown:
            raise SuichaError(errors.VISIT_FIELD_UNKNOWN, name=sorted(unknown)[0])
        packages.require_open(packages.task_status(self.store, task_id))
        values: dict[str, str] = {}
        if "arrival" in changes:
            arrival = str(changes["arrival"] or "").strip()
            if len(arrival) > ARRIVAL_TEXT_MAX:
                raise _too_long("到达时间", "The arrival time", ARRIVAL_TEXT_MAX)
            values["arrival"] = arrival
        if "method" in changes:
            method = str(changes["method"] or "")
            if method and method not in METHOD_VALUES:
                raise SuichaError(errors.METHOD_UNKNOWN, method=method)
            values["method"] = method
        if "notes" in changes:
            notes = str(changes["notes"] or "")
            if len(notes) > NOTES_MAX:
                raise _too_long("笔录内容", "The notes", NOTES_MAX)
            values["notes"] = notes
        if "people" in changes:
            people = _people(changes["people"] or [])
            values["people"] = json.dumps([vars(p) for p in people], ensure_ascii=False)
        now = datetime.now(UTC).isoformat()
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO visit_record (task_id, record_id, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (task_id) DO NOTHING",
                (task_id, str(uuid.uuid4()), now),
            )
            for name, value in values.items():  # names from FIELDS only
                conn.execute(
                    f"UPDATE visit_record SET {name} = ?, updated_at = ? WHERE task_id = ?",
                    (value, now, task_id),
                )
        return self.record(task_id)

    def problems(self, task_id: int) -> list[tuple[str, str, str]]:
        """What the record still lacks for submission: (code, zh, en) each."""
        record = self.record(task_id)
        found: list[tuple[ErrorSpec, dict[str, Any]]] = []
        if not record.arrival:
            found.append((errors.ARRIVAL_MISSING, {}))
        elif parse_arrival(record.arrival) is None:
            found.append((errors.ARRIVAL_FORMAT, {"text": record.arrival}))
        if not record.method:
            found.append((errors.METHOD_MISSING, {}))
        for number, person in enumerate(record.people, start=1):
            if not person.name and (person.role or person.id_number):
                found.append((errors.PERSON_NAME_MISSING, {"number": number}))
        out = []
        for spec, params in found:
            error = SuichaError(spec, **params)
            out.append((error.code, error.detail_zh, error.detail_en))
        return out
