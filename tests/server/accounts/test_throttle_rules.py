"""The backoff rules (登录限速), without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.accounts.throttle import BackoffPolicy, Counter, after_failure, wait_seconds

POLICY = BackoffPolicy(free_failures=3, base_seconds=2.0, cap_seconds=60.0)
T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def failures(n: int, start: datetime = T0) -> Counter | None:
    counter = None
    for i in range(n):
        counter = after_failure(counter, start + timedelta(seconds=i), POLICY)
    return counter


def test_free_failures_cost_no_wait() -> None:
    counter = failures(3)
    assert counter is not None and counter.failures == 3
    assert counter.blocked_until is None
    assert wait_seconds(counter, T0 + timedelta(seconds=3)) == 0


def test_the_wait_doubles_after_each_further_failure_up_to_the_cap() -> None:
    delays = [POLICY.delay(n) for n in range(1, 12)]
    assert delays == [0, 0, 0, 2, 4, 8, 16, 32, 60, 60, 60]
    assert POLICY.delay(10**6) == 60  # no overflow however long the streak


def test_wait_seconds_rounds_up_and_ends_when_the_block_ends() -> None:
    counter = failures(4)
    assert counter is not None
    last = counter.last_failure_at
    assert counter.blocked_until == last + timedelta(seconds=2)
    assert wait_seconds(counter, last + timedelta(seconds=0.5)) == 2
    assert wait_seconds(counter, last + timedelta(seconds=1.9)) == 1
    assert wait_seconds(counter, last + timedelta(seconds=2)) == 0


def test_an_old_streak_is_forgotten() -> None:
    counter = failures(8)
    later = T0 + POLICY.forget_after + timedelta(seconds=10)
    fresh = after_failure(counter, later, POLICY)
    assert fresh.failures == 1 and fresh.blocked_until is None
    recent = after_failure(counter, T0 + timedelta(seconds=30), POLICY)
    assert recent.failures == 9
