"""Progress of a sync pass and its final report, for a progress bar and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

Phase = Literal["login", "tasks", "photos", "results", "submissions", "done"]


@dataclass(frozen=True)
class Progress:
    """A snapshot: records (results and submissions) and photo bytes, done/total."""

    phase: Phase
    records_done: int = 0
    records_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    current: str = ""
    """What is being sent now (a result id, a photo hash, a task id)."""

    @property
    def fraction(self) -> float:
        """Overall share done, weighting a record like 64 KiB of photo."""
        weight = 64 * 1024
        total = self.records_total * weight + self.bytes_total
        if total == 0:
            return 1.0
        return (self.records_done * weight + self.bytes_done) / total


ProgressListener = Callable[[Progress], None]


class ProgressTracker:
    """Keeps the current `Progress` and tells every listener about each change."""

    def __init__(self, listeners: list[ProgressListener] | None = None) -> None:
        self.listeners = listeners or []
        self.current = Progress("login")

    def update(self, **changes: object) -> None:
        self.current = replace(self.current, **changes)  # type: ignore[arg-type]
        for listener in self.listeners:
            listener(self.current)

    def advance(self, records: int = 0, bytes_: int = 0, current: str = "") -> None:
        self.update(
            records_done=self.current.records_done + records,
            bytes_done=self.current.bytes_done + bytes_,
            current=current or self.current.current,
        )


@dataclass(frozen=True)
class Failure:
    """Something that did not get through, and why."""

    kind: Literal["result", "photo", "visit", "submission", "tasks", "auth"]
    key: str
    state: str
    code: str
    zh: str
    en: str


@dataclass
class SyncReport:
    """What one pass did. `ok` when nothing is left failed, refused or conflicting."""

    tasks_received: int = 0
    tasks_removed: int = 0
    results_acknowledged: int = 0
    photos_acknowledged: int = 0
    photo_bytes_sent: int = 0
    visits_acknowledged: int = 0
    submissions: int = 0
    photos_released: int = 0
    failures: list[Failure] = field(default_factory=list)
    stopped: Failure | None = None
    """Set when the pass ended early (login needed, device revoked, network down)."""
    pending: int = 0
    """Results, photos and submissions still waiting after the pass."""

    @property
    def ok(self) -> bool:
        return not self.failures and self.stopped is None

    @property
    def complete(self) -> bool:
        """Nothing failed and nothing is left to send."""
        return self.ok and self.pending == 0
