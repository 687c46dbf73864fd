"""Piccolo tables of draws. Queries over them live in `server.draws.queries`."""

from __future__ import annotations

from piccolo.columns import JSON, ForeignKey, Integer, Text, Timestamptz, Varchar
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
    inputs = Text(default="{}")
    """The draw's inputs fixed at scheduling, canonical JSON: strata, exclusions,
    departments (pools), conflicts, population digest. Published with the commitment."""
    population_digest = Varchar(length=64, default="")
    witness = Varchar(length=100, default="")
    """The observer's name as published."""
    witness_user = Varchar(length=64, default="")
    signatures = JSON(default=[])
    witnessed_at = Timestamptz(null=True, default=None)
    scheduled_by = Varchar(length=64, default="")
    drawn_by = Varchar(length=64, default="")


class DrawAmendment(Table):
    """A replacement after the sealed draw (late 回避, illness), stored beside the sealed record."""

    draw = ForeignKey(Draw, index=True)
    seq = Integer()
    entry = Text()
    """The amendment as appended by `shared.draw.amend`, canonical JSON."""
    actor = Varchar(length=64)
    at = Timestamptz()
