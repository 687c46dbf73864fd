"""Password hashing with Argon2id (argon2-cffi), off the event loop and bounded.

Each hash or check takes 64 MiB for its duration. `password_check()` admits at
most `auth.login_concurrency` of them at once per process; a caller who cannot
get a turn within `auth.login_wait_seconds` is refused with 429, so a burst of
logins costs a bounded amount of memory instead of 64 MiB per request.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.accounts.errors import LOGIN_BUSY
from server.settings import get_settings
from shared.errors import SuichaError

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8

# One gate per event loop (an asyncio.Semaphore belongs to the loop it first waits on),
# with the size it was made for: settings read again (tests) make a new one.
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[int, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)


def _gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    size = max(1, get_settings().auth.login_concurrency)
    made = _gates.get(loop)
    if made is None or made[0] != size:
        made = _gates[loop] = (size, asyncio.Semaphore(size))
    return made[1]


@asynccontextmanager
async def password_check() -> AsyncIterator[None]:
    """A turn to run one Argon2 computation; 429 `auth.login_busy` if none frees up in time."""
    gate = _gate()
    try:
        async with asyncio.timeout(get_settings().auth.login_wait_seconds):
            await gate.acquire()
    except TimeoutError:
        raise SuichaError(LOGIN_BUSY, extra={"retry_after": 1}) from None
    try:
        yield
    finally:
        gate.release()


def hash_password_sync(password: str) -> str:
    return _hasher.hash(password)


async def hash_password(password: str) -> str:
    async with password_check():
        return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    def check() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async with password_check():
        return await anyio.to_thread.run_sync(check)
