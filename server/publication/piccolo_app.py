"""Piccolo app registration for `server.publication`."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="publication",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["server.publication.tables"], exclude_imported=True),
    migration_dependencies=["server.tasks.piccolo_app", "server.rosters.piccolo_app"],
    commands=[],
)
