"""Build a Piccolo engine from a database URL."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from shared.errors import CONFIG_DATABASE_URL, SuichaError


def sqlite_path(url: str) -> Path:
    """The file of a `sqlite:///path` URL (relative paths are relative to the cwd)."""
    return Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def engine_from_url(url: str, *, busy_timeout: float = 30.0) -> Engine:
    if is_sqlite(url):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers work while one writer commits; it is a property of
        # the file, so setting it once here covers every later connection.
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
        return SQLiteEngine(path=str(path), timeout=busy_timeout)
    scheme = urlparse(url).scheme
    if scheme in {"postgresql", "postgres"}:
        return PostgresEngine(config={"dsn": url})
    raise SuichaError(CONFIG_DATABASE_URL, url=url)
