"""The batch of results (sync-v1.2, `POST /field/tasks/{id}/results`): each result gets
the outcome its own PUT would get, with its own audit entry, authorised on its own;
a retried batch stores nothing twice; the feed offers it; the bounds hold."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from server.audit.log import verify_chain
from server.audit.tables import AuditEntry
from server.field.tables import ItemResult, ResultVersion
from shared.sync.protocol import RESULT_BATCH_MAX
from tests.server.field import factory
from tests.server.field.calls import API, login, new_id, put_result, result_body, snapshot


@pytest.fixture
async def task(db: None) -> factory.FieldTask:
    return await factory.field_task(
        team={"S1": "SCJG", "S2": "SCJG", "H1": "HBJ"},
        items={"SC-01": "SCJG", "SC-02": "SCJG", "SC-03": "SCJG", "HB-01": "HBJ"},
    )


async def batch(
    client: httpx.AsyncClient, headers: dict[str, str], task_id: int, entries: list[Any]
) -> httpx.Response:
    return await client.post(
        f"{API}/field/tasks/{task_id}/results",
        json={"results": [{"result_id": rid, "result": body} for rid, body in entries]},
        headers=headers,
    )


async def store_audits() -> int:
    return await AuditEntry.count().where(AuditEntry.action == "field.result.store")


async def test_the_feed_offers_the_batch(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    feed = (await client.get(f"{API}/field/tasks", headers=headers)).json()
    assert feed["result_batch_max"] == RESULT_BATCH_MAX


async def test_each_result_gets_its_own_outcome(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    s1 = await login(client, task.users["S1"])
    s2 = await login(client, task.users["S2"], "device-2")
    replayed, stale, second = new_id(), new_id(), new_id()
    # Before the batch: one result to replay, one S2 moves on (S1's edit will be stale).
    assert (
        await put_result(client, s1, task.task_id, replayed, result_body("SC-01"))
    ).status_code == 201
    assert (
        await put_result(client, s1, task.task_id, stale, result_body("SC-02"))
    ).status_code == 201
    assert (
        await put_result(client, s1, task.task_id, stale, result_body("SC-02", 1, findings="二"))
    ).status_code == 200
    audits_before = await store_audits()

    new, unknown, foreign, bad = new_id(), new_id(), new_id(), new_id()
    reply = await batch(
        client,
        s1,
        task.task_id,
        [
            (new, result_body("SC-03")),  # accepted: 201
            (replayed, result_body("SC-01")),  # the same body again: 200 unchanged
            (stale, result_body("SC-02", 1, findings="旧版本上的修改")),  # 409 stale_base
            (unknown, result_body("XX-99")),  # 422 unknown item, nothing stored
            (foreign, result_body("HB-01")),  # 403 another department's item
            (bad, result_body("SC-01", answers={"q2": "不是数字"})),  # 422 answers
            (second, result_body("SC-01")),  # 409 second_result: SC-01 already has one
        ],
    )
    assert reply.status_code == 200, reply.text
    outcomes = reply.json()["outcomes"]
    assert [o["result_id"] for o in outcomes] == [
        new,
        replayed,
        stale,
        unknown,
        foreign,
        bad,
        second,
    ]
    by_id = {o["result_id"]: o for o in outcomes}
    assert by_id[new]["status"] == 201
    assert by_id[new]["body"] == {"result_id": new, "version": 1, "status": "stored"}
    assert by_id[replayed]["status"] == 200
    assert by_id[replayed]["body"]["status"] == "unchanged"
    assert by_id[stale]["status"] == 409
    assert by_id[stale]["body"]["code"] == "sync.conflict"
    assert by_id[stale]["body"]["reason"] == "stale_base"
    assert by_id[stale]["body"]["server"]["version"] == 2
    assert (by_id[unknown]["status"], by_id[unknown]["body"]["code"]) == (422, "field.unknown_item")
    assert (by_id[foreign]["status"], by_id[foreign]["body"]["code"]) == (
        403,
        "field.wrong_department",
    )
    assert (by_id[bad]["status"], by_id[bad]["body"]["code"]) == (
        422,
        "checklist.answers_invalid",
    )
    assert by_id[second]["status"] == 409
    assert by_id[second]["body"]["reason"] == "second_result"
    for outcome in outcomes:  # every refusal carries the usual bilingual detail
        if outcome["status"] >= 400:
            assert outcome["body"]["detail"]["zh"] and outcome["body"]["detail"]["en"]

    # Exactly what the PUTs would have stored: one new head, two conflicts' client sides.
    assert await store_audits() == audits_before + 1
    assert (
        await ItemResult.count().where(ItemResult.result_uuid.is_in([unknown, foreign, bad])) == 0
    )
    assert (
        await ResultVersion.count().where(ResultVersion.result_uuid.is_in([unknown, foreign, bad]))
        == 0
    )
    conflicts = await AuditEntry.count().where(AuditEntry.action == "field.result.conflict")
    assert conflicts == 2
    assert await verify_chain() == []

    # The same outcome as a PUT of the same body afterwards (idempotent both ways).
    again = await put_result(
        client, s1, task.task_id, stale, result_body("SC-02", 1, findings="旧版本上的修改")
    )
    assert again.status_code == 409
    assert again.json()["conflict_id"] == by_id[stale]["body"]["conflict_id"]
    assert s2  # S2 logged in: a second device of the team


async def test_a_retried_batch_stores_nothing_twice(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    entries = [(new_id(), result_body(code)) for code in ("SC-01", "SC-02", "SC-03")]
    first = await batch(client, headers, task.task_id, entries)
    assert [o["status"] for o in first.json()["outcomes"]] == [201, 201, 201]
    held = await snapshot()
    for _ in range(2):  # the answer was lost: the device sends the same batch again
        retry = await batch(client, headers, task.task_id, entries)
        assert retry.status_code == 200
        assert [o["status"] for o in retry.json()["outcomes"]] == [200, 200, 200]
        assert {o["body"]["status"] for o in retry.json()["outcomes"]} == {"unchanged"}
    assert await snapshot() == held
    # And result by result with PUT: still the same answers, nothing new.
    for result_id, body in entries:
        reply = await put_result(client, headers, task.task_id, result_id, body)
        assert reply.json() == {"result_id": result_id, "version": 1, "status": "unchanged"}
    assert await snapshot() == held


async def test_each_result_is_authorised_on_its_own(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    """An inspector taken off the task gets a refusal per result, yet a retry of what
    they stored before is still recognised (as with PUT)."""
    headers = await login(client, task.users["S2"])
    stored = new_id()
    assert (
        await put_result(client, headers, task.task_id, stored, result_body("SC-01"))
    ).status_code == 201
    await factory.take_off(task, "S2")
    fresh = new_id()
    reply = await batch(
        client,
        headers,
        task.task_id,
        [(stored, result_body("SC-01")), (fresh, result_body("SC-02"))],
    )
    outcomes = reply.json()["outcomes"]
    assert outcomes[0]["status"] == 200 and outcomes[0]["body"]["status"] == "unchanged"
    assert (outcomes[1]["status"], outcomes[1]["body"]["code"]) == (403, "field.not_on_task")
    assert outcomes[1]["body"]["removed"] is True
    assert await ResultVersion.count().where(ResultVersion.result_uuid == fresh) == 0


async def test_a_team_change_takes_effect_on_the_very_next_result(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    """The task's team is cached per task version: taking an inspector off raises the
    version, so the next write is refused although the team was cached a moment ago."""
    headers = await login(client, task.users["S1"])
    assert (
        await put_result(client, headers, task.task_id, new_id(), result_body("SC-01"))
    ).status_code == 201
    await factory.take_off(task, "S1", "调离")
    refused = await put_result(client, headers, task.task_id, new_id(), result_body("SC-02"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "field.not_on_task"
    assert refused.json()["removed_reason"] == "调离"


async def test_whole_batch_refusals_change_nothing(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    staff = await factory_staff(client)
    held = await snapshot()
    one = new_id()
    cases = [
        {"results": []},
        {"results": [{"result_id": new_id(), "result": result_body("SC-01")}] * 2},
        {"results": [{"result_id": one, "result": result_body("SC-01")}] * 2},
        {"results": [{"result_id": "not-a-uuid", "result": result_body("SC-01")}]},
        {
            "results": [
                {"result_id": new_id(), "result": result_body("SC-01")}
                for _ in range(RESULT_BATCH_MAX + 1)
            ]
        },
        {"results": [{"result_id": new_id(), "result": result_body("SC-01"), "extra": 1}]},
    ]
    for body in cases:
        reply = await client.post(
            f"{API}/field/tasks/{task.task_id}/results", json=body, headers=headers
        )
        assert reply.status_code == 400, (body, reply.text)
        assert reply.json()["code"] == "request.invalid"
    huge = [
        {"result_id": new_id(), "result": result_body("SC-01", findings="很" * 9000)}
        for _ in range(RESULT_BATCH_MAX)
    ]
    reply = await client.post(
        f"{API}/field/tasks/{task.task_id}/results", json={"results": huge}, headers=headers
    )
    assert reply.status_code == 413
    unknown_task = await batch(client, headers, 999_999, [(new_id(), result_body("SC-01"))])
    assert unknown_task.status_code == 200
    assert unknown_task.json()["outcomes"][0]["body"]["code"] == "field.unknown_task"
    assert await snapshot() == held
    refused = await batch(client, staff, task.task_id, [(new_id(), result_body("SC-01"))])
    assert refused.status_code == 403
    assert await snapshot() == held


async def factory_staff(client: httpx.AsyncClient) -> dict[str, str]:
    from tests.server import factories

    return await factories.login_as(client, "back_office", "SCJG")
