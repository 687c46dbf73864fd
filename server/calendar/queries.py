"""Every query of the calendar area."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from server.calendar.tables import CalendarDay, CalendarYear, DeadlineSetting, TaskDeadline
from server.rosters.tables import Department
from server.tasks.tables import Task


async def calendar_days(year: int | None = None) -> list[dict[str, Any]]:
    query = CalendarDay.select().order_by(CalendarDay.day)
    if year is not None:
        query = query.where(
            (CalendarDay.day >= date(year, 1, 1)) & (CalendarDay.day <= date(year, 12, 31))
        )
    return await query


async def known_years() -> list[int]:
    return [row["year"] for row in await CalendarYear.select(CalendarYear.year)]


async def calendar_years() -> list[dict[str, Any]]:
    return await CalendarYear.select().order_by(CalendarYear.year)


async def day_row(day: date) -> dict[str, Any] | None:
    return await CalendarDay.select().where(CalendarDay.day == day).first()


async def upsert_day(day: date, kind: str, name: str, actor: str, now: datetime) -> None:
    if await day_row(day) is None:
        await CalendarDay.insert(
            CalendarDay(
                day=day, kind=kind, name=name, source="admin", updated_at=now, updated_by=actor
            )
        )
    else:
        await CalendarDay.update(
            {
                CalendarDay.kind: kind,
                CalendarDay.name: name,
                CalendarDay.source: "admin",
                CalendarDay.updated_at: now,
                CalendarDay.updated_by: actor,
            }
        ).where(CalendarDay.day == day)


async def delete_day(day: date) -> None:
    await CalendarDay.delete().where(CalendarDay.day == day)


async def insert_year(year: int, actor: str, now: datetime) -> None:
    await CalendarYear.insert(
        CalendarYear(year=year, source="admin", completed_at=now, completed_by=actor)
    )


async def settings() -> list[dict[str, Any]]:
    return await DeadlineSetting.select(
        DeadlineSetting.all_columns(),
        DeadlineSetting.department.code.as_alias("department_code"),
    ).order_by(DeadlineSetting.id)


async def setting_of(department_id: int | None) -> dict[str, Any] | None:
    condition = (
        DeadlineSetting.department.is_null()
        if department_id is None
        else DeadlineSetting.department == department_id
    )
    return await DeadlineSetting.select().where(condition).first()


async def save_setting(department_id: int | None, values: dict[str, Any]) -> None:
    if await setting_of(department_id) is None:
        await DeadlineSetting.insert(DeadlineSetting(department=department_id, **values))
        return
    condition = (
        DeadlineSetting.department.is_null()
        if department_id is None
        else DeadlineSetting.department == department_id
    )
    await DeadlineSetting.update(values).where(condition)


async def department_id(code: str) -> int | None:
    row = await Department.select(Department.id).where(Department.code == code).first()
    return row["id"] if row else None


async def completed_tasks(task_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Task id, device completion time and jurisdiction (the plan's lead department)."""
    ids = list(task_ids)
    if not ids:
        return []
    return await Task.select(
        Task.id,
        Task.completed_at_device,
        Task.draw.plan.lead_department.as_alias("department"),
    ).where(Task.id.is_in(ids) & Task.completed_at_device.is_not_null())


async def completed_without_deadline(limit: int) -> list[int]:
    """Completed tasks that have no deadline row yet (a sweep repairs any gap)."""
    rows = await Task.raw(
        "SELECT t.id FROM task t LEFT JOIN task_deadline d ON d.task = t.id "
        "WHERE t.completed_at_device IS NOT NULL AND d.id IS NULL ORDER BY t.id LIMIT {}",
        limit,
    )
    return [row["id"] for row in rows]


async def deadlines_of(task_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = list(task_ids)
    if not ids:
        return {}
    rows = await TaskDeadline.select().where(TaskDeadline.task.is_in(ids))
    return {row["task"]: row for row in rows}


async def open_deadlines(
    *,
    spanning: date | None = None,
    provisional: bool | None = None,
    department_id: int | None = None,
) -> list[dict[str, Any]]:
    """Deadlines not yet settled by publication, narrowed to those a change can move."""
    condition = TaskDeadline.published_on.is_null()
    if spanning is not None:
        condition &= (TaskDeadline.completed_on < spanning) & (TaskDeadline.deadline >= spanning)
    if provisional is not None:
        condition &= TaskDeadline.provisional == provisional
    if department_id is not None:
        condition &= TaskDeadline.department == department_id
    return await TaskDeadline.select().where(condition)


async def insert_deadline(values: dict[str, Any]) -> None:
    await TaskDeadline.insert(TaskDeadline(**values))


async def update_deadline(task_id: int, values: dict[str, Any]) -> None:
    await TaskDeadline.update(values).where(TaskDeadline.task == task_id)


async def settle_deadline(task_id: int, published_on: date) -> None:
    await TaskDeadline.update({TaskDeadline.published_on: published_on}).where(
        (TaskDeadline.task == task_id) & TaskDeadline.published_on.is_null()
    )
