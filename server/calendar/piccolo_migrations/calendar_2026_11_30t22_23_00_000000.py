"""Seed the calendar with the official days of 2004–2026 (from chinesecalendar) and the default rule.

Run once; afterwards the table is the only source: deadlines never call the
library, and admins add later years as the State Council announces them.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from server.calendar.seed import seed_calendar

ID = "2026-11-30T22:23:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "seed official holidays 2004-2026 and the default deadline rule"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="calendar", description=DESCRIPTION)
    manager.add_raw(seed_calendar)
    return manager
