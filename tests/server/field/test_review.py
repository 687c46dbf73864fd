"""Conflict review: settling a conflict keeps every version and leaves an audit entry."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from server.audit.log import verify_chain
from server.audit.tables import AuditEntry
from server.field.tables import ItemResult, ResultVersion
from tests.server import factories
from tests.server.field import factory
from tests.server.field.calls import API, login, new_id, put_result, result_body, snapshot


async def _conflict(client: httpx.AsyncClient) -> tuple[factory.FieldTask, str, int]:
    task = await factory.field_task(team={"S1": "SCJG", "S2": "SCJG"}, items={"SC-01": "SCJG"})
    one = await login(client, task.users["S1"], "tablet-1")
    two = await login(client, task.users["S2"], "tablet-2")
    rid = new_id()
    await put_result(client, one, task.task_id, rid, result_body("SC-01", findings="服务器版本"))
    clash = await put_result(
        client, two, task.task_id, new_id(), result_body("SC-01", findings="客户端版本")
    )
    assert clash.status_code == 409
    return task, rid, clash.json()["conflict_id"]


async def test_keeping_the_client_version_makes_it_current(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    _, rid, conflict_id = await _conflict(client)
    lead = await factories.login_as(client, "team_lead", "SCJG")
    settled = await client.post(
        f"{API}/review/conflicts/{conflict_id}/resolve",
        json={"keep": "client", "note": "现场复核以二号记录为准"},
        headers=lead,
    )
    assert settled.status_code == 200, settled.text
    assert settled.json()["version"] == 2
    head = await ItemResult.select().where(ItemResult.result_uuid == rid).first()
    assert head["version"] == 2
    current = (
        await ResultVersion.select()
        .where((ResultVersion.result_uuid == rid) & (ResultVersion.version == 2))
        .first()
    )
    body = current["body"]
    assert (json.loads(body) if isinstance(body, str) else body)["findings"] == "客户端版本"
    assert await ResultVersion.count() == 3  # v1, the conflicting copy, v2: nothing removed
    listed = await client.get(
        f"{API}/review/conflicts", params={"status": "resolved"}, headers=lead
    )
    assert [c["id"] for c in listed.json()["items"]] == [conflict_id]
    assert (await client.get(f"{API}/review/conflicts", headers=lead)).json()["total"] == 0

    before = await snapshot()
    again = await client.post(
        f"{API}/review/conflicts/{conflict_id}/resolve", json={"keep": "server"}, headers=lead
    )
    assert again.status_code == 409
    assert again.json()["code"] == "review.conflict_resolved"
    assert await snapshot() == before
    actions = [row["action"] for row in await AuditEntry.select(AuditEntry.action)]
    assert actions.count("field.result.store") == 1
    assert actions.count("field.result.conflict") == 1
    assert actions.count("review.conflict.resolve") == 1
    assert await verify_chain() == []


async def test_review_refusals_change_nothing(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task, _, conflict_id = await _conflict(client)
    other = await factories.login_as(client, "team_lead", "HBJ")
    inspector = await login(client, task.users["S1"], "tablet-1")
    lead = await factories.login_as(client, "team_lead", "SCJG")
    before = await snapshot()
    hidden = await client.post(
        f"{API}/review/conflicts/{conflict_id}/resolve", json={"keep": "server"}, headers=other
    )
    assert (hidden.status_code, hidden.json()["code"]) == (404, "review.unknown_conflict")
    forbidden = await client.post(
        f"{API}/review/conflicts/{conflict_id}/resolve", json={"keep": "server"}, headers=inspector
    )
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "auth.forbidden_role")
    bad = await client.post(
        f"{API}/review/conflicts/{conflict_id}/resolve", json={"keep": "both"}, headers=lead
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "request.invalid")
    status = await client.get(f"{API}/review/conflicts", params={"status": "x"}, headers=lead)
    assert (status.status_code, status.json()["code"]) == (400, "request.invalid")
    assert await snapshot() == before
