"""The scheduled jobs: importable functions (APScheduler stores them by name).

Each job does its work, delivers what is pending, and records its run with
the process that ran it (the runner), so a run twice or by two processes is
visible — and harmless, since every notification is unique by its occasion.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from server.calendar import queries as calendar_queries
from server.calendar import service as calendar
from server.db.transaction import write_transaction
from server.inspection_codes import objections
from server.notifications import queries, service
from server.records.reports import service as reports

RUNNER = f"{socket.gethostname()}:{os.getpid()}"
KEEP_RUNS = timedelta(days=30)
SWEEP = 500


async def _run(name: str, work: Callable[[], Awaitable[int]]) -> int:
    sent = await work()
    await service.deliver_pending()
    now = datetime.now(UTC)
    async with write_transaction():
        await queries.record_run(name, RUNNER, now, sent)
        await queries.prune_runs(now - KEEP_RUNS)
    return sent


async def _deadline_work() -> int:
    # Any completed task without a deadline row (a gap) gets one first.
    async with write_transaction():
        await calendar.record_completion(await calendar_queries.completed_without_deadline(SWEEP))
    sent = await service.deadline_reminders() + await service.overdue_escalation()
    # Objections (异议) answer to a working-day deadline too: reminded in the same run.
    return sent + await objections.reminders()


async def deadlines() -> int:
    """Deadline reminders to back-office staff and overdue escalation to team leads."""
    return await _run("deadlines", _deadline_work)


async def _monthly_work() -> int:
    # Last month's reports are generated and stored first, so the reminder finds them listed.
    await reports.monthly_job()
    return await service.monthly_report()


async def monthly_report() -> int:
    """1st of the month: generate and store last month's reports (月报表), due by the 5th."""
    return await _run("monthly_report", _monthly_work)


async def annual_plan() -> int:
    """10 March: the year's plans are due."""
    return await _run("annual_plan", service.annual_plan)
