"""What field sync reads for every result and that does not change within a sync:
a task's team and items (task → department of each member and item), and the
checklist template versions of its items (item → template).

- A task's **facts** are kept together with the task row's version and
  `updated_at`, and used only while the task row, read (on PostgreSQL locked)
  by the same write transaction, still has both. Every change of a task's team
  or items raises its version and `updated_at` (`server.tasks.changes.record`,
  in the same transaction), so a team amendment takes effect on the very next
  result, in every process, without any message; and a database replaced under
  a running server (a restore, the tests' fresh database) is never answered
  from memory of the old one. The change also bumps the `field-cache` stamp
  (see `server.db.stamp`), and every entry is forgotten after
  `LIFETIME_SECONDS`: a change made some other way is still seen within that
  bound.
- **Template versions** never change once numbered (a new content gets a new
  number), so an (item, version) → checklist entry stays true for good; they
  are kept with the facts of the task they were used on.

Only positive facts are cached: a refusal (unknown task, item or version) is
looked up every time, so nothing learnt later is hidden by a cached "no".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from server.db.stamp import Seen, Stamp

LIFETIME_SECONDS = 30.0
"""Longest time an entry is used without being read again from the database."""
CAPACITY = 20_000
"""Tasks kept at most (the open tasks of a province fit); full → start over."""


@dataclass(frozen=True)
class Member:
    department: int
    department_code: str
    active: bool
    removed_reason: str


@dataclass(frozen=True)
class Item:
    item: int
    department: int
    department_code: str


@dataclass
class TaskFacts:
    """A task's team (inspector id → their places, in order), items (code → item) and
    the template versions used on it so far ((item id, version) → checklist)."""

    task_id: int
    version: int
    updated_at: datetime
    members: dict[int, list[Member]] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    templates: dict[tuple[int, int], Any] = field(default_factory=dict)


_stamp = Stamp("field-cache")
_seen: Seen | None = None
_tasks: dict[int, tuple[TaskFacts, float]] = {}
_texts: dict[str, str] = {}
"""One copy of each template text, however many tasks use it."""


def task_facts(task_id: int, version: int, updated_at: datetime) -> TaskFacts | None:
    global _seen
    current = _stamp.current()
    if current != _seen:  # something cached changed (in this process or another)
        clear()
        _seen = current
        return None
    entry = _tasks.get(task_id)
    if entry is None:
        return None
    facts, valid_until = entry
    stale = (facts.version, facts.updated_at) != (version, updated_at)
    if stale or time.monotonic() >= valid_until:
        del _tasks[task_id]
        return None
    return facts


def remember_task(facts: TaskFacts) -> None:
    if len(_tasks) >= CAPACITY:
        clear()
    _tasks[facts.task_id] = (facts, time.monotonic() + LIFETIME_SECONDS)


def remember_template(facts: TaskFacts, item_id: int, version: int, checklist: Any) -> None:
    if isinstance(checklist, str):
        checklist = _texts.setdefault(checklist, checklist)
    facts.templates[(item_id, version)] = checklist


def changed() -> None:
    """A task's team or items changed: every process forgets after the commit."""
    _stamp.bump()


def clear() -> None:
    """Forget everything in this process."""
    _tasks.clear()
    _texts.clear()
