"""A directed task end to end over HTTP: created, its team assigned, in the field feed,
recorded, reviewed, published and marked 定向 on the public record; bad teams refused."""

from __future__ import annotations

from typing import Any

import httpx

from server.audit.tables import AuditEntry
from server.rosters.tables import Inspector
from server.tasks.tables import TaskChange, TaskInspector
from tests.server import factories
from tests.server.draws import world
from tests.server.field import calls
from tests.server.inspection_codes.test_directed import create_directed
from tests.server.workspace.http import web_login

API = "/api/v1"


async def inspector_login(client: httpx.AsyncClient, badge: str, inspector_id: int) -> Any:
    username = f"insp-{badge}"
    await factories.user("inspector", username, "SCJG", inspector_id=inspector_id)
    return await factories.login(client, username, f"tablet-{badge}")


async def assign(client: httpx.AsyncClient, headers: Any, task_id: int, badges: list[str]) -> Any:
    return await client.put(f"{API}/tasks/{task_id}/team", json={"badges": badges}, headers=headers)


async def test_directed_task_from_creation_to_the_public_record(client: httpx.AsyncClient) -> None:
    made, lead = await create_directed(client)
    task_id = made["task_id"]
    ids = {r["badge_no"]: r["id"] for r in await Inspector.select(Inspector.id, Inspector.badge_no)}
    s1 = await inspector_login(client, "SC-001", ids["SC-001"])
    s2 = await inspector_login(client, "SC-002", ids["SC-002"])
    s3 = await inspector_login(client, "SC-003", ids["SC-003"])
    # Before a team, nobody's feed has it.
    assert (await client.get(f"{API}/field/tasks", headers=s1)).json()["tasks"] == []

    assigned = await assign(client, lead, task_id, ["SC-001", "SC-003"])
    assert assigned.status_code == 200, assigned.text
    assert assigned.json() == {
        "task_id": task_id,
        "department": "SCJG",
        "team": ["SC-001", "SC-003"],
    }
    # The lead replaces SC-003 with SC-002 while the task is open: SC-003's device is told.
    again = await assign(client, lead, task_id, ["SC-001", "SC-002"])
    assert again.status_code == 200, again.text
    feed3 = (await client.get(f"{API}/field/tasks", headers=s3)).json()
    assert feed3["tasks"] == [] and feed3["removed"] == [task_id]

    # The staff list declares the missing draw and plan, and the kind.
    listed = await client.get(f"{API}/tasks/", headers=lead)
    assert listed.status_code == 200, listed.text
    [row] = [t for t in listed.json()["items"] if t["id"] == task_id]
    assert row["draw_id"] is None and row["plan_id"] is None
    assert row["kind"] == "directed" and row["reason_category"] == "complaint"
    assert [m["badge_no"] for m in row["team"] if m["active"]] == ["SC-001", "SC-002"]

    feed = await client.get(f"{API}/field/tasks", headers=s1)
    assert feed.status_code == 200, feed.text
    [package] = feed.json()["tasks"]
    assert package["id"] == task_id
    assert package["kind"] == "directed" and package["reason_category"] == "complaint"
    assert package["draw_id"] == "" and package["plan"] == {"code": "", "name": ""}
    assert [i["code"] for i in package["items"]] == ["SC-SP-01"]
    assert [m["badge_no"] for m in package["team"]] == ["SC-001", "SC-002"]
    assert package["my_department"] == "SCJG"
    assert package["inspection_code"] == made["code"] and len(package["code_signature"]) == 86
    assert "TS-2026-0815" not in feed.text  # the case number never leaves the back office

    # 扫码入企 and the field workflow, as for a drawn task.
    checked = await client.post(
        f"{API}/field/tasks/{task_id}/check-in/",
        json={"credit_code": world.credit_code(1), "at": "2026-11-20T09:00:00+08:00"},
        headers=s1,
    )
    assert checked.status_code in (200, 201), checked.text
    result_id = calls.new_id()
    put = await calls.put_result(
        client, s1, task_id, result_id, calls.result_body("SC-SP-01", answers={})
    )
    assert put.status_code in (200, 201), put.text
    done = await calls.submit(client, s2, task_id)
    assert done.status_code == 200, done.text

    back = await factories.login_as(client, "back_office", "SCJG")
    queue = await client.get(f"{API}/review/tasks/", headers=back)
    assert queue.status_code == 200, queue.text
    [summary] = [t for t in queue.json()["items"] if t["task_id"] == task_id]
    assert summary["deadline"] is not None, summary
    review = await client.get(f"{API}/review/tasks/{task_id}", headers=back)
    assert review.status_code == 200, review.text
    [item] = review.json()["items"]
    assert review.json()["plan_code"] == ""
    # The workspace's review queue and page mark it non-random.
    await web_login(client, "back_office-SCJG")
    for page in ("/workspace/review/", f"/workspace/review/{task_id}"):
        html = await client.get(page)
        assert html.status_code == 200 and "定向检查（非随机）" in html.text, page
    decided = await client.post(
        f"{API}/review/tasks/{task_id}/items/SC-SP-01/decision",
        json={"decision": "approve", "version": item["result"]["version"], "reason": ""},
        headers=back,
    )
    assert decided.status_code == 201, decided.text
    published = await client.post(
        f"{API}/review/tasks/{task_id}/publish", json={"reason": ""}, headers=back
    )
    assert published.status_code == 201, published.text
    record = published.json()["record"]
    assert record["kind"] == "定向"
    assert "TS-2026-0815" not in published.text
    public = await client.get(f"{API}/public/results/{task_id}")
    assert public.status_code == 200, public.text
    assert "定向" in public.text and "TS-2026-0815" not in public.text
    history = await client.get(f"{API}/public/businesses/{world.credit_code(1)}")
    assert [r["kind"] for r in history.json()] == ["定向"], history.text
    # The business's check page names the assigned officers and says directed, not why.
    code = await client.get(f"{API}/tasks/{task_id}/inspection-code/", headers=lead)
    url = code.json()["url"]
    page = await client.get(url[url.index("/check/") :])
    assert page.status_code == 200, page.text
    assert "检查员SC-001" in page.text and "检查员SC-002" in page.text
    assert "定向检查（非随机）" in page.text and "TS-2026-0815" not in page.text

    # Too late to change the team once submitted.
    late = await assign(client, lead, task_id, ["SC-001", "SC-004"])
    assert late.status_code == 409 and late.json()["code"] == "task_team.task_done"
    assert await AuditEntry.count().where(AuditEntry.action == "directed_task.team") == 2


async def test_bad_teams_are_refused_and_change_nothing(client: httpx.AsyncClient) -> None:
    made, lead = await create_directed(client)
    task_id = made["task_id"]
    await world.add_inspector(
        "SC-011",
        world_department := (await factories.department("SCJG")),
        qualifications=["food"],
        conflicts=[{"object": world.credit_code(1), "reason": "亲属任职"}],
    )
    assert world_department
    before = (await TaskInspector.count(), await TaskChange.count())
    cases = {
        "one officer": (["SC-001"], None),
        "twice the same": (["SC-001", "SC-001"], None),
        "no food qualification": (["SC-001", "SC-009"], "SC-009"),
        "on leave": (["SC-001", "SC-010"], "SC-010"),
        "other department": (["SC-001", "WS-001"], "WS-001"),
        "unknown badge": (["SC-001", "SC-999"], "SC-999"),
        "declared conflict": (["SC-001", "SC-011"], "SC-011"),
        "eleven": ([f"SC-{i:03d}" for i in range(1, 12)], None),
    }
    for name, (badges, culprit) in cases.items():
        answer = await assign(client, lead, task_id, badges)
        assert answer.status_code == 422, (name, answer.text)
        body = answer.json()
        assert body["code"] == "task_team.invalid", name
        if culprit is not None:
            assert culprit in {p["badge"] for p in body["problems"]}, (name, body)
    # Another department's lead, an inspector, a drawn task, an unknown task.
    other = await factories.login_as(client, "team_lead", "WSJK")
    assert (await assign(client, other, task_id, ["SC-001", "SC-002"])).status_code == 403
    inspector = await factories.login_as(client, "inspector", "SCJG", device_id="tablet-x")
    assert (await assign(client, inspector, task_id, ["SC-001", "SC-002"])).status_code == 403
    missing = await assign(client, lead, 987654, ["SC-001", "SC-002"])
    assert missing.status_code == 404 and missing.json()["code"] == "task.not_found"
    malformed = await client.put(
        f"{API}/tasks/{task_id}/team", json={"badges": "SC-001"}, headers=lead
    )
    assert malformed.status_code == 400
    assert (await TaskInspector.count(), await TaskChange.count()) == before
    assert await AuditEntry.count().where(AuditEntry.action == "directed_task.team") == 0


async def test_a_drawn_tasks_team_changes_only_by_amendment(client: httpx.AsyncClient) -> None:
    from tests.server.inspection_codes.helpers import drawn_task_code

    _, code, lead = await drawn_task_code(client)
    refused = await assign(client, lead, code["task_id"], ["SC-001", "SC-002"])
    assert refused.status_code == 409 and refused.json()["code"] == "task_team.not_directed"
