"""Tasks for field-sync tests, inserted directly (the draw area makes them in production)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from server.draws.tables import Draw
from server.plans.tables import Plan
from server.rosters.tables import InspectionItem, InspectionObject, Inspector
from server.tasks import changes
from server.tasks.tables import Task, TaskInspector, TaskItem
from tests.server import factories

_serial = itertools.count(1)

CHECKLIST = [
    {
        "id": "q1",
        "type": "yes_no",
        "label": {"zh": "亮照经营", "en": "Licence shown"},
        "required": True,
    },
    {
        "id": "q2",
        "type": "number",
        "label": {"zh": "温度", "en": "Temperature"},
        "required": False,
        "min": -30,
        "max": 60,
    },
    {
        "id": "q3",
        "type": "photo",
        "label": {"zh": "现场照片", "en": "Site photo"},
        "required": False,
    },
]


@dataclass
class FieldTask:
    task_id: int
    departments: dict[str, int]
    items: dict[str, str] = field(default_factory=dict)
    """Item code → department code."""
    inspectors: dict[str, int] = field(default_factory=dict)
    """Badge → inspector id."""
    users: dict[str, str] = field(default_factory=dict)
    """Badge → user name of the inspector's account."""


async def inspector(badge: str, department_code: str) -> tuple[int, str]:
    """An inspector on the roster with an inspector account; (inspector id, user name)."""
    department_id = await factories.department(department_code, f"部门{department_code}")
    rows = await Inspector.insert(
        Inspector(badge_no=badge, name=f"检查员{badge}", department=department_id)
    ).returning(Inspector.id)
    inspector_id = rows[0]["id"]
    username = f"insp-{badge}"
    await factories.user("inspector", username, department_code, inspector_id=inspector_id)
    return inspector_id, username


async def field_task(
    team: dict[str, str] | None = None,
    items: dict[str, str] | None = None,
    checklist: list[dict[str, Any]] | None = None,
) -> FieldTask:
    """A task with `team` (badge → department) and `items` (item code → department).

    Defaults: two SCJG inspectors and one SCJG item, plus one item of a second
    department (HBJ) with its own inspector, as on a joint inspection.
    """
    team = team or {"S1": "SCJG", "S2": "SCJG", "H1": "HBJ"}
    items = items or {"SC-01": "SCJG", "HB-01": "HBJ"}
    n = next(_serial)
    departments = {
        code: await factories.department(code, f"部门{code}")
        for code in sorted({*team.values(), *items.values()})
    }
    now = datetime.now(UTC)
    lead = next(iter(departments.values()))
    plan = await Plan.insert(
        Plan(
            code=f"P-{n}",
            name=f"计划{n}",
            year=2026,
            lead_department=lead,
            status="drawn",
            window_start=date(2026, 1, 1),
            window_end=date(2026, 12, 31),
            created_at=now,
            updated_at=now,
        )
    ).returning(Plan.id)
    draw = await Draw.insert(
        Draw(
            public_id=f"D-{n}",
            plan=plan[0]["id"],
            status="sealed",
            commitment="0" * 64,
            server_secret="1" * 64,
            scheduled_at=now,
        )
    ).returning(Draw.id)
    obj = await InspectionObject.insert(
        InspectionObject(
            credit_code=factories.credit_code(n),
            name=f"企业{n}",
            region="230302",
            address="鸡冠区1号",
            industry_code="5211",
            risk_class="B",
            updated_at=now,
        )
    ).returning(InspectionObject.id)
    task = await Task.insert(
        Task(
            draw=draw[0]["id"],
            object=obj[0]["id"],
            due_date=date(2026, 12, 31),
            updated_at=now,
        )
    ).returning(Task.id)
    task_id = task[0]["id"]
    result = FieldTask(task_id=task_id, departments=departments, items=dict(items))
    for code, department in items.items():
        existing = (
            await InspectionItem.select(InspectionItem.id)
            .where(InspectionItem.code == code)
            .first()
        )
        if existing is None:
            rows = await InspectionItem.insert(
                InspectionItem(
                    department=departments[department],
                    code=code,
                    name=f"事项{code}",
                    legal_basis="《条例》第1条",
                    checklist=CHECKLIST if checklist is None else checklist,
                )
            ).returning(InspectionItem.id)
            item_id = rows[0]["id"]
        else:
            item_id = existing["id"]
        await TaskItem.insert(
            TaskItem(task=task_id, item=item_id, department=departments[department])
        )
    for order, (badge, department) in enumerate(team.items()):
        known = await Inspector.select(Inspector.id).where(Inspector.badge_no == badge).first()
        if known is None:
            inspector_id, username = await inspector(badge, department)
        else:
            inspector_id, username = known["id"], f"insp-{badge}"
        result.inspectors[badge] = inspector_id
        result.users[badge] = username
        await TaskInspector.insert(
            TaskInspector(
                task=task_id,
                inspector=inspector_id,
                department=departments[department],
                pick_order=order,
            )
        )
    await changes.record(task_id, result.inspectors.values(), "assigned")
    return result


async def take_off(task: FieldTask, badge: str, reason: str = "回避") -> None:
    """Take an inspector off the task, as the draw area does (with its feed entry)."""
    inspector_id = task.inspectors[badge]
    await TaskInspector.update(
        {TaskInspector.active: False, TaskInspector.removed_reason: reason}
    ).where((TaskInspector.task == task.task_id) & (TaskInspector.inspector == inspector_id))
    await changes.record(task.task_id, [inspector_id], "removed")
