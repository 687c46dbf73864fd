"""Notifications: what the scheduled jobs send, and what users read.

Every notification has a `dedupe_key` naming its occasion (a task's deadline,
a month, a year) and its recipient; the key is unique, so a job that runs
again — after a restart, or in a second process — adds nothing. Delivery
through the channel is a separate pass over undelivered rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from server.accounts.principal import Principal
from server.calendar import queries as calendar_queries
from server.calendar import service as calendar
from server.db.transaction import write_transaction
from server.http.paging import Page, clamp_limit, page_of
from server.notifications import channels, queries
from server.notifications.schemas import NotificationOut
from shared.deadlines import reminder_due
from shared.errors import NOT_FOUND, SuichaError

DELIVERY_BATCH = 500


def today() -> date:
    return datetime.now(calendar.CHINA).date()


async def _send(rows: list[dict[str, Any]]) -> int:
    async with write_transaction():
        return await queries.insert_new(rows)


def _row(
    user: dict[str, Any], kind: str, title: str, body: str, key: str, task: int | None
) -> dict[str, Any]:
    return {
        "user": user["id"],
        "kind": kind,
        "title": title,
        "body": body,
        "task": task,
        "dedupe_key": f"{key}:{user['id']}",
        "created_at": datetime.now(UTC),
    }


async def deadline_reminders(on: date | None = None) -> int:
    """Remind back-office staff of each unpublished task whose deadline is near (公示期限提醒)."""
    on = on or today()
    work = await calendar.load_calendar()
    default, rules = await calendar.rules()
    rows = []
    for deadline in await calendar_queries.open_deadlines():
        rule = rules.get(deadline["department"], default)
        if not reminder_due(on, deadline["deadline"], rule.reminder_days, work):
            continue
        provisional = "（暂定，该年节假日尚未录入）" if deadline["provisional"] else ""
        for user in await queries.users_with_role("back_office", [deadline["department"]]):
            rows.append(
                _row(
                    user,
                    "deadline_reminder",
                    f"检查任务{deadline['task']}须于{deadline['deadline']}前公示",
                    f"该任务于{deadline['completed_on']}完成检查，公示期限为"
                    f"{deadline['deadline']}{provisional}，请及时审核并公示。",
                    f"reminder:{deadline['task']}:{deadline['deadline']}",
                    deadline["task"],
                )
            )
    return await _send(rows)


async def overdue_escalation(on: date | None = None) -> int:
    """Tell team leads of every task whose deadline has passed unpublished (逾期未公示)."""
    on = on or today()
    rows = []
    for deadline in await calendar_queries.open_deadlines():
        if deadline["deadline"] >= on:
            continue
        for user in await queries.users_with_role("team_lead", [deadline["department"]]):
            rows.append(
                _row(
                    user,
                    "overdue",
                    f"检查任务{deadline['task']}已逾期未公示",
                    f"公示期限{deadline['deadline']}已过，结果仍未公示；"
                    "未依法及时公示抽查检查结果将被追责，请督促处理。",
                    f"overdue:{deadline['task']}:{deadline['deadline']}",
                    deadline["task"],
                )
            )
    return await _send(rows)


async def monthly_report(on: date | None = None) -> int:
    """On the 1st: the monthly report (月报表) is due before the 5th."""
    on = on or today()
    rows = [
        _row(
            user,
            "monthly_report",
            f"{on.year}年{on.month}月5日前报送上月月报表",
            "请汇总上月各抽查事项的抽查比例、抽取、检查、发现问题、处置和公示情况。",
            f"monthly:{on:%Y-%m}",
            None,
        )
        for user in await queries.users_with_role("back_office", None)
    ]
    return await _send(rows)


async def annual_plan(on: date | None = None) -> int:
    """On 10 March: the year's inspection plans are due (seed 000)."""
    on = on or today()
    rows = [
        _row(
            user,
            "annual_plan",
            f"{on.year}年度抽查计划应于3月10日前制定并公示",
            "请确认本部门年度双随机抽查计划已制定、审批并向社会公示。",
            f"plan:{on.year}",
            None,
        )
        for user in await queries.users_with_role("team_lead", None)
    ]
    return await _send(rows)


async def deliver_pending() -> int:
    """Hand undelivered notifications to the channel; each is marked after its delivery."""
    delivered = 0
    for row in await queries.undelivered(DELIVERY_BATCH):
        try:
            channels.channel().deliver(row, row["username"])
        except Exception:  # a channel failure leaves the row for the next pass
            continue
        async with write_transaction():
            await queries.mark_delivered(row["id"], datetime.now(UTC))
        delivered += 1
    return delivered


async def my_notifications(
    principal: Principal, unread: bool, limit: int, offset: int
) -> Page[NotificationOut]:
    limit = clamp_limit(limit)
    rows, total = await queries.of_user(principal.user_id, unread, limit, offset)
    return page_of(
        [
            NotificationOut(
                id=r["id"],
                kind=r["kind"],
                title=r["title"],
                body=r["body"],
                task=r["task"],
                created_at=r["created_at"],
                read_at=r["read_at"],
            )
            for r in rows
        ],
        total,
        limit,
        offset,
    )


async def read(principal: Principal, notification_id: int) -> None:
    async with write_transaction():
        if not await queries.mark_read(principal.user_id, notification_id, datetime.now(UTC)):
            raise SuichaError(
                NOT_FOUND,
                what=f"提醒{notification_id}",
                what_en=f"Notification {notification_id}",
            )
