"""Choose and prepare the test database, before any table is imported.

`SUICHA_TEST_DB=sqlite` (default): a fresh file per session, migrated once and
kept as a template that is copied back before each test.
`SUICHA_TEST_DB=postgres`: a database `suicha_test_<pid>` on 127.0.0.1:5432 (made
from the `test` database the machine provides, dropped at the end), migrated once and truncated
before each test. Where no server answers, the tests that need it skip,
saying why, except under CI (`CI=true`), where that is a failure.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ENGINE = os.environ.get("SUICHA_TEST_DB", "sqlite")
PG_ADMIN_URL = os.environ.get("SUICHA_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
# One database per test run, so two runs (two developers, or a run beside a
# live demo) never drop each other's tables; it is dropped when the run ends.
PG_TEST_DB = f"suicha_test_{os.getpid()}"

WORK_DIR = Path(tempfile.mkdtemp(prefix="suicha-test-"))
SQLITE_FILE = WORK_DIR / "test.db"
SQLITE_TEMPLATE = WORK_DIR / "template.db"


def postgres_url() -> str:
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{PG_TEST_DB}"


def prepare_postgres() -> str | None:
    """Create the test database if needed; the reason it cannot be used, or None."""
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_TEST_DB}"')
            conn.execute(f'CREATE DATABASE "{PG_TEST_DB}"')
    except psycopg.OperationalError as error:
        return f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {error}".strip()
    return None


def configure() -> str | None:
    """Point the server at the test database; return why it is unusable, or None."""
    os.environ["SUICHA_DATA_DIR"] = str(WORK_DIR / "data")
    os.environ["PICCOLO_CONF"] = "server.piccolo_conf"
    if ENGINE == "postgres":
        os.environ["SUICHA_DATABASE_URL"] = postgres_url()
        return prepare_postgres()
    os.environ["SUICHA_DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    return None


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API.

    Copying the file (after a checkpoint) loses whatever another connection
    still holds in the WAL and leaves a stale `-shm` behind; the backup API
    copies a committed snapshot and writes through the target's own journal.
    """
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def save_sqlite_template() -> None:
    _copy_sqlite(SQLITE_FILE, SQLITE_TEMPLATE)


def restore_sqlite_template() -> None:
    _copy_sqlite(SQLITE_TEMPLATE, SQLITE_FILE)


def truncate_postgres() -> None:
    import psycopg

    with psycopg.connect(postgres_url(), autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'migration'"
            )
        ]
        if tables:
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


def drop_postgres() -> None:
    """Drop this run's database (closing its other connections first)."""
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_TEST_DB}" WITH (FORCE)')
    except psycopg.Error:
        pass  # the run is over; a left-over database is harmless and named by its pid
