"""Login backoff (登录限速): how long a user name or client address must wait after failures.

Plain rules over a counter, no database: `after_failure` gives the counter's next
state and `wait_seconds` whether a login must wait now. The counters themselves
live in the database (`queries.record_login_failure`), so every server process
sees the same ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.settings import AuthSettings

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class BackoffPolicy:
    free_failures: int
    """Failures allowed before any wait."""
    base_seconds: float
    """The first wait; each further failure doubles it."""
    cap_seconds: float
    """The longest wait."""

    @property
    def forget_after(self) -> timedelta:
        """Failures this long after the last one are forgotten: twice the longest wait."""
        return timedelta(seconds=2 * self.cap_seconds)

    def delay(self, failures: int) -> float:
        """Seconds to wait after the `failures`-th failure in a row."""
        beyond = failures - self.free_failures
        if beyond <= 0:
            return 0.0
        # 2**beyond grows without bound; past the cap its exact value does not matter.
        return min(self.base_seconds * 2 ** min(beyond - 1, 62), self.cap_seconds)


@dataclass(frozen=True)
class Counter:
    failures: int
    last_failure_at: datetime
    blocked_until: datetime | None


def policies(auth: AuthSettings) -> dict[str, BackoffPolicy]:
    """The policy of each counter scope: one user name, one client address."""
    return {
        ACCOUNT: BackoffPolicy(
            auth.account_free_failures, auth.backoff_base_seconds, auth.backoff_cap_seconds
        ),
        ADDRESS: BackoffPolicy(
            auth.address_free_failures, auth.backoff_base_seconds, auth.backoff_cap_seconds
        ),
    }


def after_failure(current: Counter | None, now: datetime, policy: BackoffPolicy) -> Counter:
    """The counter after one more failure at `now` (an old streak starts over)."""
    failures = 1
    if current is not None and now - current.last_failure_at < policy.forget_after:
        failures = current.failures + 1
    delay = policy.delay(failures)
    return Counter(
        failures=failures,
        last_failure_at=now,
        blocked_until=now + timedelta(seconds=delay) if delay else None,
    )


def wait_seconds(counter: Counter | None, now: datetime) -> int:
    """Whole seconds a login must still wait (0: it may try now). Rounded up, so a
    client that waits `Retry-After` seconds is never refused again for the same block."""
    if counter is None or counter.blocked_until is None or counter.blocked_until <= now:
        return 0
    return max(1, math.ceil((counter.blocked_until - now).total_seconds()))
