"""Every refusal of a field write (spec rules 6 and 7): its status and code, and nothing changed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server import factories
from tests.server.field import factory
from tests.server.field.calls import (
    API,
    login,
    new_id,
    put_result,
    result_body,
    snapshot,
    submit,
)


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["detail"]["zh"] and body["detail"]["en"]
    return body


@pytest.fixture
async def task(db: None, filesystem_store: Path) -> factory.FieldTask:
    return await factory.field_task()


async def test_wrong_department(client: httpx.AsyncClient, task: factory.FieldTask) -> None:
    headers = await login(client, task.users["S1"])
    before = await snapshot()
    response = await put_result(client, headers, task.task_id, new_id(), result_body("HB-01"))
    body = assert_error(response, 403, "field.wrong_department")
    assert "HBJ" in body["detail"]["en"]
    assert await snapshot() == before


async def test_inspector_not_on_the_task(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    _, username = await factory.inspector("X9", "SCJG")
    headers = await login(client, username)
    before = await snapshot()
    response = await put_result(client, headers, task.task_id, new_id(), result_body("SC-01"))
    assert assert_error(response, 403, "field.not_on_task")["removed"] is False
    assert_error(await submit(client, headers, task.task_id), 403, "field.not_on_task")
    assert await snapshot() == before


async def test_inspector_taken_off_the_task_while_offline(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S2"])  # logged in, then offline for days
    await factory.take_off(task, "S2", "与检查对象存在利害关系")
    before = await snapshot()
    response = await put_result(client, headers, task.task_id, new_id(), result_body("SC-01"))
    body = assert_error(response, 403, "field.not_on_task")
    assert body["removed"] is True
    assert body["removed_reason"] == "与检查对象存在利害关系"
    assert_error(await submit(client, headers, task.task_id), 403, "field.not_on_task")
    assert await snapshot() == before
    # The device learns it through its feed as well.
    feed = await client.get(f"{API}/field/tasks", headers=headers)
    assert feed.json()["removed"] == [task.task_id]


async def test_revoked_device(client: httpx.AsyncClient, task: factory.FieldTask) -> None:
    headers = await login(client, task.users["S1"], "lost-tablet")
    revoke = await client.post(f"{API}/auth/devices/lost-tablet/revoke", headers=headers)
    assert revoke.status_code == 200, revoke.text
    before = await snapshot()
    response = await put_result(client, headers, task.task_id, new_id(), result_body("SC-01"))
    assert_error(response, 401, "auth.device_revoked")
    assert_error(await submit(client, headers, task.task_id), 401, "auth.device_revoked")
    assert await snapshot() == before


async def test_non_inspector_roles(client: httpx.AsyncClient, task: factory.FieldTask) -> None:
    staff = [
        await factories.login_as(client, role, department)
        for role, department in [("team_lead", "SCJG"), ("back_office", "SCJG"), ("admin", None)]
    ]
    # An inspector-role account not bound to the roster cannot sync either.
    await factories.user("inspector", "unbound", "SCJG")
    unbound = await login(client, "unbound")
    before = await snapshot()
    for headers in staff:
        put = await put_result(client, headers, task.task_id, new_id(), result_body("SC-01"))
        assert_error(put, 403, "auth.forbidden_role")
        feed = await client.get(f"{API}/field/tasks", headers=headers)
        assert_error(feed, 403, "auth.forbidden_role")
        assert_error(await submit(client, headers, task.task_id), 403, "auth.forbidden_role")
    put = await put_result(client, unbound, task.task_id, new_id(), result_body("SC-01"))
    assert_error(put, 403, "field.not_inspector")
    assert_error(
        await client.get(f"{API}/field/tasks", headers=unbound), 403, "field.not_inspector"
    )
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"item": "SC-01"}, 400, "request.invalid"),
        (result_body("SC-01", answers="yes"), 400, "request.invalid"),
        (result_body("SC-01", base_version="one"), 400, "request.invalid"),
        (result_body("SC-01", unexpected=1), 400, "request.invalid"),
        (result_body("SC-01", recorded_at="2026-11-20T10:15:00"), 400, "field.time_without_offset"),
        (result_body("SC-01", answers={"q1": "是"}), 422, "checklist.answers_invalid"),
        (result_body("SC-01", answers={"q1": True, "q2": 99}), 422, "checklist.answers_invalid"),
        (result_body("SC-01", answers={"q9": 1}), 422, "checklist.answers_invalid"),
        (
            result_body(
                "SC-01",
                photos=[
                    {
                        "sha256": "xyz",
                        "size": 10,
                        "media_type": "image/png",
                        "taken_at": "2026-11-20T10:14:00+08:00",
                    }
                ],
            ),
            422,
            "field.bad_photo",
        ),
        (
            result_body(
                "SC-01",
                photos=[
                    {
                        "sha256": "a" * 64,
                        "size": 10,
                        "media_type": "image/gif",
                        "taken_at": "2026-11-20T10:14:00+08:00",
                    }
                ],
            ),
            422,
            "field.bad_photo",
        ),
        (result_body("NO-SUCH-ITEM"), 422, "field.unknown_item"),
        (result_body("SC-01", base_version=3), 422, "field.base_version_unknown"),
    ],
)
async def test_malformed_result_bodies(
    client: httpx.AsyncClient, task: factory.FieldTask, body: Any, status: int, code: str
) -> None:
    headers = await login(client, task.users["S1"])
    before = await snapshot()
    body_out = assert_error(
        await put_result(client, headers, task.task_id, new_id(), body), status, code
    )
    if code == "checklist.answers_invalid":
        assert body_out["problems"]  # each problem listed, with its question
        assert all(p["question"] and p["reason"]["en"] for p in body_out["problems"])
    if code == "field.bad_photo":
        # The reason is Chinese from start to end: no field names like sha256 or media_type.
        assert not re.search(r"[a-z_]{3,}", body_out["detail"]["zh"]), body_out["detail"]["zh"]
    assert await snapshot() == before


async def test_malformed_requests_outside_the_body(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    before = await snapshot()
    not_json = await client.put(
        f"{API}/field/tasks/{task.task_id}/results/{new_id()}",
        content=b"{not json",
        headers={**headers, "Content-Type": "application/json"},
    )
    # Not JSON at all: refused by the framework's decoder, mapped at the edge.
    assert_error(not_json, 400, "request.invalid")
    bad_id = await put_result(client, headers, task.task_id, "not-a-uuid", result_body("SC-01"))
    assert_error(bad_id, 400, "request.invalid")
    unknown = await put_result(client, headers, 987654, new_id(), result_body("SC-01"))
    assert_error(unknown, 404, "field.unknown_task")
    naive = await client.post(
        f"{API}/field/tasks/{task.task_id}/submit",
        json={"completed_at": "2026-11-20T11:00:00"},
        headers=headers,
    )
    assert_error(naive, 400, "field.time_without_offset")
    no_body = await client.post(f"{API}/field/tasks/{task.task_id}/submit", headers=headers)
    assert_error(no_body, 400, "request.invalid")
    bad_cursor = await client.get(f"{API}/field/tasks", params={"since": "abc"}, headers=headers)
    assert_error(bad_cursor, 400, "field.bad_cursor")
    assert await snapshot() == before


async def test_result_id_of_another_item_is_refused(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    rid = new_id()
    two_items = await factory.field_task(
        team={"S1": "SCJG"}, items={"SC-01": "SCJG", "SC-02": "SCJG"}
    )
    assert (
        await put_result(client, headers, two_items.task_id, rid, result_body("SC-01"))
    ).status_code == 201
    before = await snapshot()
    moved = await put_result(client, headers, two_items.task_id, rid, result_body("SC-02"))
    assert_error(moved, 422, "field.result_mismatch")
    assert await snapshot() == before
