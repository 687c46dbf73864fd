"""Item results over HTTP: create, update, idempotent retries, conflicts kept for review."""

from __future__ import annotations

from pathlib import Path

import httpx

from server.audit.log import verify_chain
from server.field.tables import ResultVersion
from tests.server import factories
from tests.server.field import factory
from tests.server.field.calls import API, login, new_id, put_result, result_body, snapshot


async def test_create_update_and_same_put_twice(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task()
    headers = await login(client, task.users["S1"])
    rid = new_id()

    first = await put_result(client, headers, task.task_id, rid, result_body("SC-01"))
    assert first.status_code == 201, first.text
    assert first.json() == {"result_id": rid, "version": 1, "status": "stored"}

    again = await put_result(client, headers, task.task_id, rid, result_body("SC-01"))
    assert again.status_code == 200
    assert again.json() == {"result_id": rid, "version": 1, "status": "unchanged"}

    update = result_body("SC-01", base_version=1, findings="门头照片已补拍")
    second = await put_result(client, headers, task.task_id, rid, update)
    assert second.json() == {"result_id": rid, "version": 2, "status": "stored"}
    # The answer of the update was lost; the device sends it again.
    retry = await put_result(client, headers, task.task_id, rid, update)
    assert retry.status_code == 200
    assert retry.json() == {"result_id": rid, "version": 2, "status": "unchanged"}

    versions = await ResultVersion.select(ResultVersion.version).order_by(ResultVersion.id)
    assert [row["version"] for row in versions] == [1, 2]  # every version kept, no duplicate
    assert await verify_chain() == []


async def test_two_edits_of_one_version_keep_both_versions(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task()
    tablet = await login(client, task.users["S1"], "tablet-a")
    # A second login of the same device (a result id belongs to one device for good:
    # another device gets field.result_mismatch, see test_result_ids.py).
    second = await login(client, task.users["S1"], "tablet-a")
    rid = new_id()
    created = await put_result(client, tablet, task.task_id, rid, result_body("SC-01"))
    assert created.status_code == 201

    # Two edits are both based on version 1 (e.g. a restored copy of the device's data).
    mine = result_body("SC-01", base_version=1, findings="A: 冷柜温度正常")
    theirs = result_body("SC-01", base_version=1, findings="B: 冷柜温度偏高", category="B")
    accepted = await put_result(client, tablet, task.task_id, rid, mine)
    assert accepted.json()["version"] == 2
    clash = await put_result(client, second, task.task_id, rid, theirs)
    assert clash.status_code == 409, clash.text
    error = clash.json()
    assert error["code"] == "sync.conflict"
    assert error["reason"] == "stale_base"
    assert error["server"]["findings"] == "A: 冷柜温度正常"
    assert error["server"]["version"] == 2
    assert error["client"]["findings"] == "B: 冷柜温度偏高"
    assert error["client"]["device_id"] == "tablet-a"
    assert error["detail"]["zh"] and error["detail"]["en"]

    # Both versions are stored; the server's current version did not move.
    rows = await ResultVersion.select(
        ResultVersion.version, ResultVersion.accepted, ResultVersion.device_id
    ).order_by(ResultVersion.id)
    assert [(r["version"], r["accepted"], r["device_id"]) for r in rows] == [
        (1, True, "tablet-a"),
        (2, True, "tablet-a"),
        (None, False, "tablet-a"),
    ]

    # The lost-answer retry of the losing write gets the same 409, nothing new.
    before = await snapshot()
    retry = await put_result(client, second, task.task_id, rid, theirs)
    assert retry.status_code == 409
    assert retry.json()["conflict_id"] == error["conflict_id"]
    assert await snapshot() == before

    # The conflict is in the review list of the item's department, both versions visible.
    lead = await factories.login_as(client, "team_lead", "SCJG")
    listed = await client.get(f"{API}/review/conflicts", headers=lead)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert page["total"] == 1
    entry = page["items"][0]
    assert entry["id"] == error["conflict_id"]
    assert (entry["task_id"], entry["item"], entry["department"]) == (task.task_id, "SC-01", "SCJG")
    assert entry["server"]["findings"] == "A: 冷柜温度正常"
    assert entry["client"]["findings"] == "B: 冷柜温度偏高"
    other = await factories.login_as(client, "back_office", "HBJ")
    assert (await client.get(f"{API}/review/conflicts", headers=other)).json()["total"] == 0
    admin = await factories.login_as(client, "admin", None)
    assert (await client.get(f"{API}/review/conflicts", headers=admin)).json()["total"] == 1
    inspector = await client.get(f"{API}/review/conflicts", headers=tablet)
    assert inspector.status_code == 403
    assert await verify_chain() == []


async def test_a_second_result_for_one_item_is_a_conflict(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task()
    one = await login(client, task.users["S1"], "tablet-1")
    two = await login(client, task.users["S2"], "tablet-2")
    first = await put_result(client, one, task.task_id, new_id(), result_body("SC-01"))
    assert first.status_code == 201
    second = await put_result(
        client, two, task.task_id, new_id(), result_body("SC-01", findings="S2 也检查了")
    )
    assert second.status_code == 409
    assert second.json()["reason"] == "second_result"
    assert second.json()["server"]["inspector"] == "S1"
    assert second.json()["client"]["inspector"] == "S2"


async def test_results_of_both_departments_on_a_joint_task(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task()
    scjg = await login(client, task.users["S1"])
    hbj = await login(client, task.users["H1"], "tablet-h")
    ok_1 = await put_result(client, scjg, task.task_id, new_id(), result_body("SC-01"))
    ok_2 = await put_result(client, hbj, task.task_id, new_id(), result_body("HB-01"))
    assert (ok_1.status_code, ok_2.status_code) == (201, 201)
