"""Piccolo app registration for `server.inspection_codes`."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="inspection_codes",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["server.inspection_codes.tables"], exclude_imported=True),
    migration_dependencies=["server.tasks.piccolo_app"],
    commands=[],
)
