"""Issuing inspection codes and checking them for the business (扫码入企).

Codes are issued inside the draw's write transaction when it creates its tasks
(`server.tasks.service.create_for_draw`); a task from before codes existed gets
its code lazily, the first time staff or the app ask for it. Checking recomputes
the signed fields from the database, so a QR whose code, task or signature was
changed is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from server.audit import log as audit
from server.calendar.service import CHINA
from server.db.transaction import write_transaction
from server.draws import service as draws
from server.inspection_codes import caps, errors, queries
from server.inspection_codes.keys import signing_key
from shared import inspection_code
from shared.draw.objects import object_key
from shared.errors import SuichaError

_ATTEMPTS = 8
"""Fresh codes drawn per task before giving up: 32^6 codes per year and jurisdiction."""


def signed_fields(row: Mapping[str, Any], code: str | None = None) -> dict[str, Any]:
    """The task's key fields in `shared.inspection_code.SIGNED_FIELDS`, from a task or code row."""
    valid_from = row["valid_from"] if "valid_from" in row else row["window_start"]
    return {
        "code": code or row["code"],
        "task": row["task"] if "task" in row else row["id"],
        "object_id": row["object_id"],
        "department": row["department"],
        "plan": row["plan"],
        "kind": row.get("kind", "random"),
        "valid_from": str(valid_from),
    }


async def issue_for_tasks(task_ids: Sequence[int] | None = None) -> int:
    """Give every listed task without a code its code (all such tasks when None)."""
    tasks = await queries.tasks_without_code(task_ids)
    if not tasks:
        return 0
    key = signing_key()
    key_id = inspection_code.key_id(key.public_key())
    now = datetime.now(UTC)
    taken: set[str] = set()
    rows: list[tuple[Any, ...]] = []
    for task in tasks:
        for _ in range(_ATTEMPTS):
            code = inspection_code.new_code(task["year"], task["department"])
            if code not in taken and not await queries.codes_in_use([code]):
                break
        else:
            raise RuntimeError("no free inspection code after repeated attempts")
        taken.add(code)
        fields = signed_fields(task, code)
        rows.append(
            (
                task["id"],
                code,
                task["year"],
                task["department"],
                fields["kind"],
                "",
                task["valid_from"],
                inspection_code.sign(key, fields),
                key_id,
                now,
            )
        )
    return await queries.insert_codes(rows)


def today() -> date:
    return datetime.now(CHINA).date()


async def checked(
    code: str, signature: str | None, *, allow_closed: bool = False
) -> dict[str, Any]:
    """The code's row once it passes every check; a `SuichaError` saying why otherwise.

    Without a signature (a code typed by hand) the server's own record is the
    authority; with one, it must be this server's signature over the task's
    current key fields. `allow_closed` admits a closed task's code (rating it after
    the visit), which the visit check refuses as expired.
    """
    code = code.strip().upper()
    if not inspection_code.well_formed(code):
        raise SuichaError(errors.CODE_MALFORMED)
    row = await queries.by_code(code)
    if row is None:
        raise SuichaError(errors.CODE_UNKNOWN)
    if row["kind"] == "directed":
        row = await _with_directed(row)
    if signature is not None and not inspection_code.verify(
        signing_key().public_key(), signed_fields(row), signature
    ):
        raise SuichaError(errors.SIGNATURE_INVALID)
    if row["task_status"] == "closed" and not allow_closed:
        raise SuichaError(errors.CODE_EXPIRED)
    if today() < row["valid_from"]:
        raise SuichaError(errors.CODE_NOT_YET_VALID, valid_from=str(row["valid_from"]))
    return row


async def _with_directed(row: dict[str, Any]) -> dict[str, Any]:
    """A directed task's department and window, from its directed row (it has no plan)."""
    directed = await queries.directed_of(row["task"])
    if directed is None:
        raise SuichaError(errors.CODE_UNKNOWN)
    return {
        **row,
        "plan": "",
        "plan_name": "",
        "department": directed["department_code"],
        "department_name": directed["department_name"],
        "window_start": directed["window_start"],
        "window_end": directed["window_end"],
    }


def draw_rank(record: Mapping[str, Any], object_id: str) -> dict[str, Any] | None:
    """Where the object stood in its stratum's key order in the draw (1 = smallest key)."""
    seed = record.get("seed")
    if not seed:
        return None
    for name, stratum in record["strata"].items():
        if object_id not in stratum["population"]:
            continue
        seed_bytes = bytes.fromhex(seed)
        mine = object_key(seed_bytes, object_id)
        rank = 1 + sum(1 for other in stratum["population"] if object_key(seed_bytes, other) < mine)
        return {
            "stratum": name,
            "ratio": stratum["ratio"],
            "cap": stratum.get("cap"),
            "population": len(stratum["population"]),
            "selected": len((record.get("selected") or {}).get(name, [])),
            "rank": rank,
            "key": format(mine, "064x"),
        }
    return None


async def check_view(code: str, signature: str | None) -> dict[str, Any]:
    """What `/check/{code}` shows: task, officers, items, and why the business was drawn."""
    row = await checked(code, signature)
    view: dict[str, Any] = {
        "code": row,
        "signed": signature is not None,
        "officers": await queries.officers(row["task"]),
        "items": await queries.items(row["task"]),
        "reason_text": inspection_code.REASON_CATEGORIES.get(row["reason_category"], ""),
        "record": None,
        "rank": None,
    }
    if row["kind"] == "random" and row["draw_id"]:
        record = await draws.published(row["draw_id"])
        view["record"] = draws.without_status(record)
        view["rank"] = draw_rank(record, row["object_id"])
    return view


def public_keys() -> dict[str, Any]:
    """The verification key(s) as published at `/api/v1/public/keys`."""
    public = signing_key().public_key()
    return {
        "scheme": inspection_code.SCHEME,
        "keys": [
            {
                "key_id": inspection_code.key_id(public),
                "algorithm": "Ed25519",
                "public_key": inspection_code.public_key_b64(public),
                "encoding": "base64url (raw 32 bytes, no padding)",
            }
        ],
        "signed_fields": list(inspection_code.SIGNED_FIELDS),
    }


async def objects_at_cap(year: int, objects: Sequence[tuple[str, str]]) -> set[str]:
    """Of `(credit code, region)` pairs, those at their jurisdiction's annual cap in `year`."""
    limits = await queries.annual_caps()
    if not limits:
        return set()
    return caps.at_cap(objects, await queries.inspections_in_year(year), limits)


async def set_annual_cap(jurisdiction: str, cap: int, actor: str) -> None:
    """Set a jurisdiction's cap (admins); audited. Refused unless 1 ≤ cap ≤ `caps.MAX_CAP`."""
    if not (jurisdiction.isdigit() and 2 <= len(jurisdiction) <= 12) or not (
        1 <= cap <= caps.MAX_CAP
    ):
        raise SuichaError(errors.CAP_INVALID)
    async with write_transaction():
        await queries.set_annual_cap(jurisdiction, cap, actor, datetime.now(UTC))
        await audit.append(
            actor=actor,
            action="annual_cap.set",
            entity="annual_cap",
            entity_id=jurisdiction,
            change={"cap": cap},
        )


async def annual_cap_list() -> dict[str, int]:
    return await queries.annual_caps()
