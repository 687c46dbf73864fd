"""The scheduler in real server processes: restarts and a second process.

- Killed and restarted around a due reminder, the reminder is sent exactly once.
- With two processes, one runs the jobs; when it is killed, the other takes over.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from server.calendar import service as calendar
from server.notifications.tables import JobRun, Notification
from shared.deadlines import DeadlineRule, publication_deadline, reminder_due
from tests.server import factories
from tests.server.publication.flow import completed_task
from tests.support.live_server import ServerProcess

FAST = {
    "SUICHA_SCHEDULER": "on",
    "SUICHA_SCHEDULER_INTERVAL": "1",
    "SUICHA_SCHEDULER_TAKEOVER": "0.5",
}


def server(tmp_path: Path, name: str) -> ServerProcess:
    return ServerProcess(env={**FAST, "SUICHA_DATA_DIR": str(tmp_path / name)})


async def wait_for(check: Callable[[], object], what: str, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await check():  # type: ignore[misc]
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def runner_of(process: ServerProcess) -> str:
    assert process.process is not None
    return f":{process.process.pid}"


async def runs_by(process: ServerProcess) -> int:
    suffix = runner_of(process)
    rows = await JobRun.select(JobRun.runner).where(JobRun.job == "deadlines")
    return sum(1 for row in rows if row["runner"].endswith(suffix))


async def completion_due_today() -> str:
    """A completion time whose deadline (default rule) is within today's reminder window."""
    today = datetime.now(calendar.CHINA).date()
    work = await calendar.load_calendar()
    day = today
    for _ in range(60):
        day -= timedelta(days=1)
        deadline = publication_deadline(day, DeadlineRule(), work).day
        if reminder_due(today, deadline, 3, work):
            return f"{day.isoformat()}T10:00:00+08:00"
    raise AssertionError("no completion day puts today in the reminder window")


async def reminders() -> list[dict]:
    return await Notification.select().where(Notification.kind == "deadline_reminder")


async def test_reminder_sent_exactly_once_across_kills(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await factories.login_as(client, "back_office", "HBJ")  # the plan's lead department
    process = server(tmp_path, "one")
    with process:
        await wait_for(lambda: runs_by(process), "a first run with nothing due")
        process.kill()
        # The reminder becomes due while no process runs the jobs.
        done = await completed_task(client, completed_at=await completion_due_today())
        process.start()

        async def delivered() -> bool:
            rows = await reminders()
            return bool(rows) and all(r["delivered_at"] is not None for r in rows)

        await wait_for(delivered, "the reminder to be sent after the restart")
        process.kill()  # right after sending it
        process.start()
        await wait_for(lambda: _at_least(runs_by(process), 3), "three runs after the restart")
        rows = await reminders()
        assert len(rows) == 1 and rows[0]["task"] == done.task.task_id
        log = process.log_path.read_text(encoding="utf-8", errors="replace")
        assert log.count(f"key={rows[0]['dedupe_key']} ") == 1, log[-2000:]


async def _at_least(count: object, n: int) -> bool:
    return await count >= n  # type: ignore[misc]


async def test_two_processes_one_runner_and_takeover(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    await factories.login_as(client, "back_office", "HBJ")
    await completed_task(client, completed_at=await completion_due_today())
    first, second = server(tmp_path, "a"), server(tmp_path, "b")
    with first, second:

        async def someone_ran() -> bool:
            return await runs_by(first) + await runs_by(second) >= 3

        await wait_for(someone_ran, "three runs")
        holder, other = (first, second) if await runs_by(first) else (second, first)
        assert await runs_by(other) == 0  # one runner only
        holder.kill()
        await wait_for(lambda: _at_least(runs_by(other), 3), "the other process to take over")
        assert len(await reminders()) == 1  # sent once, whoever ran the job
