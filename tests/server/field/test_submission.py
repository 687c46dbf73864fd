"""Submission: complete or refused with what is missing; idempotent; per department."""

from __future__ import annotations

from pathlib import Path

import httpx

from server.audit.log import verify_chain
from server.audit.tables import AuditEntry
from server.tasks.tables import Task
from tests.server.field import factory, photos
from tests.server.field.calls import (
    API,
    login,
    new_id,
    photo_ref,
    put_result,
    result_body,
    snapshot,
    submit,
    upload,
)


async def test_incomplete_submission_lists_what_is_missing(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task(
        team={"S1": "SCJG"}, items={"SC-01": "SCJG", "SC-02": "SCJG", "SC-03": "SCJG"}
    )
    headers = await login(client, task.users["S1"])
    picture = photos.png()
    digest = photos.sha(picture)
    with_photo = result_body("SC-01", photos=[photo_ref(picture, digest)])
    assert (
        await put_result(client, headers, task.task_id, new_id(), with_photo)
    ).status_code == 201
    unanswered = result_body("SC-02", answers={"q2": 3})  # q1 is required
    assert (
        await put_result(client, headers, task.task_id, new_id(), unanswered)
    ).status_code == 201

    before = await snapshot()
    refused = await submit(client, headers, task.task_id)
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["code"] == "submission.incomplete"
    missing = body["missing"]
    assert {
        "kind": "photo",
        "item": "SC-01",
        "sha256": digest,
        "problem": "not_uploaded",
    } in missing
    assert {"kind": "result", "item": "SC-03"} in missing
    answers = [m for m in missing if m["kind"] == "answers"]
    assert [m["item"] for m in answers] == ["SC-02"]
    assert answers[0]["problems"][0]["question"] == "q1"
    assert len(missing) == 3
    assert await snapshot() == before


async def test_complete_submission_is_idempotent_and_starts_the_clock(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task(
        team={"S1": "SCJG", "H1": "HBJ"}, items={"SC-01": "SCJG", "HB-01": "HBJ"}
    )
    scjg = await login(client, task.users["S1"])
    hbj = await login(client, task.users["H1"], "tablet-h")
    picture = photos.jpeg()
    digest = photos.sha(picture)
    body = result_body("SC-01", photos=[photo_ref(picture, digest, media="image/jpeg")])
    assert (await put_result(client, scjg, task.task_id, new_id(), body)).status_code == 201
    assert (await upload(client, scjg, picture, digest)).headers["Upload-Complete"] == "?1"

    first = await submit(client, scjg, task.task_id, "2026-11-20T11:00:00+08:00")
    assert first.status_code == 200, first.text
    ack = first.json()
    assert ack["status"] == "submitted"
    assert ack["department"] == "SCJG"
    assert ack["completed_at"].startswith("2026-11-20T03:00:00")
    assert ack["task_status"] == "assigned"  # HBJ has not submitted its part yet

    after_first = await snapshot()
    again = await submit(client, scjg, task.task_id, "2026-11-21T09:00:00+08:00")
    assert again.json() == ack  # the same answer; the first completion time stands
    assert await snapshot() == after_first

    row = await Task.select().where(Task.id == task.task_id).first()
    assert row["submitted_at"] is None and row["completed_at_device"] is None

    hb = await put_result(client, hbj, task.task_id, new_id(), result_body("HB-01"))
    assert hb.status_code == 201
    last = await submit(client, hbj, task.task_id, "2026-11-20T15:30:00+08:00")
    assert last.json()["task_status"] == "submitted"
    row = await Task.select().where(Task.id == task.task_id).first()
    assert row["status"] == "submitted"
    assert row["submitted_at"] is not None
    # The inspection ended when the last department finished.
    assert row["completed_at_device"].isoformat().startswith("2026-11-20T07:30:00")
    assert (await submit(client, scjg, task.task_id)).json()["task_status"] == "submitted"
    actions = [row["action"] for row in await AuditEntry.select(AuditEntry.action)]
    assert actions.count("field.task.submit") == 2  # one per department, none for the retries
    assert actions.count("field.attachment.complete") == 1
    assert actions.count("field.result.store") == 2
    assert await verify_chain() == []


async def test_a_change_after_submission_goes_to_review(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task(team={"S1": "SCJG"}, items={"SC-01": "SCJG"})
    headers = await login(client, task.users["S1"])
    rid = new_id()
    assert (
        await put_result(client, headers, task.task_id, rid, result_body("SC-01"))
    ).status_code == 201
    assert (await submit(client, headers, task.task_id)).status_code == 200
    late = result_body("SC-01", base_version=1, findings="补充说明")
    response = await put_result(client, headers, task.task_id, rid, late)
    assert response.status_code == 409
    assert response.json()["reason"] == "after_submission"
    assert response.json()["client"]["findings"] == "补充说明"
    feed = await client.get(f"{API}/field/tasks", headers=headers)
    assert feed.json()["tasks"][0]["submitted_at"] is not None
