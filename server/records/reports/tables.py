"""Piccolo tables of stored reports. Queries over them live in `server.records.reports.queries`."""

from __future__ import annotations

from piccolo.columns import Bytea, Integer, Timestamptz, Varchar
from piccolo.table import Table


class Report(Table):
    """One generated report file (报表), kept as generated: a later run is a new row."""

    kind = Varchar(length=16, index=True)
    """monthly / quarterly / half_year / year."""
    period = Varchar(length=16, index=True)
    """2026-11, 2026-Q4, 2026-H1 or 2026."""
    department = Varchar(length=32, default="")
    """The department code, or empty for the combined report (汇总)."""
    generated_at = Timestamptz()
    generated_by = Varchar(length=64)
    """A username, or `scheduler` for the monthly job."""
    sha256 = Varchar(length=64)
    size = Integer()
    content = Bytea()
    """The XLSX bytes: small (tens of KB), and stored in the same transaction as the row."""
