"""What the public sees: draw summaries, the record with its verification, plans."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from server.draws import service as draws
from server.draws.eligibility import explain
from server.plans import service as plans
from server.public import queries
from shared.canonical import canonical_json
from shared.draw import verify_record


def draw_summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "draw_id": row["public_id"],
        "plan_id": row["plan_code"],
        "plan_name": row["plan_name"],
        "status": row["status"],
        "commitment": row["commitment"],
        "population_digest": row["population_digest"],
        "scheduled_at": row["scheduled_at"],
        "drawn_at": row["drawn_at"],
        "record_hash": row["record_hash"],
    }


def verification(record: dict[str, Any]) -> dict[str, Any]:
    """Re-run the draw from the published record (shared.draw.verify_record)."""
    if record.get("server_secret") is None:
        return {"state": "pending", "discrepancies": []}
    found = [asdict(d) for d in verify_record(draws.without_status(record))]
    intact = record.get("seal_intact") is not False
    return {
        "state": "ok" if not found and intact else "failed",
        "discrepancies": found,
        "seal_intact": intact,
    }


async def draw_page(public_id: str) -> dict[str, Any]:
    record = await draws.published(public_id)
    plan_row = await queries.published_plan(record["plan_id"])
    plan = await plans.plan_view(plan_row) if plan_row else None
    return {
        "record": record,
        # "</" would end the <script> element the JSON is embedded in.
        "record_json": canonical_json(draws.without_status(record)).replace("</", "<\\/"),
        "plan": plan,
        "exclusions": [
            {"id": e["id"], "reason": e["reason"], "text": explain(e["reason"])[1]}
            for e in record["exclusions"]
        ],
        "verification": verification(record),
    }
