"""Assemble the one-inspection archive (一次一档) of a task or of a whole plan.

The layout (`shared.archive` writes and checks it):

| path | what |
|---|---|
| `plan.json` | the plan as published, with its recorded amendments |
| `draws/<draw id>.json` | the draw record: the same bytes `/api/v1/public/draws/<id>` serves |
| `draw-record.pdf` | the printed draw record |
| `tasks/<id>/task.json` | the task: business, team (with removals), submissions |
| `tasks/<id>/results.json` | every version of every item result, and its conflicts |
| `tasks/<id>/…` | visit record, printed 笔录, review opinions, publication versions |
| `photos/<sha256>.<ext>` | photos and signatures exactly as received |
| `audit.json` | the audit chain's entries about all of the above |
| `manifest.json` | SHA-256 and size of every file |
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from litestar.serialization import encode_json

from server.draws import service as draws
from server.field.storage import attachment_storage
from server.inspection_codes import queries as code_queries
from server.plans import queries as plan_queries
from server.plans import service as plans
from server.records import queries
from server.records.draw_form import DrawSheet, draw_record_pdf
from server.records.errors import NOT_ARCHIVABLE
from server.records.printing import printed_once
from server.records.sections import TASK_SECTIONS
from shared.archive import AUDIT_FILE, ArchiveWriter
from shared.canonical import canonical_json, sha256_hex
from shared.errors import NOT_FOUND, SuichaError

__all__ = ["draw_sheet", "plan_archive", "printed_draw_record", "task_archive"]

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}


async def draw_sheet(public_id: str) -> DrawSheet:
    """The printed draw record's data: the published record and the names behind its codes."""
    record = await draws.published(public_id)
    plan = await plan_queries.plan_by_code(str(record.get("plan_id", "")))
    departments = await queries.department_names()
    assignments = record.get("current_assignments") or record.get("assignments") or []
    badges = sorted(
        {b for a in assignments for team in a.get("inspectors", {}).values() for b in team}
        | {a.get("replacement") or "" for a in record.get("amendments") or []}
        | {a.get("removed") or "" for a in record.get("amendments") or []}
    )
    return DrawSheet(
        record=record,
        plan_name=plan["name"] if plan else "",
        issuer=departments.get(_lead_code(record, plan), ""),
        department_names=departments,
        business_names=await queries.business_names([a["object_id"] for a in assignments]),
        inspector_names=await queries.inspector_names([b for b in badges if b]),
    )


def _lead_code(record: dict[str, Any], plan: dict[str, Any] | None) -> str:
    if plan and plan.get("lead_code"):
        return str(plan["lead_code"])
    departments = record.get("departments") or []
    return str(departments[0]["code"]) if departments else ""


async def printed_draw_record(public_id: str) -> bytes:
    """The printed draw record, made once per content of the record and kept."""
    sheet = await draw_sheet(public_id)
    key = sha256_hex(canonical_json(dataclasses.asdict(sheet)))
    return await asyncio.to_thread(printed_once, f"draw-{key}", lambda: draw_record_pdf(sheet))


async def _plan_document(plan_id: int) -> dict[str, Any]:
    view = await plans.plan_view_by_id(plan_id)
    return {**view, "amendments": await plan_queries.plan_amendments(plan_id)}


class _Assembly:
    """Collects audit subjects and photo hashes while files are written."""

    def __init__(self, writer: ArchiveWriter) -> None:
        self.writer = writer
        self.subjects: dict[str, set[str]] = {}
        self.photos: set[str] = set()

    def cover(self, entity: str, *ids: object) -> None:
        self.subjects.setdefault(entity, set()).update(str(i) for i in ids)

    async def plan_and_draw(self, plan_id: int, plan_code: str, draw_public_id: str) -> None:
        self.writer.add_json("plan.json", await _plan_document(plan_id))
        self.cover("plan", plan_code)
        record = await draws.published(draw_public_id)
        self.writer.add_bytes(f"draws/{draw_public_id}.json", encode_json(record))
        self.writer.add_bytes("draw-record.pdf", await printed_draw_record(draw_public_id))
        self.cover("draw", draw_public_id)

    async def tasks(
        self, tasks: Sequence[dict[str, Any]], progress: Callable[[int, int], None] | None
    ) -> None:
        task_ids = [task["id"] for task in tasks]
        team = await queries.team_of(task_ids)
        versions = await queries.result_versions(task_ids)
        conflicts = await queries.conflicts_of(task_ids)
        submissions = await queries.submissions_of(task_ids)
        sections = {section.name: await section.build(task_ids) for section in TASK_SECTIONS}
        versions_of, team_of = _by_task(versions), _by_task(team)
        submissions_of, conflicts_of = _by_task(submissions), _by_task(conflicts)
        for done, task in enumerate(tasks, start=1):
            tid = task["id"]
            mine = versions_of.get(tid, [])
            self.writer.add_json(
                f"tasks/{tid}/task.json",
                {
                    **task,
                    "team": team_of.get(tid, []),
                    "submissions": submissions_of.get(tid, []),
                },
            )
            self.writer.add_json(
                f"tasks/{tid}/results.json",
                {
                    "versions": mine,
                    "conflicts": conflicts_of.get(tid, []),
                },
            )
            self.cover("task", tid)
            self.cover("item_result", *{v["result_uuid"] for v in mine})
            self.cover("result_conflict", *(c["id"] for c in conflicts_of.get(tid, [])))
            for version in mine:
                for photo in (version["body"] or {}).get("photos") or []:
                    self.photos.add(photo["sha256"])
            for name, built in sections.items():
                if tid not in built:
                    continue
                data, subjects = built[tid]
                self.writer.add_bytes(f"tasks/{tid}/{name}", data)
                for entity, ids in subjects.items():
                    self.cover(entity, *ids)
                # Signature PNGs go with the photos, byte for byte as received.
                self.photos.update(subjects.get("attachment", []))
            if progress:
                progress(done, len(tasks))

    async def photos_and_audit(self) -> None:
        storage = attachment_storage()
        rows = sorted(await queries.attachments(sorted(self.photos)), key=lambda r: r["sha256"])
        local: list[tuple[str, Path, str]] = []
        for row in rows:
            name = f"photos/{row['sha256']}.{_EXTENSIONS.get(row['media_type'], 'bin')}"
            path = storage.local_path(row["sha256"])
            if path is not None:
                local.append((name, path, row["sha256"]))
            else:
                self.writer.add_bytes(name, await storage.read(row["sha256"]))
            self.cover("attachment", row["sha256"])
        # Files on this disk are streamed in one worker thread: no copy through the event loop.
        await asyncio.to_thread(self._add_files, local)
        excerpt = await queries.audit_excerpt(
            {entity: sorted(ids) for entity, ids in self.subjects.items()}
        )
        self.writer.add_json(AUDIT_FILE, [_audit_row(row) for row in excerpt])

    def _add_files(self, files: Sequence[tuple[str, Path, str]]) -> None:
        for name, path, sha256 in files:
            self.writer.add_file(name, path, sha256=sha256)


def _by_task(rows: Sequence[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["task"], []).append(row)
    return grouped


def _audit_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "at": row["at"].astimezone(UTC).isoformat()}


def _now() -> str:
    return datetime.now(UTC).isoformat()


async def task_archive(task_id: int, target: str | Path | IO[bytes]) -> dict[str, Any]:
    """Write the archive of one task (its plan, draw, results, photos) to `target`."""
    task = await queries.task_by_id(task_id)
    if task is None:
        raise SuichaError(NOT_FOUND, what=f"任务{task_id}", what_en=f"Task {task_id}")
    writer = ArchiveWriter(target, kind="task", subject=str(task_id))
    assembly = _Assembly(writer)
    if task["draw"] is not None:
        await assembly.plan_and_draw(task["plan_id"], task["plan_code"], task["draw_public_id"])
    else:
        # A directed task (定向检查) has no plan or draw: its reason and case stand instead.
        directed = await code_queries.directed_of(task_id)
        writer.add_json("directed.json", directed or {})
    await assembly.tasks(await queries.task_row(task_id), None)
    await assembly.photos_and_audit()
    return writer.close(created_at=_now())


async def plan_archive(
    plan_code: str,
    target: str | Path | IO[bytes],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Write the archive of a drawn plan, every task included; `progress(done, total)`."""
    plan = await plan_queries.plan_by_code(plan_code)
    if plan is None:
        raise SuichaError(NOT_FOUND, what=f"抽查计划{plan_code}", what_en=f"Plan {plan_code}")
    draw = await queries.draw_of_plan(plan["id"])
    if draw is None:
        raise SuichaError(NOT_ARCHIVABLE, plan=plan_code)
    writer = ArchiveWriter(target, kind="plan", subject=plan_code)
    assembly = _Assembly(writer)
    await assembly.plan_and_draw(plan["id"], plan_code, draw["public_id"])
    await assembly.tasks(await queries.tasks_of_draw(draw["id"]), progress)
    await assembly.photos_and_audit()
    return writer.close(created_at=_now())
