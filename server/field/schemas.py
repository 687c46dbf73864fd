"""Answers of the review endpoints that the field app never sees (the sync bodies are in
`shared.sync.protocol`)."""

from __future__ import annotations

from datetime import datetime

import msgspec


class ResolutionAck(msgspec.Struct):
    id: int
    status: str
    keep: str
    resolved_at: datetime
    version: int | None
    """The new current version when the client's version was kept, else None."""
