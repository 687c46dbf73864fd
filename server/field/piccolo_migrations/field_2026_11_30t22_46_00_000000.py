"""Uniqueness of template versions and visit record versions (same SQL on both engines).

- `item_template`: one row per (item, version) and per (item, content hash), so
  two servers registering the same new template concurrently cannot give it
  two numbers;
- `visit_version`: one row per (record, version).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-30T22:46:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique template versions and visit record versions"

STATEMENTS = [
    "CREATE UNIQUE INDEX item_template_item_version ON item_template (item, version)",
    "CREATE UNIQUE INDEX item_template_item_hash ON item_template (item, checklist_hash)",
    "CREATE UNIQUE INDEX visit_version_record_version ON visit_version (record_uuid, version)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="field", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
