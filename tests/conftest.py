"""Test configuration shared by every test folder.

The database is chosen in `tests.dbsetup` before the server package is
imported. Tests that touch the database take the `db` fixture (a freshly
migrated, empty database); HTTP tests take `client` (the real app, in process)
or `live_server` (a real server process on loopback).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests import dbsetup

UNUSABLE_REASON = dbsetup.configure()
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_sessionstart(session: pytest.Session) -> None:
    if UNUSABLE_REASON and IN_CI:
        pytest.exit(f"CI needs the database: {UNUSABLE_REASON}", returncode=1)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if dbsetup.ENGINE == "postgres" and not UNUSABLE_REASON:
        dbsetup.drop_postgres()


def pytest_report_header() -> str:
    return f"suicha test database: {dbsetup.ENGINE} ({os.environ['SUICHA_DATABASE_URL']})"


_migrated = False


async def _migrate_once() -> None:
    global _migrated
    if _migrated:
        return
    from server.db.migrate import migrate
    from server.db.transaction import current_engine

    await migrate()
    engine = current_engine()
    if dbsetup.ENGINE == "postgres":
        await engine.start_connection_pool()  # type: ignore[attr-defined]
    if dbsetup.ENGINE == "sqlite":
        dbsetup.save_sqlite_template()
    _migrated = True


@pytest.fixture
async def db() -> AsyncIterator[None]:
    """An empty, fully migrated database of the engine under test."""
    if UNUSABLE_REASON:
        pytest.skip(UNUSABLE_REASON)
    await _migrate_once()
    if dbsetup.ENGINE == "sqlite":
        dbsetup.restore_sqlite_template()
    else:
        await asyncio.to_thread(dbsetup.truncate_postgres)
        # Reference data the migrations seed (SQLite keeps it in its template).
        from server.calendar.seed import seed_calendar

        await seed_calendar()
    yield


@pytest.fixture
async def client(db: None) -> AsyncIterator[httpx.AsyncClient]:
    """The real application, served in process on the test's event loop.

    The lifespan is not run here (pytest-asyncio sets fixtures up and tears them
    down in different tasks, which anyio's task groups refuse); the `db` fixture
    owns the PostgreSQL pool instead, and `live_server` tests run the lifespan.
    """
    from server.app import create_app

    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    yield os.environ["SUICHA_DATABASE_URL"]
