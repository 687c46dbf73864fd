"""Request bodies of the draw ceremony (responses are the published §6 record)."""

from __future__ import annotations

import msgspec


class WitnessIn(msgspec.Struct, forbid_unknown_fields=True):
    witness_input: str
    """Any non-empty text the observer types after the commitment is published."""


class AmendmentIn(msgspec.Struct, forbid_unknown_fields=True):
    object_id: str
    """Credit code of the drawn object whose team changes."""
    department: str
    removed: str
    """Badge number of the inspector taken off."""
    reason: str
    conflict: bool = False
    """True for a late declared conflict of interest (回避), published with the amendment."""


class AmendmentOut(msgspec.Struct):
    object_id: str
    department: str
    removed: str
    replacement: str | None
    reason: str
    at: str
    conflicts: list[dict[str, str]]
