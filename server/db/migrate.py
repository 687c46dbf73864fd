"""Run every Piccolo migration forwards (the only way tables are created)."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards

from shared.errors import SuichaError, define

MIGRATION_FAILED = define(
    "database.migration_failed",
    500,
    "数据库迁移失败：{message}",
    "Database migration failed: {message}",
)


async def migrate(*, quiet: bool = True) -> None:
    output = io.StringIO()
    with contextlib.redirect_stdout(output) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="all")
    if not result.success:
        raise SuichaError(MIGRATION_FAILED, message=result.message or output.getvalue()[-500:])
