"""Queries behind the plan builder's live parts (the scope count per risk class)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from piccolo.query.functions.aggregate import Count

from server.draws.eligibility import DEREGISTERED, REVOKED
from server.rosters.queries import sub_roster_conditions
from server.rosters.tables import InspectionObject


async def scope_counts(scope: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Objects of the scope's sub-roster (子名录) still registered, counted per risk class.

    One grouped count over the indexed narrowing a draw uses
    (`sub_roster_conditions`); deregistered and revoked objects are left out as
    the draw leaves them out. Exclusions known only at the draw (inspected
    recently, drawn by another plan) are not subtracted: the page says so.
    """
    rows = (
        await InspectionObject.select(InspectionObject.risk_class, Count(alias="n"))
        .where(
            *sub_roster_conditions(scope),
            InspectionObject.status.not_in([DEREGISTERED, REVOKED]),
        )
        .group_by(InspectionObject.risk_class)
    )
    return {row["risk_class"]: int(row["n"]) for row in rows}
