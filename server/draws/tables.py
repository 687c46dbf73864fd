"""Piccolo tables of draws. Queries over them live in `server.draws.queries`."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Text, Timestamptz, Varchar
from piccolo.table import Table

from server.plans.tables import Plan


class Draw(Table):
    """One draw ceremony of a plan: commitment, witness, reveal, sealed record."""

    public_id = Varchar(length=64, unique=True, index=True)
    plan = ForeignKey(Plan, index=True)
    status = Varchar(length=16, default="scheduled")
    """scheduled → witnessed → drawn → sealed."""
    commitment = Varchar(length=64)
    server_secret = Varchar(length=64)
    """Hex; private until revealed after the draw."""
    witness_input = Text(null=True, default=None)
    record = Text(null=True, default=None)
    """The published record (spec §6), canonical JSON, once drawn."""
    record_hash = Varchar(length=64, null=True, default=None)
    scheduled_at = Timestamptz()
    drawn_at = Timestamptz(null=True, default=None)
    sealed_at = Timestamptz(null=True, default=None)
