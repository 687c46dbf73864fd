"""The per-task files of an archive that come from field, review and publication records.

Each section builds one file of `tasks/<id>/` and names the audit subjects it
covers. The printed 现场检查笔录 is made once per content and kept in the data
folder (`printed/`), since printing a Chinese PDF costs far more than copying it
and the same visit record always prints the same way.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from server.field.storage import attachment_storage
from server.records import queries
from server.records.inspection_form import (
    InspectionSheet,
    ItemLine,
    SignatureImage,
    inspection_record_pdf,
)
from server.records.printing import printed_once
from shared.canonical import canonical_json

__all__ = ["TASK_SECTIONS", "TaskSection", "inspection_sheet", "printed_inspection_record"]

_FORM_VERSION = "inspection-record/1"
"""Part of the cache key: a change of the printed layout prints every record anew."""

Subjects = dict[str, list[str]]


@dataclass(frozen=True)
class TaskSection:
    """A file in each task's folder, built for many tasks at once.

    `build(task_ids)` → task id → (the file's bytes, the audit subjects it covers);
    a task without such a record is left out.
    """

    name: str
    build: Callable[[Sequence[int]], Awaitable[dict[int, tuple[bytes, Subjects]]]]


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode()


async def inspection_sheet(task_id: int) -> InspectionSheet | None:
    """What the printed record shows, or None when nothing was recorded for the task yet."""
    facts = await queries.task_sheet_facts(task_id)
    if facts is None:
        return None
    visits = await queries.visit_versions([task_id])
    results = await queries.current_results(task_id)
    if not visits and not results:
        return None
    visit = visits[-1]["body"] if visits else None
    signatures: list[SignatureImage] = []
    storage = attachment_storage()
    for signature in (visit or {}).get("signatures") or []:
        png = (
            await storage.read(signature["sha256"])
            if await storage.exists(signature["sha256"])
            else None
        )
        signatures.append(
            SignatureImage(
                role=signature.get("role", ""),
                name=signature.get("name", ""),
                badge=signature.get("badge"),
                signed_at=str(signature.get("signed_at", "")),
                png=png,
            )
        )
    team = await queries.active_team(task_id)
    return InspectionSheet(
        issuer=facts["issuer"] or "",
        task_code=f"{facts['draw_id']}-{task_id}",
        plan_code=facts["plan_code"],
        plan_name=facts["plan_name"],
        business_name=facts["business_name"],
        credit_code=facts["credit_code"],
        address=facts["address"],
        team=[(m["department_name"], m["name"], m["badge_no"]) for m in team],
        visit=visit,
        items=[
            ItemLine(
                item_name=r["item_name"],
                department=r["department_name"],
                category=" ".join(
                    x for x in (r["body"].get("category"), r["body"].get("category_wording")) if x
                ),
                findings=r["body"].get("findings", ""),
                follow_up=r["body"].get("follow_up", "") or "",
                inspector=r["inspector_name"],
            )
            for r in results
        ],
        signatures=signatures,
        completed_at=facts["completed_at_device"].isoformat()
        if facts["completed_at_device"]
        else None,
    )


def _cache_key(sheet: InspectionSheet) -> str:
    plain = dataclasses.asdict(sheet)
    for signature in plain["signatures"]:
        png = signature.pop("png")
        signature["png"] = hashlib.sha256(png).hexdigest() if png else None
    return hashlib.sha256(f"{_FORM_VERSION}:{canonical_json(plain)}".encode()).hexdigest()


async def printed_inspection_record(task_id: int) -> bytes | None:
    """The 现场检查笔录 PDF of a task (None before anything was recorded)."""
    sheet = await inspection_sheet(task_id)
    if sheet is None:
        return None
    return await asyncio.to_thread(
        printed_once, f"inspection-{_cache_key(sheet)}", lambda: inspection_record_pdf(sheet)
    )


def _grouped(rows: Sequence[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    by_task: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_task.setdefault(row.pop("task"), []).append(row)
    return by_task


async def _printed(task_ids: Sequence[int]) -> dict[int, tuple[bytes, Subjects]]:
    recorded = await queries.tasks_with_results(task_ids)
    recorded |= {row["task"] for row in await queries.visit_versions(task_ids)}
    out: dict[int, tuple[bytes, Subjects]] = {}
    for task_id in sorted(recorded):
        data = await printed_inspection_record(task_id)
        if data is not None:
            out[task_id] = (data, {})
    return out


async def _visits(task_ids: Sequence[int]) -> dict[int, tuple[bytes, Subjects]]:
    out: dict[int, tuple[bytes, Subjects]] = {}
    for task_id, versions in _grouped(await queries.visit_versions(task_ids)).items():
        shas = [s["sha256"] for v in versions for s in v["body"].get("signatures") or []]
        out[task_id] = (
            _json(versions),
            {
                "visit_record": sorted({v["record_uuid"] for v in versions}),
                "attachment": sorted(set(shas)),
            },
        )
    return out


async def _review(task_ids: Sequence[int]) -> dict[int, tuple[bytes, Subjects]]:
    return {
        task_id: (_json(rows), {"item_result": sorted({d["result_uuid"] for d in rows})})
        for task_id, rows in _grouped(await queries.review_decisions(task_ids)).items()
    }


async def _publication(task_ids: Sequence[int]) -> dict[int, tuple[bytes, Subjects]]:
    return {
        task_id: (_json(rows), {"publication": [f"{task_id}/{v['version']}" for v in rows]})
        for task_id, rows in _grouped(await queries.publications_of(task_ids)).items()
    }


TASK_SECTIONS: tuple[TaskSection, ...] = (
    TaskSection("visit.json", _visits),
    TaskSection("inspection-record.pdf", _printed),
    TaskSection("review.json", _review),
    TaskSection("publication.json", _publication),
)
