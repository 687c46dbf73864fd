"""Piccolo app registration for `server.notifications`."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="notifications",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["server.notifications.tables"], exclude_imported=True),
    migration_dependencies=["server.accounts.piccolo_app"],
    commands=[],
)
