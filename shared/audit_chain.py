"""The audit chain's hash rule, shared by the server and by offline checks.

An entry's hash covers its content and the previous entry's hash
(`prev_hash`), so changing, removing or reordering an entry breaks every later
link. The server appends (`server.audit.log`); an archive's audit excerpt is
re-checked with the same rule, without a database (`shared.archive`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from shared.canonical import canonical_json, sha256_hex

__all__ = ["GENESIS_HASH", "HASHED_FIELDS", "entry_hash", "excerpt_breaks"]

GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("prev_hash", "at", "actor", "action", "entity", "entity_id", "change")
"""The fields of an entry its hash covers (`change` is its canonical JSON text)."""


def _instant(value: datetime | str) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).isoformat()


def entry_hash(entry: Mapping[str, Any]) -> str:
    """The hash of an entry (a stored row, one about to be stored, or one read from JSON)."""
    body = canonical_json(
        {
            "prev": entry["prev_hash"],
            "at": _instant(entry["at"]),
            "actor": entry["actor"],
            "action": entry["action"],
            "entity": entry["entity"],
            "entity_id": entry["entity_id"],
            "change": entry["change"],
        }
    )
    return sha256_hex(body)


def excerpt_breaks(entries: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
    """Where an excerpt of the chain does not hold: (entry id, reason in Chinese).

    Each entry must hash to its `entry_hash`; entries whose ids follow each other
    must link (`prev_hash` = the previous entry's hash); ids must increase.
    """
    breaks: list[tuple[int, str]] = []
    previous: Mapping[str, Any] | None = None
    for entry in entries:
        entry_id = int(entry["id"])
        if entry_hash(entry) != entry["entry_hash"]:
            breaks.append((entry_id, "内容与其哈希不符"))
        if previous is not None:
            if entry_id <= int(previous["id"]):
                breaks.append((entry_id, "条目顺序错乱"))
            elif entry_id == int(previous["id"]) + 1 and (
                entry["prev_hash"] != previous["entry_hash"]
            ):
                breaks.append((entry_id, "与前一条目的哈希链接不符"))
        previous = entry
    return breaks
