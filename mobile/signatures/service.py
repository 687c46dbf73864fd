"""The signature service: one row per (task, signer), saved at every stroke end."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mobile import packages
from mobile.signatures import errors
from mobile.signatures.render import render_png
from mobile.signatures.strokes import MAX_STROKES, Point, Stroke, check_stroke
from mobile.sync.store import Store
from shared.errors import SuichaError
from shared.visit import NAME_MAX

REPRESENTATIVE = "representative"
"""The business's representative (企业代表): the only signer who types their name."""
INSPECTOR = "inspector"

SCHEMA = """
CREATE TABLE IF NOT EXISTS signature (
    task_id INTEGER NOT NULL,
    signer TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    strokes TEXT NOT NULL DEFAULT '[]',
    sha256 TEXT,
    width INTEGER,
    height INTEGER,
    signed_at TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (task_id, signer)
);
"""


def inspector_key(badge: str) -> str:
    return f"{INSPECTOR}:{badge}"


@dataclass(frozen=True)
class Signer:
    key: str
    role: str
    name: str
    badge: str | None


@dataclass(frozen=True)
class SignatureState:
    task_id: int
    key: str
    role: str
    name: str
    badge: str | None
    strokes: list[Stroke]
    signed_at: str | None
    """When the signer finished (None: not signed, or changed since)."""
    sha256: str | None
    width: int | None
    height: int | None

    @property
    def signed(self) -> bool:
        return self.signed_at is not None and self.sha256 is not None


def _now() -> str:
    return datetime.now(UTC).isoformat()


class SignatureService:
    def __init__(self, store: Store) -> None:
        self.store = store
        store.ensure_schema(SCHEMA)

    def signers(self, task_id: int) -> list[SignatureState]:
        """Who must sign: the business representative, then each inspector of the team."""
        return [self._state(task_id, s) for s in self._signers(task_id)]

    def _signers(self, task_id: int) -> list[Signer]:
        package = packages.task_status(self.store, task_id).package
        team = [
            Signer(inspector_key(m["badge_no"]), INSPECTOR, m.get("name", ""), m["badge_no"])
            for m in package.get("team", [])
        ]
        return [Signer(REPRESENTATIVE, REPRESENTATIVE, "", None), *team]

    def _signer(self, task_id: int, key: str) -> Signer:
        signer = next((s for s in self._signers(task_id) if s.key == key), None)
        if signer is None:
            raise SuichaError(errors.SIGNER_UNKNOWN, signer=key)
        return signer

    def _state(self, task_id: int, signer: Signer) -> SignatureState:
        rows = self.store.query(
            "SELECT * FROM signature WHERE task_id = ? AND signer = ?", (task_id, signer.key)
        )
        row: Any = rows[0] if rows else None
        return SignatureState(
            task_id=task_id,
            key=signer.key,
            role=signer.role,
            name=signer.name or (row["name"] if row else ""),
            badge=signer.badge,
            strokes=[[tuple(p) for p in s] for s in json.loads(row["strokes"])] if row else [],
            signed_at=row["signed_at"] if row else None,
            sha256=row["sha256"] if row else None,
            width=row["width"] if row else None,
            height=row["height"] if row else None,
        )

    def signature(self, task_id: int, key: str) -> SignatureState:
        return self._state(task_id, self._signer(task_id, key))

    # -- changes: each one commit; any change voids an earlier finish ------------------

    def _change(self, task_id: int, key: str, sql: str, params: tuple[Any, ...]) -> None:
        self._signer(task_id, key)
        packages.require_open(packages.task_status(self.store, task_id))
        now = _now()
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO signature (task_id, signer, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (task_id, signer) DO NOTHING",
                (task_id, key, now),
            )
            conn.execute(sql, params)
            conn.execute(
                "UPDATE signature SET signed_at = NULL, sha256 = NULL, updated_at = ?"
                " WHERE task_id = ? AND signer = ?",
                (now, task_id, key),
            )

    def set_signer_name(self, task_id: int, key: str, name: str) -> None:
        """The representative's name (an inspector's name comes from the team)."""
        name = name.strip()
        if len(name) > NAME_MAX:
            raise SuichaError(errors.SIGNER_NAME_TOO_LONG, limit=NAME_MAX)
        if self._signer(task_id, key).role != REPRESENTATIVE:
            return
        self._change(
            task_id,
            key,
            "UPDATE signature SET name = ? WHERE task_id = ? AND signer = ?",
            (name, task_id, key),
        )

    def append_stroke(self, task_id: int, key: str, stroke: Sequence[Point]) -> None:
        """Keep one finished stroke (called when the finger lifts)."""
        checked = check_stroke(stroke)
        current = self.signature(task_id, key).strokes
        if len(current) >= MAX_STROKES:
            raise SuichaError(errors.TOO_MANY_STROKES, limit=MAX_STROKES)
        self._change(
            task_id,
            key,
            "UPDATE signature SET strokes = ? WHERE task_id = ? AND signer = ?",
            (json.dumps([*current, checked]), task_id, key),
        )

    def clear(self, task_id: int, key: str) -> None:
        self._change(
            task_id,
            key,
            "UPDATE signature SET strokes = '[]' WHERE task_id = ? AND signer = ?",
            (task_id, key),
        )

    def finish_signature(
        self, task_id: int, key: str, *, width: int, height: int
    ) -> SignatureState:
        """Render the PNG, file it content-addressed (sent as an attachment), record when."""
        packages.require_open(packages.task_status(self.store, task_id))
        state = self.signature(task_id, key)
        if not state.name.strip():
            raise SuichaError(errors.SIGNER_NAME_NEEDED)
        if not state.strokes:
            raise SuichaError(errors.SIGNATURE_EMPTY)
        png = render_png(state.strokes, width, height)
        signed_at = _now()
        photo = self.store.add_photo(png, taken_at=signed_at)
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO signature (task_id, signer, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (task_id, signer) DO NOTHING",
                (task_id, key, signed_at),
            )
            conn.execute(
                "UPDATE signature SET sha256 = ?, width = ?, height = ?, signed_at = ?,"
                " updated_at = ? WHERE task_id = ? AND signer = ?",
                (photo.sha256, width, height, signed_at, signed_at, task_id, key),
            )
        return self.signature(task_id, key)

    def unsigned(self, task_id: int) -> list[SignatureState]:
        """Signers whose signature is missing (or changed since it was finished)."""
        return [s for s in self.signers(task_id) if not s.signed]
