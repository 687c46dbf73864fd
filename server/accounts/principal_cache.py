"""Access token → principal, remembered between requests (a device syncs hundreds).

Every change that can end a token's validity (revocation, logout, disabling an
account, a refresh that retires the access token) calls `changed()` inside its
write transaction; once that transaction has committed, a byte is appended to
the stamp file in the data folder. Every request first looks at the stamp's
size (one `stat`): when it grew, this process forgets every cached principal,
so the very next request of the revoked device is refused, in whichever
worker of the machine it lands. A worker on another machine (other data
folder) still forgets each entry after `LIFETIME_SECONDS` at the latest.

A lookup notes the stamp before it reads the database and caches its answer
only under that stamp, so a lookup that raced a revocation cannot cache the
pre-revocation answer for longer than that one request.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

from server.accounts.principal import Principal
from server.db.stamp import Stamp

LIFETIME_ENV = "SUICHA_PRINCIPAL_CACHE_SECONDS"
LIFETIME_SECONDS = 30.0
"""Longest time a cached principal is used without a new database lookup (env
`SUICHA_PRINCIPAL_CACHE_SECONDS`, 0 turns the cache off: for workers on several
machines that do not share the data folder and need revocation at once)."""
CAPACITY = 20_000
"""Entries kept at most (live device sessions of a province fit); full → start over."""

_entries: dict[str, tuple[Principal, float]] = {}
_seen_stamp: tuple[int, int] | None = None
_stamp = Stamp("principal-cache")


def stamp() -> tuple[int, int]:
    """The stamp file's (inode, size); (0, 0) before the first change."""
    return _stamp.current()


def lookup(token_hash: str) -> tuple[Principal | None, tuple[int, int]]:
    """The cached principal (or None) and the stamp to pass to `remember`."""
    global _seen_stamp
    current = stamp()
    if current != _seen_stamp:
        _entries.clear()
        _seen_stamp = current
        return None, current
    entry = _entries.get(token_hash)
    if entry is None:
        return None, current
    principal, valid_until = entry
    if time.monotonic() >= valid_until:
        del _entries[token_hash]
        return None, current
    return principal, current


def lifetime() -> float:
    raw = os.environ.get(LIFETIME_ENV, "")
    try:
        return max(0.0, min(float(raw), 300.0)) if raw else LIFETIME_SECONDS
    except ValueError:
        return LIFETIME_SECONDS


def remember(
    token_hash: str, principal: Principal, seen: tuple[int, int], expires_at: datetime
) -> None:
    """Cache a principal found under stamp `seen`, for at most its token's own life."""
    longest = lifetime()
    if seen != _seen_stamp or longest <= 0:
        return
    if len(_entries) >= CAPACITY:
        _entries.clear()
    left = expires_at.timestamp() - time.time()
    _entries[token_hash] = (principal, time.monotonic() + min(longest, left))


def changed() -> None:
    """Sessions or accounts changed: every process forgets its principals after the commit
    (this one included: the stamp it sees next has grown)."""
    _stamp.bump()
