"""Writes that race: the server keeps every version and exactly one of everything else."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from server.field.tables import Attachment, ItemResult, ResultConflict, ResultVersion
from tests.server.field import factory, photos
from tests.server.field.calls import head, login, new_id, put_result, result_body, upload


async def test_racing_edits_of_one_result(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task(team={"S1": "SCJG", "S2": "SCJG"}, items={"SC-01": "SCJG"})
    # Two sessions of the one device the result id belongs to.
    one = await login(client, task.users["S1"], "tablet-1")
    two = await login(client, task.users["S1"], "tablet-1")
    rid = new_id()
    assert (
        await put_result(client, one, task.task_id, rid, result_body("SC-01"))
    ).status_code == 201

    answers = await asyncio.gather(
        put_result(client, one, task.task_id, rid, result_body("SC-01", 1, findings="一号")),
        put_result(client, two, task.task_id, rid, result_body("SC-01", 1, findings="二号")),
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert await ResultVersion.count() == 3
    assert await ResultConflict.count() == 1
    head_row = await ItemResult.select().first()
    assert head_row["version"] == 2


async def test_racing_first_results_of_one_item(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task(team={"S1": "SCJG", "S2": "SCJG"}, items={"SC-01": "SCJG"})
    one = await login(client, task.users["S1"], "tablet-1")
    two = await login(client, task.users["S2"], "tablet-2")
    answers = await asyncio.gather(
        put_result(client, one, task.task_id, new_id(), result_body("SC-01", findings="一号")),
        put_result(client, two, task.task_id, new_id(), result_body("SC-01", findings="二号")),
    )
    assert sorted(a.status_code for a in answers) == [201, 409]
    assert await ItemResult.count() == 1
    assert await ResultVersion.count() == 2
    assert await ResultConflict.count() == 1


async def test_racing_uploads_of_one_photo(
    client: httpx.AsyncClient, filesystem_store: Path
) -> None:
    task = await factory.field_task(team={"S1": "SCJG"}, items={"SC-01": "SCJG"})
    headers = await login(client, task.users["S1"])
    data = photos.png(180)
    digest = photos.sha(data)
    answers = await asyncio.gather(*(upload(client, headers, data, digest) for _ in range(3)))
    # Each racer either completed the photo, found it complete, or was told the offset moved.
    assert {a.status_code for a in answers} <= {200, 409}
    assert any(a.headers.get("Upload-Complete") == "?1" for a in answers)
    assert (await head(client, headers, digest)).headers["Upload-Complete"] == "?1"
    assert await Attachment.count() == 1
