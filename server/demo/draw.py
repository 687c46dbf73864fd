"""The demo's drawn joint plan: 餐饮场所联合抽查, led by SCJG with WSJK and YJGL.

Runs the real services as the demo's team lead and observer — create, approve,
publish, schedule (commitment), witness and sign, draw and seal — so the demo
has a public draw record and tasks for demo inspectors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from server.accounts import queries as account_queries
from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.demo.accounts import DEMO_PASSWORD, FIELD_USER, create_field_account
from server.draws import service as draws
from server.plans import service as plans
from server.rosters import queries as roster_queries

LEAD_USER = "lead"
OBSERVER_USER = "observer"
SCOPE = {"tags": ["食品经营"], "regions": ["230302"]}
"""The sub-roster: food businesses of 鸡冠区."""
ITEMS = ["SCJG-012", "WSJK-002", "YJGL-001"]
"""餐饮服务食品安全 (SCJG, key), 公共场所卫生 (WSJK, general), 安全生产 (YJGL, key)."""
RATIOS = {"A": "0.02", "B": "0.03", "C": "0.05", "D": "0.05"}
"""Within the 0.05 cap of the general item WSJK-002; with key items, class D is covered fully."""


async def _principal(username: str) -> Principal:
    user = await account_queries.user_by_username(username)
    if user is None:
        raise LookupError(f"the demo account {username!r} is missing")
    department = (
        await roster_queries.department_by_id(user["department"]) if user["department"] else None
    )
    return Principal(
        user_id=user["id"],
        username=user["username"],
        role=Role(user["role"]),
        department_id=user["department"],
        department_code=department["code"] if department else None,
        inspector_id=user["inspector"],
        device_id="demo",
        session_id=0,
    )


async def create_demo_draw(report: Callable[[str], None]) -> None:
    """Create, publish, witness and draw the demo joint plan; report each step."""
    lead = await _principal(LEAD_USER)
    observer = await _principal(OBSERVER_USER)
    today = datetime.now(UTC).date()
    code = f"JX-{today.year}-LH-001"
    plan_id, _ = await plans.create_plan(
        lead,
        {
            "code": code,
            "name": f"{today.year}年鸡冠区餐饮场所联合抽查（进一次门、查多项事）",
            "year": today.year,
            "kind": "joint",
            "lead_department": "SCJG",
            "departments": {"SCJG": 1, "WSJK": 1, "YJGL": 1},
            "items": ITEMS,
            "scope": SCOPE,
            "ratios": RATIOS,
            "general_cap": None,
            "key_full_coverage": True,
            "window_start": today,
            "window_end": today + timedelta(days=90),
            "method": "on_site",
            "frequency": ">=1",
            "repeat_window_days": 365,
            "cross_jurisdiction": False,
            "description": "市场监管局牵头，卫生健康委、应急管理局配合；按信用风险分类差异化抽查。",
        },
    )
    await plans.advance(lead, plan_id, "approve")
    await plans.advance(lead, plan_id, "publish")
    report(f"联合抽查计划 / joint plan {code}: 已公示 / published")
    draw_id = await draws.schedule(lead, plan_id)
    await draws.witness(observer, draw_id, f"{today:%Y%m%d}-纪检见证")
    record_hash = await draws.run(lead, draw_id)
    record = await draws.published(draw_id)
    report(
        f"抽签 / draw {draw_id}: {len(record['assignments'])} 项任务 / tasks, "
        f"记录哈希 / record hash {record_hash[:16]}…, 公示 / public page /public/draws/{draw_id}"
    )
    badge, count = sample_inspector(record)
    await create_field_account(badge)
    report(
        f"示例检查员 / field demo account: {FIELD_USER} = {badge} "
        f"({count} 项任务 / tasks, 密码 / password {DEMO_PASSWORD})"
    )


def sample_inspector(record: dict[str, object]) -> tuple[str, int]:
    """The lowest badge of the lead department with tasks in the draw, and its task count.

    The README names this officer, so a new user signs in the field app as
    someone who has work to do.
    """
    counts: dict[str, int] = {}
    for assignment in record["assignments"]:  # type: ignore[attr-defined]
        for badge in assignment["inspectors"].get("SCJG", []):
            counts[badge] = counts.get(badge, 0) + 1
    badge = min(counts)
    return badge, counts[badge]
