"""Reminders, escalation and the monthly and plan reminders: each sent once, read via the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from server.notifications import channels, service
from server.notifications.tables import Notification
from tests.server import factories
from tests.server.publication.flow import completed_task

API = "/api/v1"


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def deliver(self, notification: dict[str, Any], recipient: str) -> None:
        self.sent.append((notification["dedupe_key"], recipient))


async def test_reminder_escalation_once_each(client: httpx.AsyncClient) -> None:
    # Completed Fri 20 Nov 2026: deadline Fri 4 Dec (10 working days), reminder 3 days before.
    done = await completed_task(client, completed_at="2026-11-20T11:00:00+08:00")
    # The plan's lead department (the jurisdiction) is HBJ in the test factory.
    back = await factories.login_as(client, "back_office", "HBJ")
    await factories.login_as(client, "team_lead", "HBJ")
    await factories.login_as(client, "back_office", "JTJ")  # another department: not told

    assert await service.deadline_reminders(on=date(2026, 11, 30)) == 0  # 4 working days left
    assert await service.deadline_reminders(on=date(2026, 12, 1)) == 1
    assert await service.deadline_reminders(on=date(2026, 12, 2)) == 0  # already sent
    assert await service.overdue_escalation(on=date(2026, 12, 4)) == 0  # last day: not late
    assert await service.overdue_escalation(on=date(2026, 12, 7)) == 1
    assert await service.overdue_escalation(on=date(2026, 12, 8)) == 0

    recorder = Recorder()
    channels.use_channel(recorder)
    try:
        assert await service.deliver_pending() == 2
        assert await service.deliver_pending() == 0
    finally:
        channels.use_channel(channels.LoggingChannel())
    assert sorted(recipient for _, recipient in recorder.sent) == [
        "back_office-HBJ",
        "team_lead-HBJ",
    ]

    listed = await client.get(f"{API}/notifications/", headers=back)
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["kind"] == "deadline_reminder" and item["task"] == done.task.task_id
    assert "2026-12-04" in item["title"]
    read = await client.post(f"{API}/notifications/{item['id']}/read", headers=back)
    assert read.status_code == 204
    unread = await client.get(f"{API}/notifications/", params={"unread": True}, headers=back)
    assert unread.json()["items"] == []
    lead = await factories.login_as(client, "team_lead", "HBJ")
    foreign = await client.post(f"{API}/notifications/{item['id']}/read", headers=lead)
    assert foreign.status_code == 404
    inspector = done.headers["S1"]
    assert (await client.get(f"{API}/notifications/", headers=inspector)).status_code == 403


async def test_a_published_task_gets_no_reminder(client: httpx.AsyncClient) -> None:
    from tests.server.portal.published import publish_task

    await publish_task(client, "已公示企业有限公司")
    await factories.login_as(client, "back_office", "HBJ")
    await factories.login_as(client, "team_lead", "HBJ")
    assert await service.deadline_reminders(on=date(2026, 12, 1)) == 0
    assert await service.overdue_escalation(on=date(2026, 12, 7)) == 0


async def test_monthly_and_plan_reminders_once_per_period(db: None) -> None:
    await factories.user("back_office", "clerk", "SCJG")
    await factories.user("team_lead", "chief", "SCJG")
    assert await service.monthly_report(on=date(2026, 12, 1)) == 1
    assert await service.monthly_report(on=date(2026, 12, 1)) == 0
    assert await service.monthly_report(on=date(2027, 1, 1)) == 1
    assert await service.annual_plan(on=date(2027, 3, 10)) == 1
    assert await service.annual_plan(on=date(2027, 3, 10)) == 0
    assert await Notification.count() == 3
