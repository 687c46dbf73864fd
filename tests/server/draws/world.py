"""A small roster world for plan and draw tests: departments, items, inspectors, objects.

Rows go straight into the roster tables (the rosters area owns their services);
accounts and logins go through `tests.server.factories`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from server.rosters.tables import InspectionItem, InspectionObject, Inspector
from shared.credit_code import check_character
from tests.server import factories

DEPARTMENTS = {"SCJG": "市场监督管理局", "WSJK": "卫生健康委员会", "YJGL": "应急管理局"}
ITEMS = [
    # code, department, name, kind, required qualifications
    ("SC-SP-01", "SCJG", "对食品经营者的监督检查", "general", ["food"]),
    ("SC-TZ-01", "SCJG", "对特种设备使用单位的检查", "key", []),
    ("WS-GG-01", "WSJK", "公共场所卫生检查", "general", ["health"]),
    ("YJ-XF-01", "YJGL", "消防安全检查", "general", []),
]


def credit_code(n: int) -> str:
    first17 = f"91230300{n:09d}"
    return first17 + check_character(first17)


@dataclass
class World:
    departments: dict[str, int] = field(default_factory=dict)
    objects: list[str] = field(default_factory=list)
    inspectors: dict[str, int] = field(default_factory=dict)


async def add_inspector(
    badge: str,
    department_id: int,
    *,
    qualifications: list[str] | None = None,
    status: str = "active",
    station_region: str = "",
    conflicts: list[dict[str, str]] | None = None,
) -> int:
    rows = await Inspector.insert(
        Inspector(
            badge_no=badge,
            name=f"检查员{badge}",
            department=department_id,
            qualifications=qualifications or [],
            status=status,
            station_region=station_region,
            conflicts=conflicts or [],
        )
    ).returning(Inspector.id)
    return rows[0]["id"]


async def add_object(
    n: int,
    *,
    risk_class: str = "B",
    status: str = "active",
    region: str = "230302",
    industry: str = "5211",
    tags: list[str] | None = None,
    kind: str = "enterprise",
) -> str:
    code = credit_code(n)
    await InspectionObject.insert(
        InspectionObject(
            credit_code=code,
            name=f"测试企业{n}号",
            kind=kind,
            industry_code=industry,
            region=region,
            risk_class=risk_class,
            status=status,
            tags=json.dumps(tags or []),
            updated_at=datetime.now(UTC),
        )
    )
    return code


async def build(objects_per_class: int = 5) -> World:
    world = World()
    for code, name in DEPARTMENTS.items():
        world.departments[code] = await factories.department(code, name)
    for code, dept, name, kind, quals in ITEMS:
        await InspectionItem.insert(
            InspectionItem(
                department=world.departments[dept],
                code=code,
                name=name,
                kind=kind,
                required_qualifications=quals,
            )
        )
    for i in range(1, 5):
        badge = f"SC-{i:03d}"
        world.inspectors[badge] = await add_inspector(
            badge,
            world.departments["SCJG"],
            qualifications=["food"],
            station_region="230302" if i == 1 else "230303",
        )
    world.inspectors["SC-009"] = await add_inspector(
        "SC-009", world.departments["SCJG"], qualifications=[]
    )  # lacks the food qualification: never in the pool
    world.inspectors["SC-010"] = await add_inspector(
        "SC-010", world.departments["SCJG"], qualifications=["food"], status="on_leave"
    )
    for i in range(1, 4):
        badge = f"WS-{i:03d}"
        world.inspectors[badge] = await add_inspector(
            badge, world.departments["WSJK"], qualifications=["health"]
        )
    for i in range(1, 3):
        badge = f"YJ-{i:03d}"
        world.inspectors[badge] = await add_inspector(badge, world.departments["YJGL"])
    n = 0
    for risk in "ABCD":
        for _ in range(objects_per_class):
            n += 1
            world.objects.append(await add_object(n, risk_class=risk))
    return world


def joint_plan_body(code: str = "2026-LH-001", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "name": "2026年食品经营场所联合抽查",
        "year": 2026,
        "kind": "joint",
        "lead_department": "SCJG",
        "departments": [
            {"code": "SCJG", "per_task": 1},
            {"code": "WSJK", "per_task": 1},
            {"code": "YJGL", "per_task": 1},
        ],
        "items": ["SC-SP-01", "WS-GG-01", "YJ-XF-01"],
        "ratios": {"A": "0.2", "B": "0.4", "C": "0.6", "D": "1"},
        "window_start": "2026-03-01",
        "window_end": "2026-12-31",
        "general_cap": 10,
    }
    body.update(overrides)
    return body
