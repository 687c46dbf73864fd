"""Piccolo table of notifications (提醒): rows users read through the API."""

from __future__ import annotations

from piccolo.columns import Bytea, DoublePrecision, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from server.accounts.tables import User


class Notification(Table):
    """One message to one user. `dedupe_key` is unique: a job run twice sends nothing twice."""

    user = ForeignKey(User, index=True, on_delete=OnDelete.restrict)
    kind = Varchar(length=32)
    """deadline_reminder / overdue / monthly_report / annual_plan."""
    title = Varchar(length=200)
    body = Text(default="")
    task = Integer(null=True, default=None)
    dedupe_key = Varchar(length=200, unique=True)
    created_at = Timestamptz()
    delivered_at = Timestamptz(null=True, default=None)
    """When the delivery channel (SMS, e-mail, log) took it; None: still to deliver."""
    read_at = Timestamptz(null=True, default=None)


class JobRun(Table):
    """Each run of a scheduled job and the process that ran it (kept 30 days)."""

    job = Varchar(length=64, index=True)
    runner = Varchar(length=64)
    at = Timestamptz(index=True)
    sent = Integer(default=0)


class ApschedulerJobs(Table, tablename="apscheduler_jobs"):
    """APScheduler's SQLAlchemy job store table, created here (never at start-up).

    Same columns as `SQLAlchemyJobStore` declares, which then finds it present.
    """

    id = Varchar(length=191, primary_key=True)
    next_run_time = DoublePrecision(null=True, index=True)
    job_state = Bytea()
