"""Publication (公示) of a reviewed task: immutable versions with the national publicity fields.

The record carries what the national enterprise credit publicity system shows
for a 双随机 inspection: 检查实施机关, 类型, 日期, 结果 (codes with their
wording), 抽查计划编号/名称, 抽查任务编号, 抽查完成日期, and 检查事项 with
检查结果 per item. Inspectors are not named (the national system does not).
A correction is a new version with its reason; earlier versions stay public.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.calendar import queries as calendar_queries
from server.calendar import service as calendar
from server.db.transaction import write_transaction
from server.field import queries as field_queries
from server.publication import errors, queries, states
from server.publication.categories import wording_of
from server.publication.review import (
    REVIEWABLE,
    check_reason,
    item_states,
    publication_out,
    require_task,
)
from server.publication.schemas import PublicationOut
from shared.canonical import canonical_json, sha256_hex
from shared.errors import SuichaError

KIND = "抽查"
"""类型 of a task from a 双随机 draw."""
DIRECTED_KIND = "定向"
"""类型 of a directed task (complaint, referral, data monitoring): never shown as random."""


def _kind(task: dict[str, Any]) -> str:
    return DIRECTED_KIND if task.get("directed") else KIND


def _body(row: dict[str, Any]) -> dict[str, Any]:
    body = row["body"]
    return msgspec.json.decode(body) if isinstance(body, str) else body


async def build_record(task: dict[str, Any]) -> dict[str, Any]:
    """The national publicity fields of a task, from its current approved results."""
    items, info = await item_states(task["id"])
    per_item = []
    results: dict[str, str] = {}
    authorities: list[str] = []
    for item in items:
        head = info[item["code"]]["head"]
        version = await field_queries.version_of(head["result_uuid"], head["version"])
        assert version is not None  # an approved item has a stored current version
        body = _body(version)
        code = str(body.get("category", ""))
        wording = wording_of(body)
        results.setdefault(code, wording)
        if item["department_name"] not in authorities:
            authorities.append(item["department_name"])
        per_item.append(
            {
                "item_code": item["code"],
                "item_name": item["name"],
                "department": item["department_name"],
                "result_code": code,
                "result_wording": wording,
            }
        )
    completed_on = calendar.completion_day(task["completed_at_device"])
    return {
        "authority": "、".join(authorities) or task["lead_department_name"],
        "kind": _kind(task),
        "date": completed_on.isoformat(),
        "results": [{"code": c, "wording": w} for c, w in results.items()],
        "plan_code": task["plan_code"],
        "plan_name": task["plan_name"],
        "task_code": f"{task['draw_id'] or DIRECTED_KIND}-{task['id']}",
        "completed_on": completed_on.isoformat(),
        "business": {"name": task["object_name"], "credit_code": task["credit_code"]},
        "items": per_item,
    }


async def publish(principal: Principal, task_id: int, reason: str = "") -> PublicationOut:
    """Publish a task whose items are all approved; a later version is a correction."""
    async with write_transaction():
        task = await require_task(principal, task_id)
        if task["status"] not in REVIEWABLE:
            raise SuichaError(errors.NOT_SUBMITTED, task_id=task_id)
        _, info = await item_states(task_id)
        blocking = states.blocking({code: entry["state"] for code, entry in info.items()})
        if blocking:
            raise SuichaError(
                errors.NOT_READY,
                extra={
                    "items": [
                        {"item": code, "state": state, "state_zh": states.STATE_ZH[state]}
                        for code, state in blocking.items()
                    ]
                },
                task_id=task_id,
                count=len(blocking),
            )
        earlier = await queries.publications(task_id)
        record = await build_record(task)
        record_hash = sha256_hex(canonical_json(record))
        if earlier:
            if earlier[-1]["record_hash"] == record_hash:
                raise SuichaError(
                    errors.NOTHING_TO_CORRECT, task_id=task_id, version=earlier[-1]["version"]
                )
            reason = check_reason(reason, "更正公示", "A correction")
        else:
            reason = reason.strip()[:500]
        now = datetime.now(UTC)
        version = len(earlier) + 1
        values = {
            "task": task_id,
            "version": version,
            "published_at": now,
            "published_by": principal.username,
            "reason": reason,
            "record": record,
            "record_hash": record_hash,
        }
        publication_id = await queries.insert_publication(values)
        await queries.supersede_entries(task_id)
        published_on = now.astimezone(calendar.CHINA).date()
        await queries.insert_entry(
            {
                "publication": publication_id,
                "task": task_id,
                "version": version,
                "current": True,
                "credit_code": task["credit_code"],
                "name": task["object_name"],
                "authority": record["authority"],
                "department_code": task["lead_department_code"],
                "plan_code": task["plan_code"],
                "plan_name": task["plan_name"],
                "kind": _kind(task),
                "inspected_on": calendar.completion_day(task["completed_at_device"]),
                "published_on": published_on,
                "result_codes": ",".join(r["code"] for r in record["results"]),
                "results_zh": "；".join(r["wording"] for r in record["results"]),
            }
        )
        await calendar_queries.settle_deadline(task_id, published_on)
        await audit(
            actor=principal.username,
            action="publication.publish" if version == 1 else "publication.correct",
            entity="publication",
            entity_id=f"{task_id}/{version}",
            change={"record_hash": record_hash, "reason": reason},
        )
    return publication_out({"id": publication_id, **values})
