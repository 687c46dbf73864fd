"""The calendar table, deadlines of completed tasks, and their recomputation (API and CLI)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import date

import httpx
import pytest

from server.audit.tables import AuditEntry
from server.calendar.tables import CalendarDay, CalendarYear, TaskDeadline
from server.tasks.tables import Task
from tests.server import factories
from tests.server.publication.flow import completed_task

API = "/api/v1"


async def deadline_of(task_id: int) -> dict:
    row = await TaskDeadline.select().where(TaskDeadline.task == task_id).first()
    assert row is not None
    return row


async def test_seeded_from_the_library_for_2004_to_2026(db: None) -> None:
    years = {row["year"] for row in await CalendarYear.select(CalendarYear.year)}
    assert years == set(range(2004, 2027))
    days = {
        row["day"]: row["kind"]
        for row in await CalendarDay.select().where(CalendarDay.day >= date(2026, 9, 1))
    }
    assert days[date(2026, 10, 10)] == "workday"
    assert days[date(2026, 10, 5)] == "holiday"
    assert days[date(2026, 9, 25)] == "holiday"
    assert date(2026, 10, 3) not in days  # a Saturday off is no exception


async def test_submission_sets_the_deadline_across_national_day(client: httpx.AsyncClient) -> None:
    done = await completed_task(client, completed_at="2026-09-24T16:00:00+08:00")
    row = await deadline_of(done.task.task_id)
    assert row["completed_on"] == date(2026, 9, 24)
    assert row["deadline"] == date(2026, 10, 15)
    assert not row["provisional"]


async def test_completion_day_is_china_time(client: httpx.AsyncClient) -> None:
    # 20:00 UTC on 23 Sep is 04:00 on 24 Sep in Beijing (a UTC day would give 14 Oct).
    done = await completed_task(client, completed_at="2026-09-23T20:00:00Z")
    row = await deadline_of(done.task.task_id)
    assert row["completed_on"] == date(2026, 9, 24)
    assert row["deadline"] == date(2026, 10, 15)


async def test_late_december_2026_is_provisional_until_2027_is_filled(
    client: httpx.AsyncClient,
) -> None:
    done = await completed_task(client, completed_at="2026-12-24T17:00:00+08:00")
    task_id = done.task.task_id
    row = await deadline_of(task_id)
    assert (row["deadline"], row["provisional"]) == (date(2027, 1, 7), True)
    version = (await Task.select(Task.version).where(Task.id == task_id).first())["version"]

    admin = await factories.login_as(client, "admin", None)
    response = await client.put(
        f"{API}/calendar/days/2027-01-01", json={"kind": "holiday", "name": "元旦"}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert response.json()["moved"] == [
        {
            "task": task_id,
            "before": "2027-01-07",
            "after": "2027-01-08",
            "provisional_before": True,
            "provisional_after": True,
        }
    ]
    row = await deadline_of(task_id)
    assert (row["deadline"], row["provisional"]) == (date(2027, 1, 8), True)
    # The team's devices are told: the task's version moved on.
    after = (await Task.select(Task.version).where(Task.id == task_id).first())["version"]
    assert after == version + 1
    entry = await AuditEntry.select().where(AuditEntry.action == "calendar.day.mark").first()
    assert entry is not None and entry["entity_id"] == "2027-01-01"

    response = await client.post(f"{API}/calendar/years/2027/complete", headers=admin)
    assert response.status_code == 200, response.text
    row = await deadline_of(task_id)
    assert (row["deadline"], row["provisional"]) == (date(2027, 1, 8), False)
    again = await client.post(f"{API}/calendar/years/2027/complete", headers=admin)
    assert again.status_code == 409
    assert again.json()["code"] == "calendar.year_complete"


async def test_a_day_outside_every_span_moves_nothing(client: httpx.AsyncClient) -> None:
    done = await completed_task(client, completed_at="2026-11-02T10:00:00+08:00")
    before = await deadline_of(done.task.task_id)
    admin = await factories.login_as(client, "admin", None)
    response = await client.put(
        f"{API}/calendar/days/2027-03-01", json={"kind": "holiday"}, headers=admin
    )
    assert response.status_code == 200
    assert response.json()["moved"] == []
    assert await deadline_of(done.task.task_id) == before


@pytest.mark.parametrize(
    ("day", "body", "status", "code"),
    [
        ("2027-01-02", {"kind": "holiday"}, 422, "calendar.no_effect"),
        ("2027-01-04", {"kind": "workday"}, 422, "calendar.no_effect"),
        ("2027-01-04", {"kind": "vacation"}, 422, "calendar.unknown_kind"),
        ("1999-01-04", {"kind": "holiday"}, 422, "calendar.year_out_of_range"),
        ("2027-01-04", {"kind": "holiday", "name": "节" * 61}, 422, "calendar.name_too_long"),
        ("2027-02-30", {"kind": "holiday"}, 422, "calendar.bad_date"),
    ],
)
async def test_bad_marks_are_refused_and_change_nothing(
    client: httpx.AsyncClient, day: str, body: dict, status: int, code: str | None
) -> None:
    admin = await factories.login_as(client, "admin", None)
    count = await CalendarDay.count()
    response = await client.put(f"{API}/calendar/days/{day}", json=body, headers=admin)
    assert response.status_code == status, response.text
    if code:
        detail = response.json()
        assert detail["code"] == code
        assert detail["detail"]["zh"] and detail["detail"]["en"]
    assert await CalendarDay.count() == count


async def test_only_admins_edit_the_calendar(client: httpx.AsyncClient) -> None:
    for role in ("team_lead", "back_office", "observer", "inspector"):
        headers = await factories.login_as(client, role)
        response = await client.put(
            f"{API}/calendar/days/2027-01-01", json={"kind": "holiday"}, headers=headers
        )
        assert response.status_code == 403, role
    assert await CalendarDay.count().where(CalendarDay.day == date(2027, 1, 1)) == 0
    staff = await factories.login_as(client, "back_office")
    listed = await client.get(f"{API}/calendar/days", params={"year": 2026}, headers=staff)
    assert listed.status_code == 200
    assert {
        "day": "2026-10-10",
        "kind": "workday",
        "name": "国庆节调休上班",
        "source": "chinesecalendar",
    } in listed.json()


async def test_a_department_rule_recomputes_its_deadlines(client: httpx.AsyncClient) -> None:
    done = await completed_task(client, completed_at="2026-09-24T16:00:00+08:00")
    admin = await factories.login_as(client, "admin", None)
    lead = next(iter(done.task.departments))  # the plan's lead department
    response = await client.put(
        f"{API}/deadline-rules/{lead}",
        json={"days": 20, "working_days": True, "reminder_days": 5},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    assert (await deadline_of(done.task.task_id))["deadline"] == date(2026, 10, 29)
    response = await client.put(
        f"{API}/deadline-rules/{lead}", json={"days": 20, "working_days": False}, headers=admin
    )
    assert (await deadline_of(done.task.task_id))["deadline"] == date(2026, 10, 14)
    bad = await client.put(f"{API}/deadline-rules/{lead}", json={"days": 0}, headers=admin)
    assert bad.status_code == 422 and bad.json()["code"] == "deadline.rule_out_of_range"
    unknown = await client.put(f"{API}/deadline-rules/NOPE", json={"days": 5}, headers=admin)
    assert unknown.status_code == 404
    assert (await deadline_of(done.task.task_id))["deadline"] == date(2026, 10, 14)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args, "--db", os.environ["SUICHA_DATABASE_URL"]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_cli_deadline_and_mark(db: None) -> None:
    run = await asyncio.to_thread(_cli, "deadline", "2026-09-24")
    assert run.stdout.strip() == "2026-10-15", run.stderr
    run = await asyncio.to_thread(_cli, "deadline", "2026-02-12")
    assert run.stdout.strip() == "2026-03-04"
    run = await asyncio.to_thread(_cli, "deadline", "2026-12-24")
    assert run.stdout.strip() == "2027-01-07 provisional"
    run = await asyncio.to_thread(_cli, "calendar", "mark", "2027-01-01", "holiday")
    assert run.returncode == 0, run.stderr
    run = await asyncio.to_thread(_cli, "deadline", "2026-12-24")
    assert run.stdout.strip() == "2027-01-08 provisional"
    run = await asyncio.to_thread(_cli, "deadline", "2026-12-24", "--days", "3")
    assert run.stdout.strip() == "2026-12-29"
    run = await asyncio.to_thread(_cli, "calendar", "mark", "2027-01-02", "holiday")
    assert run.returncode == 1 and "星期六" in run.stderr
    run = await asyncio.to_thread(_cli, "deadline", "2026-02-30")
    assert run.returncode == 2


async def test_the_staff_task_list_shows_the_deadline(client: httpx.AsyncClient) -> None:
    done = await completed_task(client, completed_at="2026-12-24T17:00:00+08:00")
    admin = await factories.login_as(client, "admin", None)
    listed = await client.get(f"{API}/tasks", headers=admin)
    [task] = [t for t in listed.json()["items"] if t["id"] == done.task.task_id]
    assert task["publication_deadline"] == "2027-01-07"
    assert task["deadline_provisional"] is True
