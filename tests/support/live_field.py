"""A live field-sync server for end-to-end tests: the test database, a server process,
and what the server holds, read back through the server's own tables and storage.

The database is prepared once for a test module (migrated and emptied, like
the `db` fixture does per test), filled in the test process, then served by a
`ServerProcess` with its own attachment folder.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests import dbsetup
from tests.support.live_server import ServerProcess


async def fresh_database() -> None:
    """The test database, migrated and empty (module-scoped twin of the `db` fixture)."""
    from tests import conftest

    await conftest._migrate_once()
    if dbsetup.ENGINE == "sqlite":
        dbsetup.restore_sqlite_template()
    else:
        await asyncio.to_thread(dbsetup.truncate_postgres)
        # Reference data the migrations seed (SQLite keeps it in its template).
        from server.calendar.seed import seed_calendar

        await seed_calendar()


def field_server(work_dir: Path) -> ServerProcess:
    """A server on the test database whose photos go to `work_dir/attachments`."""
    return ServerProcess(
        env={
            "SUICHA_DATA_DIR": str(work_dir / "server-data"),
            "SUICHA_ATTACHMENT_DIR": str(work_dir / "attachments"),
            "SUICHA_ATTACHMENT_BACKEND": "filesystem",
        }
    )


@dataclass(frozen=True)
class ServerHoldings:
    """What the server holds for a set of result ids and photo hashes."""

    heads: dict[str, int]
    """result id → current version (one head row per result id, or the count is off)."""
    head_rows: Counter[str]
    accepted_versions: Counter[str]
    """result id → number of accepted versions stored."""
    conflicts: int
    attachments: Counter[str]
    photo_hashes: dict[str, str]
    """sha256 → SHA-256 of the bytes the server's storage returns."""
    submissions: int
    current_bodies: dict[str, dict[str, Any]]
    """result id → the body of its current (head) version."""


def server_holds_photo_now(sha256: str) -> bool:
    """Whether the server's database has the complete photo, read synchronously
    (usable from inside a callback of the engine, at the moment it is called)."""
    url = os.environ["SUICHA_DATABASE_URL"]
    sql = "SELECT COUNT(*) FROM attachment WHERE sha256 = {}"
    if dbsetup.ENGINE == "sqlite":
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)) as conn:
            return conn.execute(sql.format("?"), (sha256,)).fetchone()[0] == 1
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(sql.format("%s"), (sha256,)).fetchone()
        return row is not None and row[0] == 1


async def holdings(
    result_ids: list[str], shas: list[str], task_id: int, attachment_dir: Path
) -> ServerHoldings:
    from server.field.storage import build_storage
    from server.field.tables import (
        Attachment,
        ItemResult,
        ResultConflict,
        ResultVersion,
        TaskSubmission,
    )
    from server.settings import AttachmentSettings

    heads = await ItemResult.select(ItemResult.result_uuid, ItemResult.version).where(
        ItemResult.result_uuid.is_in(result_ids)
    )
    versions = await ResultVersion.select(
        ResultVersion.result_uuid, ResultVersion.version, ResultVersion.body
    ).where(
        ResultVersion.result_uuid.is_in(result_ids) & (ResultVersion.accepted == True)  # noqa: E712
    )
    head_version = {r["result_uuid"]: r["version"] for r in heads}
    current_bodies = {}
    for row in versions:
        if head_version.get(row["result_uuid"]) == row["version"]:
            body = row["body"]
            current_bodies[row["result_uuid"]] = json.loads(body) if isinstance(body, str) else body
    conflicts = await ResultConflict.count().where(ResultConflict.task == task_id)
    attachments = await Attachment.select(Attachment.sha256).where(Attachment.sha256.is_in(shas))
    storage = build_storage(AttachmentSettings(directory=attachment_dir))
    photo_hashes = {}
    for sha in shas:
        if await storage.exists(sha):
            photo_hashes[sha] = hashlib.sha256(await storage.read(sha)).hexdigest()
    submissions = await TaskSubmission.count().where(TaskSubmission.task == task_id)
    return ServerHoldings(
        heads={r["result_uuid"]: r["version"] for r in heads},
        head_rows=Counter(r["result_uuid"] for r in heads),
        accepted_versions=Counter(r["result_uuid"] for r in versions),
        conflicts=conflicts,
        attachments=Counter(r["sha256"] for r in attachments),
        photo_hashes=photo_hashes,
        submissions=submissions,
        current_bodies=current_bodies,
    )
