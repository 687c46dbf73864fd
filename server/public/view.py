"""What the public sees: draw summaries, the record with its verification, plans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from server.draws import service as draws
from server.draws.eligibility import explain
from server.plans import service as plans
from server.public import queries
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


async def plan_page_view(row: Mapping[str, Any], departments: Mapping[str, str]) -> dict[str, Any]:
    """A plan as the public pages show it: its view plus the lead department's name."""
    plan = await plans.plan_view(row)
    lead = plan.get("lead_department")
    return {**plan, "lead_department_name": departments.get(lead, lead) if lead else None}


def named_objects(record: Mapping[str, Any]) -> set[str]:
    """Every credit code a draw page lists by name: drawn, assigned, excluded, amended."""
    codes: set[str] = set()
    for selected in (record.get("selected") or {}).values():
        codes.update(selected)
    for key in ("assignments", "current_assignments", "amendments"):
        codes.update(entry["object_id"] for entry in record.get(key) or [])
    codes.update(entry["id"] for entry in record.get("exclusions") or [])
    return codes


async def draw_page(public_id: str) -> dict[str, Any]:
    record = await draws.published(public_id)
    departments = await queries.department_names()
    plan_row = await queries.published_plan(record["plan_id"])
    plan = await plan_page_view(plan_row, departments) if plan_row else None
    return {
        "record": record,
        "record_data": draws.without_status(record),
        "plan": plan,
        "department_names": departments,
        "object_names": await queries.object_names(named_objects(record)),
        "exclusions": [
            {"id": e["id"], "reason": e["reason"], "text": explain(e["reason"])[1]}
            for e in record["exclusions"]
        ],
        "verification": verification(record),
    }
