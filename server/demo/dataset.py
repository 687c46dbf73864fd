"""`suicha demo`: create the demo dataset on an empty database.

The 鸡西市 joint meeting (seed 000): its departments, about forty inspection
items with legal bases and checklists, about 300 inspectors, N objects (10,000
by default; a million works) and the demo accounts, all with the password
`suicha-demo`. The same seed and N give the same data (timestamps aside).

Everything is written in one transaction: a failure leaves the database as it
was, and a database that already holds data is refused (`demo.not_empty`).
Each section appends one audit entry, so the audit chain shows the demo's
creation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from server.audit.log import append as audit
from server.db.bulk import chunks
from server.db.migrate import migrate
from server.db.transaction import write_transaction
from server.demo import queries
from server.demo.accounts import ACTOR, create_accounts
from server.demo.codes import CreditCodeMaker
from server.demo.cycle import run_demo_cycle
from server.demo.departments import DEPARTMENT_REGION, DEPARTMENTS
from server.demo.draw import create_demo_draw
from server.demo.errors import DEMO_NOT_EMPTY, DEMO_OBJECT_COUNT
from server.demo.inspectors import generate_inspectors
from server.demo.items import ITEMS
from server.demo.objects import ObjectGenerator
from server.rosters.bulk import insert_objects
from server.rosters.service import ensure_risk_classes
from shared.errors import SuichaError

Report = Callable[[str], None]

DEFAULT_OBJECTS = 10_000
DEFAULT_SEED = 2026
MAX_OBJECTS = 10_000_000
CHUNK = 50_000
"""Objects generated and written per step (and per progress line)."""
CONFLICT_CANDIDATES = 1_000
"""Inspectors' declared conflicts name objects among the first this many."""


class _Clock:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __str__(self) -> str:
        return f"{time.perf_counter() - self.start:.1f} s"


async def create_demo(
    objects: int = DEFAULT_OBJECTS, seed: int = DEFAULT_SEED, report: Report = print
) -> None:
    """Migrate, then create the demo dataset; refuse a database that already holds data."""
    limit = min(MAX_OBJECTS, CreditCodeMaker.capacity())
    if not 0 <= objects <= limit:
        raise SuichaError(DEMO_OBJECT_COUNT, minimum=0, maximum=limit, count=objects)
    await migrate()
    clock = _Clock()
    async with write_transaction():
        present = await queries.existing_content()
        if present is not None:
            raise SuichaError(DEMO_NOT_EMPTY, what=present[0], what_en=present[1])
        report(f"创建演示数据 / creating the demo dataset: seed {seed}, {objects:,} objects")
        department_ids = await _departments(seed)
        report(f"部门 / departments: {len(department_ids)} ({clock})")
        await ensure_risk_classes()
        await _items(department_ids, seed)
        report(f"检查事项 / inspection items: {len(ITEMS)} ({clock})")
        conflict_candidates = await _objects(objects, seed, report, clock)
        inspectors = generate_inspectors(seed, conflict_candidates)
        inspector_ids = await queries.insert_inspectors(
            {**officer.as_values(), "department": department_ids[officer.department]}
            for officer in inspectors
        )
        await audit(
            actor=ACTOR,
            action="demo.inspectors",
            entity="inspector",
            change={"seed": seed, "count": len(inspector_ids)},
        )
        report(f"检查人员 / inspectors: {len(inspector_ids)} ({clock})")
        accounts = await create_accounts(inspectors, inspector_ids)
        await audit(actor=ACTOR, action="demo.accounts", entity="user", change={"count": accounts})
        report(f"账号 / accounts: {accounts}, 密码 / password suicha-demo ({clock})")
    report(f"完成 / done ({clock})")
    await create_demo_draw(report)
    await run_demo_cycle(report)


async def _departments(seed: int) -> dict[str, int]:
    ids = await queries.insert_departments(
        {"code": d.code, "name": d.name, "level": "city", "region": DEPARTMENT_REGION}
        for d in DEPARTMENTS
    )
    await audit(
        actor=ACTOR,
        action="demo.departments",
        entity="department",
        change={"seed": seed, "codes": [d.code for d in DEPARTMENTS]},
    )
    return ids


async def _items(department_ids: dict[str, int], seed: int) -> None:
    await queries.insert_items(
        {
            "department": department_ids[item.department],
            "code": item.code,
            "name": item.name,
            "legal_basis": item.legal_basis,
            "object_type": item.object_type,
            "kind": item.kind,
            "ratio_cap": item.ratio_cap,
            "methods": list(item.methods),
            "required_qualifications": list(item.qualifications),
            "checklist": list(item.checklist),
            "active": True,
        }
        for item in ITEMS
    )
    await audit(
        actor=ACTOR,
        action="demo.items",
        entity="inspection_item",
        change={"seed": seed, "codes": [item.code for item in ITEMS]},
    )


async def _objects(count: int, seed: int, report: Report, clock: _Clock) -> list[str]:
    """Generate and bulk-insert the objects chunk by chunk; return conflict candidates."""
    rows = ObjectGenerator(seed).rows(count, datetime.now(UTC))
    candidates: list[str] = []
    written = 0
    for chunk in chunks(rows, CHUNK):
        if not candidates:
            candidates = [row[0] for row in chunk[:CONFLICT_CANDIDATES]]
        written += await insert_objects(chunk)
        if count > CHUNK:
            report(f"检查对象 / objects: {written:,} / {count:,} ({clock})")
    await audit(
        actor=ACTOR,
        action="demo.objects",
        entity="inspection_object",
        change={"seed": seed, "count": written},
    )
    report(f"检查对象 / objects: {written:,} ({clock})")
    return candidates
