"""Request and response bodies of the rosters API.

Create bodies are typed; updates (PATCH) take a JSON object of the fields to
change, validated by the same rules as an import row (`service.validate_record`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class DepartmentIn(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    name: str
    level: str = "city"
    """national / province / city / county / station."""
    region: str = ""
    parent: str | None = None
    """Code of the parent department."""


class DepartmentOut(msgspec.Struct):
    id: int
    code: str
    name: str
    level: str
    region: str
    parent: str | None


class RiskClassIn(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    name: str
    rank: int = 0


class RiskClassOut(msgspec.Struct):
    code: str
    name: str
    rank: int


class ItemIn(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    department: str
    name: str
    legal_basis: str = ""
    object_type: str = "entity"
    kind: str = "general"
    ratio_cap: str | None = None
    """Decimal string ('0.05') or percentage ('5%'); general items only."""
    methods: list[str] = msgspec.field(default_factory=list)
    required_qualifications: list[str] = msgspec.field(default_factory=list)
    checklist: list[dict[str, Any]] = msgspec.field(default_factory=list)
    active: bool = True


class ItemOut(msgspec.Struct):
    code: str
    department: str
    name: str
    legal_basis: str
    object_type: str
    kind: str
    ratio_cap: str | None
    methods: list[str]
    required_qualifications: list[str]
    checklist: list[dict[str, Any]]
    active: bool


class Conflict(msgspec.Struct):
    object: str
    """Credit code of the object the inspector must not inspect."""
    reason: str = ""


class InspectorIn(msgspec.Struct, forbid_unknown_fields=True):
    badge_no: str
    name: str
    department: str
    qualifications: list[str] = msgspec.field(default_factory=list)
    expertise: list[str] = msgspec.field(default_factory=list)
    status: str = "active"
    is_expert: bool = False
    station_region: str = ""
    conflicts: list[Conflict] = msgspec.field(default_factory=list)


class InspectorOut(msgspec.Struct):
    badge_no: str
    name: str
    department: str
    qualifications: list[str]
    expertise: list[str]
    status: str
    is_expert: bool
    station_region: str
    conflicts: list[Conflict]


class ObjectIn(msgspec.Struct, forbid_unknown_fields=True):
    credit_code: str
    name: str
    risk_class: str
    kind: str = "enterprise"
    industry_code: str = ""
    licences: list[str] = msgspec.field(default_factory=list)
    region: str = ""
    address: str = ""
    status: str = "active"
    abnormal: bool = False
    complaints: int = 0
    tags: list[str] = msgspec.field(default_factory=list)


class ObjectOut(msgspec.Struct):
    credit_code: str
    name: str
    kind: str
    industry_code: str
    licences: list[str]
    region: str
    address: str
    risk_class: str
    status: str
    abnormal: bool
    complaints: int
    tags: list[str]
    updated_at: datetime


class ImportResult(msgspec.Struct):
    import_id: int
    kind: str
    file_sha256: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    changes_digest: str


class ImportOut(msgspec.Struct):
    id: int
    at: datetime
    actor: str
    kind: str
    file_format: str
    file_name: str
    file_sha256: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    changes_digest: str


class ChangeOut(msgspec.Struct):
    kind: str
    key: str
    action: str
    fields: dict[str, Any]
