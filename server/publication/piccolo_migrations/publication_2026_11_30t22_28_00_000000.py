"""Publications are immutable; one version number per task; the portal's search index.

- `publication` and `review_decision` refuse UPDATE and DELETE (like the audit log).
- `(task, version)` is unique.
- Search by business name or credit code: an FTS5 trigram index on SQLite
  (kept by triggers), a pg_trgm GIN index on PostgreSQL (substring match works
  for Chinese names; both need three characters).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.postgres import PostgresEngine

from server.publication.tables import Publication

ID = "2026-11-30T22:28:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "immutable publications, unique versions, public search index"

POSTGRES = [
    "CREATE UNIQUE INDEX publication_task_version ON publication (task, version)",
    """
    CREATE OR REPLACE FUNCTION publication_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER publication_append_only BEFORE UPDATE OR DELETE ON publication
    FOR EACH ROW EXECUTE FUNCTION publication_append_only()
    """,
    """
    CREATE TRIGGER review_decision_append_only BEFORE UPDATE OR DELETE ON review_decision
    FOR EACH ROW EXECUTE FUNCTION publication_append_only()
    """,
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX public_entry_name_trgm ON public_entry USING gin (name gin_trgm_ops)",
    "CREATE INDEX public_entry_published ON public_entry (published_on DESC, id DESC)",
]

SQLITE = [
    "CREATE UNIQUE INDEX publication_task_version ON publication (task, version)",
    """
    CREATE TRIGGER publication_no_update BEFORE UPDATE ON publication
    BEGIN SELECT RAISE(ABORT, 'publication is append-only'); END
    """,
    """
    CREATE TRIGGER publication_no_delete BEFORE DELETE ON publication
    BEGIN SELECT RAISE(ABORT, 'publication is append-only'); END
    """,
    """
    CREATE TRIGGER review_decision_no_update BEFORE UPDATE ON review_decision
    BEGIN SELECT RAISE(ABORT, 'review_decision is append-only'); END
    """,
    """
    CREATE TRIGGER review_decision_no_delete BEFORE DELETE ON review_decision
    BEGIN SELECT RAISE(ABORT, 'review_decision is append-only'); END
    """,
    """
    CREATE VIRTUAL TABLE public_entry_fts USING fts5(
        name, content='public_entry', content_rowid='id', tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER public_entry_fts_insert AFTER INSERT ON public_entry
    BEGIN INSERT INTO public_entry_fts (rowid, name) VALUES (new.id, new.name); END
    """,
    """
    CREATE TRIGGER public_entry_fts_delete AFTER DELETE ON public_entry
    BEGIN
        INSERT INTO public_entry_fts (public_entry_fts, rowid, name)
        VALUES ('delete', old.id, old.name);
    END
    """,
    "CREATE INDEX public_entry_published ON public_entry (published_on DESC, id DESC)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="publication", description=DESCRIPTION)

    async def run():
        engine = Publication._meta.db
        for statement in POSTGRES if isinstance(engine, PostgresEngine) else SQLITE:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
