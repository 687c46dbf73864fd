"""Write transactions that hold under concurrency on both engines.

SQLite fails a deferred read-then-write transaction at once with "database is
locked" when another writer is active, whatever the busy timeout. Writes
therefore take an IMMEDIATE transaction (the write lock is taken at BEGIN and
waits out the busy timeout) and, within one process, queue on an asyncio lock
so they do not spin against each other. PostgreSQL needs neither.

Group commit (`grouped_write`): on SQLite, writes that arrive while another
group commits wait together and then run one after another in ONE IMMEDIATE
transaction, each inside its own savepoint, and are answered only after that
transaction's single COMMIT (one WAL fsync) returned. A write that fails rolls
back to its savepoint and fails alone; the others of its group stand. Their
order in the group is their order of arrival, so their audit entries follow
one another in that order on the chain. PostgreSQL already flushes the WAL of
concurrent commits together (its own group commit) and runs writers in
parallel connections, so a grouped write there is an ordinary write
transaction: grouping would make one connection hold the row locks of many
tasks at once and invite deadlocks with other processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

_write_locks: dict[int, asyncio.Lock] = {}

T = TypeVar("T")

GROUP_MAX = 64
"""Writes in one group at most: bounds the time the first of them waits for its answer."""


def _write_lock(engine: Engine) -> asyncio.Lock:
    lock = _write_locks.get(id(engine))
    if lock is None:
        lock = _write_locks[id(engine)] = asyncio.Lock()
    return lock


_after_commit: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "suicha_after_commit", default=None
)


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current write transaction has committed (at once outside
    one). For news other processes must only act on once it is visible to them, such
    as a revoked session; a rolled-back transaction drops it, except inside a group
    commit, where it runs if the group commits (a harmless extra run)."""
    pending = _after_commit.get()
    if pending is None:
        callback()
    else:
        pending.append(callback)


@asynccontextmanager
async def _collecting_after_commit() -> AsyncIterator[list[Callable[[], None]]]:
    callbacks: list[Callable[[], None]] = []
    token = _after_commit.set(callbacks)
    try:
        yield callbacks
    finally:
        _after_commit.reset(token)


@asynccontextmanager
async def write_transaction(engine: Engine | None = None) -> AsyncIterator[Any]:
    """One transaction for one write request; commits on exit, rolls back on error.

    Nested use joins the outer transaction (Piccolo's `allow_nested`).
    """
    engine = engine or current_engine()
    if engine.current_transaction.get() is not None:
        async with engine.transaction() as transaction:
            yield transaction
        return
    async with _collecting_after_commit() as callbacks:
        if isinstance(engine, SQLiteEngine):
            async with (
                _write_lock(engine),
                engine.transaction(transaction_type=TransactionType.immediate) as transaction,
            ):
                yield transaction
        else:
            async with engine.transaction() as transaction:
                yield transaction
    for callback in callbacks:
        callback()


def current_engine() -> Engine:
    from piccolo.engine import engine_finder

    engine = engine_finder()
    if engine is None:  # pragma: no cover - PICCOLO_CONF is always set by `server`
        raise RuntimeError("no Piccolo engine configured")
    return engine


@dataclass
class _Pending:
    work: Callable[[], Awaitable[Any]]
    answer: asyncio.Future[Any]


@dataclass
class _Group:
    """The writes waiting for the next group of one engine, and its committer task."""

    waiting: list[_Pending] = field(default_factory=list)
    committer: asyncio.Task[None] | None = None


_groups: dict[int, _Group] = {}
_committers: set[asyncio.Task[None]] = set()  # strong references while they run


async def grouped_write(work: Callable[[], Awaitable[T]], engine: Engine | None = None) -> T:
    """Run `work` (which opens `write_transaction()` itself, joining the group's) in a
    group commit on SQLite; return its result once its transaction is durable.

    Inside an open transaction, or on PostgreSQL, `work` simply runs."""
    engine = engine or current_engine()
    if engine.current_transaction.get() is not None or not isinstance(engine, SQLiteEngine):
        return await work()
    group = _groups.setdefault(id(engine), _Group())
    answer: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    group.waiting.append(_Pending(work, answer))
    if group.committer is None or group.committer.done():
        group.committer = asyncio.create_task(_commit_groups(engine, group))
        _committers.add(group.committer)
        group.committer.add_done_callback(_committers.discard)
    return await answer


async def _commit_groups(engine: SQLiteEngine, group: _Group) -> None:
    """Commit groups until none waits. A task of its own, so a request that is cancelled
    (its client hung up) never strands the writes grouped with it."""
    while group.waiting:
        async with _write_lock(engine):
            batch = group.waiting[:GROUP_MAX]
            del group.waiting[: len(batch)]
            batch = [p for p in batch if not p.answer.done()]
            if not batch:
                continue
            outcomes: list[tuple[bool, Any]] = []
            try:
                async with (
                    _collecting_after_commit() as callbacks,
                    engine.transaction(transaction_type=TransactionType.immediate) as transaction,
                ):
                    for pending in batch:
                        outcomes.append(await _in_savepoint(transaction, pending.work))
            except BaseException as failure:  # the COMMIT (or a savepoint) failed: none stands
                for pending in batch:
                    if not pending.answer.done():
                        pending.answer.set_exception(failure)
                if not isinstance(failure, Exception):
                    raise
                continue
            for callback in callbacks:
                callback()
            for pending, (ok, value) in zip(batch, outcomes, strict=True):
                if pending.answer.done():
                    continue
                if ok:
                    pending.answer.set_result(value)
                else:
                    pending.answer.set_exception(value)


async def _in_savepoint(transaction: Any, work: Callable[[], Awaitable[Any]]) -> tuple[bool, Any]:
    savepoint = await transaction.savepoint()
    try:
        value = await work()
    except Exception as failure:  # this write fails alone
        await savepoint.rollback_to()
        await savepoint.release()
        return False, failure
    await savepoint.release()
    return True, value
