"""Directed tasks (定向检查): complaints, referrals, data monitoring (seed 001 §4(五)).

Created by a team lead (or an admin) for one business, with a reason category and
the case's reference number. Clearly non-random: the task has no draw, its
inspection code says `directed`, and the business's check page shows the reason
category, never the reference number or who complained. Directed tasks are
exempt from the annual cap but count toward it (`caps.py`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from server.accounts.principal import Principal
from server.audit import log as audit
from server.db.transaction import write_transaction
from server.draws import queries as draw_queries
from server.draws.eligibility import Officer
from server.inspection_codes import errors, queries
from server.inspection_codes.keys import signing_key
from server.inspection_codes.schemas import DirectedTaskIn
from server.tasks import changes
from server.tasks import errors as task_errors
from server.tasks import queries as task_queries
from server.tasks.team import MAX_TEAM, team_problems
from shared import inspection_code
from shared.credit_code import is_valid_credit_code as credit_code_valid
from shared.errors import SuichaError
from shared.text import forbidden_character

MAX_WINDOW_DAYS = 92
"""A directed inspection is prompt: at most about a quarter from start to end."""
MAX_ITEMS = 50


def _invalid(zh: str, en: str) -> SuichaError:
    return SuichaError(errors.DIRECTED_INVALID, problem_zh=zh, problem_en=en)


def _day(value: str, label_zh: str, label_en: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        zh = f"{label_zh}不是有效日期（应为YYYY-MM-DD）。"
        raise _invalid(zh, f"{label_en} is not a date.") from None


def _check(data: DirectedTaskIn) -> tuple[date, date]:
    if data.reason_category not in inspection_code.REASON_CATEGORIES:
        raise _invalid(
            "原因类别须为投诉举报、转办交办或大数据监测之一。",
            "reason_category must be complaint, referral or data_monitoring.",
        )
    reference = data.reference_no.strip()
    if not 1 <= len(reference) <= 64 or forbidden_character(reference) is not None:
        raise _invalid(
            "案件编号须为1至64个可打印字符。", "reference_no must be 1-64 printable characters."
        )
    if not credit_code_valid(data.object_id):
        raise _invalid(
            "统一社会信用代码无效。", "object_id is not a valid unified social credit code."
        )
    if not 1 <= len(data.items) <= MAX_ITEMS:
        raise _invalid("检查事项须为1至50项。", "items must hold 1-50 item codes.")
    start = _day(data.window_start, "检查开始日期", "window_start")
    end = _day(data.window_end, "检查结束日期", "window_end")
    if not start <= end <= start + timedelta(days=MAX_WINDOW_DAYS):
        raise _invalid(
            "检查时段须开始不晚于结束，且不超过92天。",
            "The window must start no later than it ends and last at most 92 days.",
        )
    return start, end


async def create(principal: Principal, data: DirectedTaskIn) -> dict[str, Any]:
    """Create the task and its signed code in one transaction; refused inputs change nothing."""
    start, end = _check(data)
    department = await queries.department_by_code(data.department)
    if department is None:
        raise _invalid("部门不存在。", "No such department.")
    principal.require_department(department["id"], department["code"])
    target = await queries.object_by_code(data.object_id)
    if target is None:
        raise _invalid("检查对象不在名录库中。", "The business is not in the object roster.")
    items = await queries.department_items(department["id"], sorted(set(data.items)))
    unknown = sorted(set(data.items) - set(items))
    if unknown:
        raise _invalid(
            f"以下事项不是本部门的有效检查事项：{'、'.join(unknown)[:200]}",
            f"Not active items of the department: {', '.join(unknown)[:200]}",
        )
    now = datetime.now(UTC)
    key = signing_key()
    async with write_transaction():
        task_id = await queries.insert_directed(
            object_id=target["id"],
            department_id=department["id"],
            item_ids=sorted(items.values()),
            reason_category=data.reason_category,
            reference_no=data.reference_no.strip(),
            window_start=start,
            window_end=end,
            actor=principal.username,
            at=now,
        )
        code = inspection_code.new_code(start.year, department["code"])
        while await queries.codes_in_use([code]):
            code = inspection_code.new_code(start.year, department["code"])
        fields = {
            "code": code,
            "task": task_id,
            "object_id": data.object_id,
            "department": department["code"],
            "plan": "",
            "kind": "directed",
            "valid_from": str(start),
        }
        await queries.insert_codes(
            [
                (
                    task_id,
                    code,
                    start.year,
                    department["code"],
                    "directed",
                    data.reason_category,
                    start,
                    inspection_code.sign(key, fields),
                    inspection_code.key_id(key.public_key()),
                    now,
                )
            ]
        )
        await audit.append(
            actor=principal.username,
            action="directed_task.create",
            entity="task",
            entity_id=str(task_id),
            change={
                "object_id": data.object_id,
                "reason_category": data.reason_category,
                "reference_no": data.reference_no.strip(),
                "department": department["code"],
                "code": code,
            },
        )
    return {"task_id": task_id, "code": code, "reason_category": data.reason_category}


def _officers(rows: list[dict[str, Any]]) -> list[Officer]:
    return [
        Officer(
            id=r["badge_no"],
            department=r["department_code"],
            status=r["status"],
            qualifications=frozenset(r["qualifications"] or []),
            station_region=r["station_region"] or "",
            conflicts=frozenset(c["object"] for c in (r["conflicts"] or []) if c.get("object")),
        )
        for r in rows
    ]


async def assign_team(principal: Principal, task_id: int, badges: list[str]) -> dict[str, Any]:
    """Put the chosen officers of the task's department on a directed task.

    The team must pass the rules a draw applies to its pools (`server.tasks.team`).
    A later call replaces the team while the task is still open: officers left
    out are taken off (kept, inactive, with the reason) and their devices told
    through the change feed, exactly as a draw amendment does.
    """
    if len(badges) > MAX_TEAM + 1:
        badges = badges[: MAX_TEAM + 1]
    async with write_transaction():
        task = await task_queries.directed_task(task_id)
        if task is None:
            raise SuichaError(task_errors.TASK_NOT_FOUND)
        if task["directed_id"] is None:
            raise SuichaError(task_errors.TEAM_NOT_DIRECTED)
        principal.require_department(task["department"], task["department_code"])
        if task["status"] != "assigned":
            raise SuichaError(task_errors.TEAM_TASK_DONE)
        department = task["department_code"]
        officers = _officers(await draw_queries.inspectors_of([department]))
        problems = team_problems(
            badges,
            officers=officers,
            department=department,
            required=await task_queries.required_qualifications(task_id, task["department"]),
            object_id=task["object_id"],
        )
        if problems:
            raise SuichaError(
                task_errors.TEAM_INVALID,
                problem_zh="".join(p.zh for p in problems)[:600],
                problem_en=" ".join(p.en for p in problems)[:600],
                extra={"problems": [{"badge": p.badge, "zh": p.zh, "en": p.en} for p in problems]},
            )
        chosen = list(dict.fromkeys(b.strip() for b in badges if b.strip()))
        ids = await draw_queries.inspector_ids(chosen)
        members = await task_queries.all_members(task_id)
        by_inspector = {m["inspector"]: m for m in members}
        added: list[int] = []
        for order, badge in enumerate(chosen):
            member = by_inspector.get(ids[badge])
            if member is None:
                await task_queries.add_member(task_id, ids[badge], task["department"], order)
                added.append(ids[badge])
            elif not member["active"]:
                await task_queries.reactivate_member(member["id"], order)
                added.append(ids[badge])
        wanted = set(ids.values())
        removed = [m for m in members if m["active"] and m["inspector"] not in wanted]
        for member in removed:
            await task_queries.deactivate_member(
                member["id"], f"定向检查组调整（{principal.username}）"
            )
        kept = [i for i in wanted if i not in added]
        if added:
            await changes.record(task_id, added, "assigned")
        if removed:
            await changes.record(task_id, [m["inspector"] for m in removed], "removed")
        if kept and (added or removed):
            await changes.record(task_id, kept, "updated")
        await audit.append(
            actor=principal.username,
            action="directed_task.team",
            entity="task",
            entity_id=str(task_id),
            change={"team": chosen, "removed": [m["badge_no"] for m in removed]},
        )
    return {"task_id": task_id, "department": department, "team": chosen}
