"""Request and response types of the records endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

Ids = Annotated[
    list[Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]],
    msgspec.Meta(min_length=1, max_length=1000),
]


class ProposeOut(msgspec.Struct):
    year: int
    businesses: int
    """Businesses with published results in the year."""
    proposals: int


class ProposalOut(msgspec.Struct):
    id: int
    year: int
    credit_code: str
    current_class: str
    proposed_class: str
    points: int
    reasons: list[str]
    abnormal_candidate: bool
    status: str
    created_at: datetime
    decided_at: datetime | None
    decided_by: str
    note: str


class ApplyIn(msgspec.Struct, forbid_unknown_fields=True):
    ids: Ids
    mark_abnormal: bool = False
    """Also put abnormal-list candidates on 经营异常名录."""


class DismissIn(msgspec.Struct, forbid_unknown_fields=True):
    ids: Ids
    note: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class DecidedOut(msgspec.Struct):
    decided: int


def proposal_out(row: dict) -> ProposalOut:
    return ProposalOut(
        id=row["id"],
        year=row["year"],
        credit_code=row["credit_code"],
        current_class=row["current_class"],
        proposed_class=row["proposed_class"],
        points=row["points"],
        reasons=list(row["reasons"] or []),
        abnormal_candidate=row["abnormal_candidate"],
        status=row["status"],
        created_at=row["created_at"],
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
        note=row["note"],
    )
