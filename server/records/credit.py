"""Credit feedback (信用风险分类动态更新): propose class changes for a year, and apply them.

`propose(year)` runs the rule of `shared.credit_feedback` over every business's
published results of the year and stores what it proposes; earlier open
proposals of that year are superseded. `apply` writes the chosen proposals to
the object roster, each with an audit entry, so the next plan's strata use the
new classes; `dismiss` keeps a reason. Nothing changes a class silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.records import queries
from server.records.errors import PROPOSAL_NOT_OPEN, PROPOSAL_UNKNOWN
from server.rosters.service import risk_class_codes
from server.settings import credit_weights
from shared.credit_feedback import PublishedFinding, propose_class
from shared.errors import SuichaError

__all__ = ["apply", "dismiss", "propose"]


def _findings(records: Sequence[dict[str, Any]]) -> dict[str, list[PublishedFinding]]:
    by_business: dict[str, list[PublishedFinding]] = {}
    for row in records:
        record = row["record"] or {}
        for item in record.get("items") or []:
            code = item.get("result_code")
            if code:
                by_business.setdefault(row["credit_code"], []).append(
                    PublishedFinding(task=str(row["task"]), category=str(code))
                )
    return by_business


async def propose(principal: Principal, year: int) -> dict[str, int]:
    """Run the rule over the year's published results; store and count the proposals."""
    classes = await risk_class_codes()
    weights = credit_weights()
    findings = _findings(await queries.published_findings(year))
    objects = await queries.objects_for_codes(sorted(findings))
    now = datetime.now(UTC)
    rows = []
    for credit_code, found in sorted(findings.items()):
        business = objects.get(credit_code)
        if business is None or business["risk_class"] not in classes:
            continue
        proposal = propose_class(business["risk_class"], found, classes, weights)
        if not proposal.changes and not proposal.abnormal_candidate:
            continue
        rows.append(
            {
                "year": year,
                "object": business["id"],
                "credit_code": credit_code,
                "current_class": proposal.current,
                "proposed_class": proposal.proposed,
                "points": proposal.points,
                "reasons": list(proposal.reasons),
                "abnormal_candidate": proposal.abnormal_candidate,
                "status": "proposed",
                "created_at": now,
            }
        )
    async with write_transaction():
        await queries.supersede_open_proposals(year)
        await queries.insert_proposals(rows)
        await audit(
            actor=principal.username,
            action="credit.propose",
            entity="credit_year",
            entity_id=str(year),
            change={"businesses": len(findings), "proposals": len(rows)},
        )
    return {"businesses": len(findings), "proposals": len(rows)}


async def _open(ids: Sequence[int]) -> list[dict[str, Any]]:
    found = await queries.proposals_by_id(ids)
    known = {row["id"] for row in found}
    missing = [i for i in ids if i not in known]
    if missing:
        raise SuichaError(PROPOSAL_UNKNOWN, id=missing[0])
    closed = [row["id"] for row in found if row["status"] != "proposed"]
    if closed:
        raise SuichaError(PROPOSAL_NOT_OPEN, id=closed[0])
    return found


async def apply(principal: Principal, ids: Sequence[int], *, mark_abnormal: bool = False) -> int:
    """Write the chosen proposals to the roster (and, if asked, the abnormal-list flag)."""
    now = datetime.now(UTC)
    async with write_transaction():
        chosen = await _open(ids)
        for row in chosen:
            abnormal = True if (mark_abnormal and row["abnormal_candidate"]) else None
            await queries.set_object_class(row["object"], row["proposed_class"], abnormal)
            await queries.decide_proposal(
                row["id"],
                {"status": "applied", "decided_at": now, "decided_by": principal.username},
            )
            await audit(
                actor=principal.username,
                action="credit.apply",
                entity="inspection_object",
                entity_id=row["credit_code"],
                change={
                    "risk_class": [row["current_class"], row["proposed_class"]],
                    "abnormal": abnormal,
                    "year": row["year"],
                    "points": row["points"],
                    "reasons": row["reasons"],
                },
            )
    return len(chosen)


async def dismiss(principal: Principal, ids: Sequence[int], note: str) -> int:
    now = datetime.now(UTC)
    async with write_transaction():
        chosen = await _open(ids)
        for row in chosen:
            await queries.decide_proposal(
                row["id"],
                {
                    "status": "dismissed",
                    "decided_at": now,
                    "decided_by": principal.username,
                    "note": note,
                },
            )
            await audit(
                actor=principal.username,
                action="credit.dismiss",
                entity="inspection_object",
                entity_id=row["credit_code"],
                change={"proposal": row["id"], "note": note},
            )
    return len(chosen)
