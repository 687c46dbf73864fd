"""Piccolo configuration: the engine from the database URL, and every app.

`PICCOLO_CONF=server.piccolo_conf` (set by `server/__init__.py`).
"""

from piccolo.conf.apps import AppRegistry

from server.db.engine import engine_from_url
from server.settings import get_settings

_settings = get_settings().database
DB = engine_from_url(_settings.url, busy_timeout=_settings.sqlite_busy_timeout)

APP_REGISTRY = AppRegistry(
    apps=[
        "server.rosters.piccolo_app",
        "server.accounts.piccolo_app",
        "server.audit.piccolo_app",
        "server.security.piccolo_app",
        "server.plans.piccolo_app",
        "server.draws.piccolo_app",
        "server.tasks.piccolo_app",
        "server.field.piccolo_app",
        "server.records.piccolo_app",
        "server.categories.piccolo_app",
        "server.calendar.piccolo_app",
        "server.publication.piccolo_app",
        "server.notifications.piccolo_app",
        "server.inspection_codes.piccolo_app",
        "server.records.reports.piccolo_app",
    ]
)
