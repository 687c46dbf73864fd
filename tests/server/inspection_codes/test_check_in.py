"""扫码入企 on the server: arrival sent at once, or late after an outage (flagged)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.inspection_codes.tables import CheckIn
from server.tasks.tables import Task, TaskInspector
from tests.server import factories
from tests.server.inspection_codes.helpers import drawn_task_code


async def _on_team(client) -> tuple[dict, dict[str, str], str]:
    _, code, _ = await drawn_task_code(client)
    headers = await factories.login_as(client, "inspector", "SCJG", device_id="tablet-7")
    me = (await client.get("/api/v1/auth/me", headers=headers)).json()
    department = (
        await TaskInspector.select(TaskInspector.department)
        .where(TaskInspector.task == code["task_id"])
        .first()
    )
    await TaskInspector.insert(
        TaskInspector(
            task=code["task_id"],
            inspector=me["inspector_id"],
            department=department["department"],
            pick_order=9,
        )
    )
    task = (
        await Task.select(Task.object.credit_code.as_alias("credit_code"))
        .where(Task.id == code["task_id"])
        .first()
    )
    return code, headers, task["credit_code"]


async def test_offline_check_in_synced_later_is_flagged_past_the_grace_period(client) -> None:
    code, headers, business = await _on_team(client)
    url = f"/api/v1/field/tasks/{code['task_id']}/check-in/"
    now = datetime.now(UTC)
    on_time = await client.post(
        url,
        json={
            "credit_code": business,
            "at": (now - timedelta(days=9)).isoformat(),
            "latitude": 45.7,
            "longitude": 126.6,
        },
        headers=headers,
    )
    assert on_time.status_code == 201, on_time.text
    assert on_time.json()["late"] is False
    late = await client.post(
        url,
        json={"credit_code": business, "at": (now - timedelta(days=11)).isoformat()},
        headers=headers,
    )
    assert late.status_code == 201 and late.json()["late"] is True
    rows = await CheckIn.select(CheckIn.late).order_by(CheckIn.id)
    assert [r["late"] for r in rows] == [False, True]


async def test_bad_check_ins_are_refused_and_change_nothing(client) -> None:
    code, headers, business = await _on_team(client)
    url = f"/api/v1/field/tasks/{code['task_id']}/check-in/"
    now = datetime.now(UTC).isoformat()
    wrong = await client.post(
        url, json={"credit_code": "91230300000000000X", "at": now}, headers=headers
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "check_in.wrong_business"
    assert "不符" in wrong.json()["detail"]["zh"]
    for body in (
        {"credit_code": business, "at": "yesterday"},
        {"credit_code": business, "at": "2026-11-30T09:00:00"},
        {"credit_code": business, "at": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
        {"credit_code": business, "at": now, "latitude": 91.0},
    ):
        answer = await client.post(url, json=body, headers=headers)
        assert answer.status_code == 422 and answer.json()["code"] == "check_in.invalid", body
    stranger = await factories.login_as(client, "inspector", "WSJK", device_id="tablet-8")
    other = await client.post(url, json={"credit_code": business, "at": now}, headers=stranger)
    assert other.status_code == 404
    assert await CheckIn.count() == 0


async def test_the_same_arrival_sent_twice_is_stored_once(client) -> None:
    code, headers, business = await _on_team(client)
    url = f"/api/v1/field/tasks/{code['task_id']}/check-in/"
    arrived = (datetime.now(UTC) - timedelta(days=12)).astimezone().isoformat()
    body = {"credit_code": business, "at": arrived, "latitude": None, "longitude": None}
    first = await client.post(url, json=body, headers=headers)
    again = await client.post(url, json=body, headers=headers)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert first.json() == again.json() and first.json()["late"] is True
    rows = await CheckIn.select(CheckIn.latitude, CheckIn.late).where(
        CheckIn.task == code["task_id"]
    )
    assert rows == [{"latitude": None, "late": True}]
