"""One job runner among the server processes, and the APScheduler it runs.

Every process tries to take the runner lock at start and then every
`takeover_seconds`; the one holding it runs APScheduler 3 (AsyncIOScheduler)
with the persistent SQLAlchemy job store. The lock is a session advisory lock
on a connection kept open (PostgreSQL) or an `fcntl.flock` on a file beside
the database (SQLite): both die with their process, so a survivor takes over.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import asyncpg
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from litestar import Litestar

from server.scheduler.config import SchedulerSettings, get_scheduler_settings
from server.settings import get_settings

log = logging.getLogger("suicha.scheduler")
ADVISORY_KEY = 0x5C4ED1
"""The PostgreSQL advisory lock key of the job runner (any constant all processes share)."""
TIMEZONE = "Asia/Shanghai"


class RunnerLock(Protocol):
    async def try_acquire(self) -> bool: ...
    async def release(self) -> None: ...


class FileLock:
    """`flock` on a file beside the SQLite database; released when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    async def try_acquire(self) -> bool:
        if self.fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # held open while locked
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    async def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


class AdvisoryLock:
    """`pg_try_advisory_lock` on its own connection, kept open while held."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.connection: asyncpg.Connection | None = None

    async def try_acquire(self) -> bool:
        if self.connection is not None and not self.connection.is_closed():
            return True
        connection = await asyncpg.connect(self.dsn)
        if await connection.fetchval("SELECT pg_try_advisory_lock($1)", ADVISORY_KEY):
            self.connection = connection
            return True
        await connection.close()
        return False

    async def release(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                await self.connection.close()  # closing the session releases the lock
            self.connection = None


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def lock_for(url: str) -> RunnerLock:
    if url.startswith("sqlite:///"):
        return FileLock(sqlite_path(url).with_name(sqlite_path(url).name + ".scheduler.lock"))
    return AdvisoryLock(url.replace("postgresql+psycopg://", "postgresql://", 1))


def job_store(url: str) -> SQLAlchemyJobStore:
    """The persistent job store on the server's own database (table from our migrations)."""
    if url.startswith("sqlite:///"):
        return SQLAlchemyJobStore(
            url=f"sqlite:///{sqlite_path(url)}", engine_options={"connect_args": {"timeout": 30}}
        )
    return SQLAlchemyJobStore(url=url.replace("postgresql://", "postgresql+psycopg://", 1))


def schedule(scheduler: AsyncIOScheduler, settings: SchedulerSettings) -> None:
    """Put the jobs in the store (the same ids every time: nothing is added twice)."""
    common: dict[str, Any] = {
        "replace_existing": True,
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": 24 * 3600,
    }
    scheduler.add_job(
        "server.scheduler.jobs:deadlines",
        "interval",
        seconds=settings.reminder_interval_seconds,
        id="deadlines",
        next_run_time=datetime.now(UTC),
        **common,
    )
    scheduler.add_job(
        "server.scheduler.jobs:monthly_report",
        "cron",
        day=1,
        hour=settings.cron_hour,
        id="monthly_report",
        **common,
    )
    scheduler.add_job(
        "server.scheduler.jobs:annual_plan",
        "cron",
        month=3,
        day=10,
        hour=settings.cron_hour,
        id="annual_plan",
        **common,
    )


class JobRunner:
    """Waits for the runner lock, then runs the scheduler until stopped."""

    def __init__(self, url: str, settings: SchedulerSettings) -> None:
        self.url = url
        self.settings = settings
        self.lock = lock_for(url)
        self.scheduler: AsyncIOScheduler | None = None
        self.task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.scheduler is not None

    async def _take_over(self) -> None:
        while True:
            try:
                if await self.lock.try_acquire():
                    break
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("scheduler lock unavailable: %s", error)
            await asyncio.sleep(self.settings.takeover_seconds)
        scheduler = AsyncIOScheduler(timezone=TIMEZONE)
        scheduler.add_jobstore(job_store(self.url), "default")
        scheduler.start()
        schedule(scheduler, self.settings)
        self.scheduler = scheduler
        log.warning("scheduler running in process %s", os.getpid())

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._take_over())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        await self.lock.release()


@asynccontextmanager
async def scheduler_lifespan(_: Litestar) -> AsyncIterator[None]:
    settings = get_scheduler_settings()
    if not settings.enabled:
        yield
        return
    runner = JobRunner(get_settings().database.url, settings)
    runner.start()
    try:
        yield
    finally:
        await runner.stop()
