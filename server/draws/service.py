"""The draw ceremony: schedule (commit) → witness and sign → draw, reveal, seal → amend.

Each step is one write transaction that appends to the audit chain. The
sealed record (canonical JSON, SHA-256 hash in the audit log) never changes;
amendments are stored beside it and published with it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.draws import errors, inputs, queries
from server.plans import errors as plan_errors
from server.plans import queries as plan_queries
from server.plans import service as plan_service
from server.tasks import service as tasks
from shared.canonical import canonical_json, sha256_hex
from shared.draw import (
    ALGORITHM,
    DepartmentSpec,
    DrawInput,
    StratumSpec,
    amend,
    commitment,
    new_server_secret,
    run_draw,
)
from shared.errors import SuichaError

SCHEDULED, WITNESSED, SEALED = "scheduled", "witnessed", "sealed"


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


async def _draw(public_id: str, *, lock: bool = False) -> dict[str, Any]:
    """The draw; with `lock`, its plan is locked first and the draw read again, so two
    ceremonies steps on one draw never interleave."""
    draw = await queries.draw_by_public_id(public_id)
    if draw is None:
        raise SuichaError(errors.DRAW_NOT_FOUND, draw=public_id)
    if lock:
        await plan_queries.lock_plan(draw["plan"])
        draw = await queries.draw_by_public_id(public_id)
        assert draw is not None
    return draw


async def schedule(principal: Principal, plan_id: int) -> str:
    """Fix the inputs, create the server secret and publish its commitment."""
    async with write_transaction():
        await plan_queries.lock_plan(plan_id)
        plan = await plan_queries.plan_by_id(plan_id)
        if plan is None:
            raise SuichaError(plan_errors.PLAN_NOT_FOUND, plan=str(plan_id))
        principal.require_department(plan["lead_department"], plan["lead_code"])
        existing = await queries.draw_for_plan(plan_id)
        if existing is not None:
            raise SuichaError(errors.DRAW_EXISTS, plan=plan["code"], draw=existing["public_id"])
        if plan["status"] != "published":
            raise SuichaError(errors.PLAN_NOT_PUBLISHED, status=plan["status"])
        await plan_service.require_drawable(plan)
        fixed = await inputs.gather(plan)
        secret = new_server_secret()
        public_id = f"{plan['code']}-D1"
        now = datetime.now(UTC)
        await queries.insert_draw(
            {
                "public_id": public_id,
                "plan": plan_id,
                "status": SCHEDULED,
                "commitment": commitment(secret),
                "server_secret": secret.hex(),
                "inputs": canonical_json(fixed),
                "population_digest": fixed["population_digest"],
                "scheduled_at": now,
                "scheduled_by": principal.username,
            }
        )
        await audit(
            actor=principal.username,
            action="draw.schedule",
            entity="draw",
            entity_id=public_id,
            change={
                "plan_id": plan["code"],
                "commitment": commitment(secret),
                "population_digest": fixed["population_digest"],
                "inputs_hash": sha256_hex(canonical_json(fixed)),
            },
        )
    return public_id


def signature(
    *, draw: dict[str, Any], witness_input: str, signer: str, name: str, at: str
) -> dict[str, str]:
    """The observer's signature: who confirmed which commitment, witness input and population."""
    statement = {
        "plan_id": draw["plan_code"],
        "commitment": draw["commitment"],
        "population_digest": draw["population_digest"],
        "witness_input": witness_input,
        "signer": signer,
        "at": at,
    }
    return {
        "role": Role.OBSERVER.value,
        "signer": signer,
        "name": name,
        "at": at,
        "statement": "已见证抽签并签字确认",
        "digest": sha256_hex(canonical_json(statement)),
    }


async def witness(principal: Principal, public_id: str, witness_input: str) -> None:
    """The discipline observer types the witness input and signs (纪检监察见证签字)."""
    if principal.role is not Role.OBSERVER:
        raise SuichaError(errors.NOT_OBSERVER)
    if not witness_input or not witness_input.strip():
        raise SuichaError(errors.WITNESS_EMPTY)
    async with write_transaction():
        draw = await _draw(public_id, lock=True)
        # 会同本单位纪检监察: only an observer of a department leading or taking part.
        taking_part = {d["department"] for d in await plan_queries.plan_departments(draw["plan"])}
        if principal.department_id not in taking_part | {draw["lead_department_id"]}:
            raise SuichaError(
                errors.WITNESS_OTHER_DEPARTMENT, department=principal.department_code or "-"
            )
        if draw["status"] == SEALED:
            raise SuichaError(errors.ALREADY_DRAWN, draw=public_id)
        if draw["status"] != SCHEDULED:
            raise SuichaError(errors.ALREADY_WITNESSED, witness=draw["witness"])
        now = datetime.now(UTC)
        name = await queries.display_name(principal.username)
        signed = signature(
            draw=draw,
            witness_input=witness_input,
            signer=principal.username,
            name=name,
            at=_iso(now),
        )
        await queries.update_draw(
            draw["id"],
            {
                "status": WITNESSED,
                "witness_input": witness_input,
                "witness": name,
                "witness_user": principal.username,
                "signatures": [signed],
                "witnessed_at": now,
            },
        )
        await audit(
            actor=principal.username,
            action="draw.witness",
            entity="draw",
            entity_id=public_id,
            change={"witness_input": witness_input, "signature": signed["digest"]},
        )


def draw_input(draw: dict[str, Any], fixed: dict[str, Any], drawn_at: str) -> DrawInput:
    return DrawInput(
        plan_id=draw["plan_code"],
        server_secret=bytes.fromhex(draw["server_secret"]),
        witness_input=draw["witness_input"],
        strata={
            name: StratumSpec(ratio=s["ratio"], cap=s["cap"], population=s["population"])
            for name, s in fixed["strata"].items()
        },
        exclusions=fixed["exclusions"],
        departments=[
            DepartmentSpec(
                code=d["code"],
                per_task=d["per_task"],
                pool=d["pool"],
                required_qualifications=d["required_qualifications"],
            )
            for d in fixed["departments"]
        ],
        conflicts=[(c["object_id"], c["inspector_id"]) for c in fixed["conflicts"]],
        drawn_at=drawn_at,
        witness=draw["witness"],
        signatures=draw["signatures"] or [],
    )


async def run(principal: Principal, public_id: str) -> str:
    """Draw, reveal the secret, seal the record, create the tasks; return the record hash."""
    async with write_transaction():
        draw = await _draw(public_id, lock=True)
        principal.require_department(draw["lead_department_id"], draw["lead_code"])
        if draw["status"] == SEALED:
            raise SuichaError(errors.ALREADY_DRAWN, draw=public_id)
        if draw["status"] != WITNESSED:
            raise SuichaError(errors.NOT_WITNESSED)
        now = datetime.now(UTC)
        fixed = json.loads(draw["inputs"])
        record = run_draw(draw_input(draw, fixed, _iso(now)))
        text = canonical_json(record)
        record_hash = sha256_hex(text)
        plan = await plan_queries.plan_by_id(draw["plan"])
        assert plan is not None
        await tasks.create_for_draw(draw["id"], plan, record)
        await queries.update_draw(
            draw["id"],
            {
                "status": SEALED,
                "record": text,
                "record_hash": record_hash,
                "drawn_at": now,
                "sealed_at": now,
                "drawn_by": principal.username,
            },
        )
        await queries.plan_status(draw["plan"], "drawn", updated_at=now)
        await audit(
            actor=principal.username,
            action="draw.seal",
            entity="draw",
            entity_id=public_id,
            change={
                "record_hash": record_hash,
                "seed": record["seed"],
                "tasks": len(record["assignments"]),
            },
        )
    return record_hash


async def amend_team(
    principal: Principal,
    public_id: str,
    *,
    object_id: str,
    department: str,
    removed: str,
    reason: str,
    conflict: bool,
) -> dict[str, Any]:
    """Replace one inspector after the draw (late 回避, illness); return the amendment.

    `conflict` marks a late declared conflict of interest: it is published with
    the amendment so the replacement rule provably skipped the pair.
    """
    reason = reason.strip()
    if not reason:
        raise SuichaError(errors.AMEND_REASON_REQUIRED)
    async with write_transaction():
        draw = await _draw(public_id, lock=True)
        principal.require_department(draw["lead_department_id"], draw["lead_code"])
        if draw["status"] != SEALED:
            raise SuichaError(errors.NOT_SEALED)
        current = await published_record(draw)
        now = datetime.now(UTC)
        updated = amend(
            current,
            object_id=object_id,
            department=department,
            removed=removed,
            reason=reason,
            at=_iso(now),
            extra_conflicts=[(object_id, removed)] if conflict else (),
        )
        entry = updated["amendments"][-1]
        await queries.insert_amendment(
            {
                "draw": draw["id"],
                "seq": len(updated["amendments"]),
                "entry": canonical_json(entry),
                "actor": principal.username,
                "at": now,
            }
        )
        await tasks.apply_amendment(draw["id"], entry)
        await audit(
            actor=principal.username,
            action="draw.amend",
            entity="draw",
            entity_id=public_id,
            change=entry,
        )
    return entry


def replay(sealed: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The sealed record with its stored amendments applied in order (deterministic)."""
    record = sealed
    for entry in entries:
        record = amend(
            record,
            object_id=entry["object_id"],
            department=entry["department"],
            removed=entry["removed"],
            reason=entry["reason"],
            at=entry["at"],
            extra_conflicts=[(c["object_id"], c["inspector_id"]) for c in entry["conflicts"]],
        )
    return record


async def published_record(draw: dict[str, Any]) -> dict[str, Any]:
    """The §6 record as published: complete once sealed, inputs and commitment before."""
    entries = [json.loads(row["entry"]) for row in await queries.amendments(draw["id"])]
    if draw["status"] == SEALED:
        return replay(json.loads(draw["record"]), entries)
    fixed = json.loads(draw["inputs"])
    return {
        "algorithm": ALGORITHM,
        "plan_id": draw["plan_code"],
        "commitment": draw["commitment"],
        "witness_input": draw["witness_input"],
        "server_secret": None,
        **fixed,
        "seed": None,
        "selected": None,
        "assignments": [],
        "amendments": [],
        "drawn_at": None,
        "witness": draw["witness"] or None,
        "signatures": draw["signatures"] or [],
    }


STATUS_FIELDS = ("draw_id", "status", "record_hash", "seal_intact")
"""Fields added to the published record: the draw's id, state and seal."""


async def published(public_id: str) -> dict[str, Any]:
    """The public record plus the draw's status and seal (`STATUS_FIELDS`)."""
    draw = await _draw(public_id)
    record = await published_record(draw)
    sealed = draw["status"] == SEALED
    return {
        **record,
        "draw_id": draw["public_id"],
        "status": draw["status"],
        "record_hash": draw["record_hash"],
        "seal_intact": sha256_hex(draw["record"]) == draw["record_hash"] if sealed else None,
    }


def without_status(record: dict[str, Any]) -> dict[str, Any]:
    """The §6 record alone, as `shared.draw.verify_record` and re-implementations take it."""
    return {k: v for k, v in record.items() if k not in STATUS_FIELDS}
