"""Response bodies of the audit API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class AuditEntryOut(msgspec.Struct):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    change: Any
    prev_hash: str
    entry_hash: str


class ChainBreakOut(msgspec.Struct):
    entry_id: int
    reason: str


class VerifyResult(msgspec.Struct):
    intact: bool
    entries: int
    head_hash: str
    """Hash of the last entry (the genesis hash when the log is empty)."""
    breaks: list[ChainBreakOut]
