"""One objection per published version of a task (same SQL on both engines).

A separate migration: Piccolo runs a migration's raw statements before its
tables are created.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-01T02:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one objection per published version"

STATEMENTS = [
    "CREATE UNIQUE INDEX objection_task_version ON objection (task, publication_version)",
]


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="inspection_codes", description=DESCRIPTION
    )

    async def run():
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
