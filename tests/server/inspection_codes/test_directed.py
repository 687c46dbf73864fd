"""Directed tasks: made by a team lead, non-random on the check page; bad input changes nothing."""

from __future__ import annotations

from typing import Any

from server.inspection_codes import service
from server.inspection_codes.tables import DirectedTask, InspectionCode
from server.tasks.tables import Task
from tests.server import factories
from tests.server.draws import world


def directed_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "object_id": world.credit_code(1),
        "reason_category": "complaint",
        "reference_no": "TS-2026-0815",
        "department": "SCJG",
        "items": ["SC-SP-01"],
        "window_start": "2026-11-01",
        "window_end": "2026-12-15",
    }
    body.update(overrides)
    return body


async def create_directed(client: Any) -> tuple[dict[str, Any], dict[str, str]]:
    await world.build(objects_per_class=2)
    lead = await factories.login_as(client, "team_lead", "SCJG")
    made = await client.post("/api/v1/directed-tasks/", json=directed_body(), headers=lead)
    assert made.status_code == 201, made.text
    return made.json(), lead


async def test_a_directed_task_shows_its_reason_category_never_the_case(client) -> None:
    made, lead = await create_directed(client)
    assert made["kind"] == "directed" and made["code"].startswith("2026-SCJG-")
    code = await client.get(f"/api/v1/tasks/{made['task_id']}/inspection-code/", headers=lead)
    assert code.status_code == 200 and code.json()["kind"] == "directed"
    url = code.json()["url"]
    page = await client.get(url[url.index("/check/") :])
    assert page.status_code == 200, page.text
    assert "定向检查（非随机）" in page.text and "投诉举报" in page.text
    assert "TS-2026-0815" not in page.text and "为什么抽中" not in page.text
    assert "定向检查不属于随机抽查计划" in page.text


async def test_bad_directed_tasks_are_refused_and_change_nothing(client) -> None:
    _, lead = await create_directed(client)
    before = (await Task.count(), await DirectedTask.count(), await InspectionCode.count())
    bad = [
        {"reason_category": "revenge"},
        {"reference_no": ""},
        {"object_id": "91230300000000000X"},
        {"items": []},
        {"items": ["WS-GG-01"]},
        {"window_start": "2026-13-01"},
        {"window_end": "2026-10-01"},
        {"window_end": "2027-06-01"},
        {"department": "NOPE"},
    ]
    for change in bad:
        answer = await client.post(
            "/api/v1/directed-tasks/", json=directed_body(**change), headers=lead
        )
        assert answer.status_code == 422, (change, answer.text)
        assert answer.json()["code"] == "directed_task.invalid"
    # A NUL never reaches the service: the HTTP edge refuses it first.
    nul = await client.post(
        "/api/v1/directed-tasks/", json=directed_body(reference_no="A\x00B"), headers=lead
    )
    assert nul.status_code == 400 and nul.json()["code"] == "request.invalid"
    other = await client.post(
        "/api/v1/directed-tasks/", json=directed_body(department="WSJK"), headers=lead
    )
    assert other.status_code == 403
    inspector = await factories.login_as(client, "inspector", "SCJG", device_id="tablet-9")
    forbidden = await client.post(
        "/api/v1/directed-tasks/", json=directed_body(), headers=inspector
    )
    assert forbidden.status_code == 403
    assert (await Task.count(), await DirectedTask.count(), await InspectionCode.count()) == before


async def test_directed_tasks_are_exempt_from_the_cap_but_counted(client) -> None:
    _, lead = await create_directed(client)
    admin = await factories.login_as(client, "admin", "SCJG", device_id="admin-pc")
    assert (await client.put("/api/v1/annual-caps/23", json={"cap": 1}, headers=admin)).is_success
    # A second directed task for the same business is still allowed (exempt) …
    again = await client.post(
        "/api/v1/directed-tasks/", json=directed_body(reference_no="ZB-7"), headers=lead
    )
    assert again.status_code == 201, again.text
    # … and both count: the business is at its cap for the year's random draws.
    counted = await service.objects_at_cap(2026, [(world.credit_code(1), "230302")])
    assert counted == {world.credit_code(1)}
    assert await service.objects_at_cap(2027, [(world.credit_code(1), "230302")]) == set()
