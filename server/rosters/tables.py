"""Piccolo tables of the rosters. Queries over them live in `server.rosters.queries`."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class Department(Table):
    """A department (部门) of the joint meeting, e.g. 市场监管局 (SCJG)."""

    code = Varchar(length=32, unique=True, index=True)
    name = Varchar(length=200)
    level = Varchar(length=16, default="city")
    """national / province / city / county / station."""
    region = Varchar(length=12, default="")
    """Administrative division code (GB/T 2260) of its jurisdiction."""
    parent = ForeignKey("self", null=True)


class RiskClass(Table):
    """A credit-risk class (信用风险分类), configurable: A/B/C/D by default."""

    code = Varchar(length=16, unique=True)
    name = Varchar(length=100)
    rank = Integer(default=0)
    """Order from lowest to highest risk."""


class InspectionItem(Table):
    """An item of a department's 随机抽查事项清单."""

    department = ForeignKey(Department, index=True)
    code = Varchar(length=64, unique=True, index=True)
    name = Varchar(length=300)
    legal_basis = Text(default="")
    object_type = Varchar(length=16, default="entity")
    """entity / product / project / behaviour."""
    kind = Varchar(length=8, default="general")
    """key (重点, no ratio cap) or general (一般, ratio capped)."""
    ratio_cap = Varchar(length=16, null=True, default=None)
    """Highest ratio a plan may use for a general item: a decimal string."""
    methods = JSON(default=[])
    required_qualifications = JSON(default=[])
    checklist = JSON(default=[])
    """The checklist template: a list of typed questions (`shared.checklist`)."""
    active = Boolean(default=True)


class Inspector(Table):
    """An officer of the 执法检查人员名录库, identified by badge number."""

    badge_no = Varchar(length=32, unique=True, index=True)
    name = Varchar(length=100)
    department = ForeignKey(Department, index=True)
    qualifications = JSON(default=[])
    expertise = JSON(default=[])
    status = Varchar(length=16, default="active")
    """active / on_leave / left."""
    is_expert = Boolean(default=False)
    station_region = Varchar(length=12, default="")
    """Region code of the inspector's own station, for cross-jurisdiction draws (所所交叉)."""
    conflicts = JSON(default=[])
    """Declared conflicts (回避): [{"object": credit code, "reason": text}]."""


class InspectionObject(Table):
    """A market entity (or product, project, behaviour) of the 检查对象名录库."""

    credit_code = Varchar(length=18, unique=True, index=True)
    name = Varchar(length=300)
    kind = Varchar(length=32, default="enterprise")
    industry_code = Varchar(length=8, default="", index=True)
    licences = Text(default="[]")
    """JSON array of licence kinds held (text, so it filters alike on both engines)."""
    region = Varchar(length=12, default="", index=True)
    address = Varchar(length=300, default="")
    risk_class = Varchar(length=16, default="B", index=True)
    status = Varchar(length=16, default="active", index=True)
    """active (存续) / deregistered (注销) / revoked (吊销)."""
    abnormal = Boolean(default=False)
    """On the list of abnormal operations (经营异常名录)."""
    complaints = Integer(default=0)
    tags = Text(default="[]")
    """JSON array of free tags; each tag names a sub-roster."""
    updated_at = Timestamptz()


class RosterImport(Table):
    """One bulk import of a roster file: who, when, which file, what it did.

    The audit log gets one entry per import (these counts, the file's SHA-256
    and `changes_digest`); the per-row detail lives in `RosterChange`, so a
    million-row import does not write a million audit entries.
    """

    at = Timestamptz()
    actor = Varchar(length=64)
    kind = Varchar(length=16)
    """objects / inspectors / items."""
    file_format = Varchar(length=8)
    """csv / xlsx."""
    file_name = Varchar(length=300, default="")
    file_sha256 = Varchar(length=64)
    rows = Integer(default=0)
    inserted = Integer(default=0)
    updated = Integer(default=0)
    unchanged = Integer(default=0)
    changes_digest = Varchar(length=64)
    """SHA-256 over the change list (`server.rosters.changes.ChangeDigest`)."""


class RosterChange(Table):
    """What one import did to one row: inserted, or which fields changed ([old, new])."""

    roster_import = ForeignKey(RosterImport, index=True)
    kind = Varchar(length=16)
    key = Varchar(length=64, index=True)
    """Credit code, badge number or item code of the row."""
    action = Varchar(length=8)
    """insert / update."""
    fields = Text(default="{}")
    """JSON: {"field": [old, new], …} for an update; {} for an insert (the row is the record)."""
