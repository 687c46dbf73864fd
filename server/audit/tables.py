"""The audit log table. Rows are only ever inserted (`server.audit.log`)."""

from __future__ import annotations

from piccolo.columns import Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table):
    """One change: who, what, when, the change itself and the previous entry's hash."""

    at = Timestamptz()
    actor = Varchar(length=64)
    action = Varchar(length=64, index=True)
    entity = Varchar(length=64)
    entity_id = Varchar(length=128, default="")
    change = Text(default="{}")
    """Canonical JSON of the change."""
    prev_hash = Varchar(length=64)
    entry_hash = Varchar(length=64, unique=True)
