"""Scheduler settings, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class SchedulerSettings:
    enabled: bool = True
    """`SUICHA_SCHEDULER=off` leaves the jobs to other processes (or none)."""
    reminder_interval_seconds: float = 600.0
    """How often deadline reminders, overdue escalation and delivery run."""
    takeover_seconds: float = 15.0
    """How often a process without the runner lock tries to take it."""
    cron_hour: int = 8
    """Hour (China time) of the monthly and annual-plan reminders."""


@lru_cache(maxsize=1)
def get_scheduler_settings() -> SchedulerSettings:
    env = os.environ
    return SchedulerSettings(
        enabled=env.get("SUICHA_SCHEDULER", "on").lower() not in ("off", "0", "false", "no"),
        reminder_interval_seconds=float(env.get("SUICHA_SCHEDULER_INTERVAL", "600")),
        takeover_seconds=float(env.get("SUICHA_SCHEDULER_TAKEOVER", "15")),
        cron_hour=int(env.get("SUICHA_SCHEDULER_CRON_HOUR", "8")),
    )
