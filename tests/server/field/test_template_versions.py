"""Template versions (sync-v1.1): a form is finished on the version it started on;
the package carries licences and the caller's badge; results carry the follow-up."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from server.field.tables import ItemTemplate, ResultVersion
from server.rosters.tables import InspectionItem, InspectionObject
from server.tasks import changes
from tests.server.field import factory
from tests.server.field.calls import API, login, new_id, put_result, result_body

NEWER = [
    {"id": "q9", "type": "text", "label": {"zh": "新问题", "en": "New question"}},
]


async def package(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    reply = await client.get(f"{API}/field/tasks", headers=headers)
    assert reply.status_code == 200, reply.text
    (task,) = reply.json()["tasks"]
    return task


async def change_template(task: factory.FieldTask, checklist: list[dict[str, Any]]) -> None:
    await InspectionItem.update({InspectionItem.checklist: checklist}).where(
        InspectionItem.code == "SC-01"
    )
    await changes.record(task.task_id, task.inspectors.values(), "updated")


@pytest.fixture
async def task(db: None) -> factory.FieldTask:
    return await factory.field_task(team={"S1": "SCJG"}, items={"SC-01": "SCJG"})


async def test_package_names_template_version_badge_and_licences(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    await InspectionObject.update({InspectionObject.licences: '["食品经营许可证"]'}).where(
        InspectionObject.id > 0
    )
    headers = await login(client, task.users["S1"])
    first = await package(client, headers)
    assert first["items"][0]["template_version"] == 1
    assert first["my_badge"] == "S1"
    assert first["object"]["licences"] == ["食品经营许可证"]
    again = await package(client, headers)  # the same template keeps its number
    assert again["items"][0]["template_version"] == 1
    assert await ItemTemplate.count() == 1


async def test_a_form_started_on_version_1_is_finished_on_it(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    assert (await package(client, headers))["items"][0]["template_version"] == 1
    await change_template(task, NEWER)
    assert (await package(client, headers))["items"][0]["template_version"] == 2

    on_v1 = result_body("SC-01", template_version=1)  # answers q1, q2 of version 1
    stored = await put_result(client, headers, task.task_id, new_id(), on_v1)
    assert stored.status_code == 201, stored.text

    on_current = result_body("SC-01")  # no version named: today's template (q9 only)
    refused = await put_result(client, headers, task.task_id, new_id(), on_current)
    assert refused.status_code == 422 and refused.json()["code"] == "checklist.answers_invalid"

    unknown = result_body("SC-01", template_version=7)
    refused = await put_result(client, headers, task.task_id, new_id(), unknown)
    assert refused.status_code == 422
    assert refused.json()["code"] == "field.template_version_unknown"
    assert "版本7" in refused.json()["detail"]["zh"]
    assert await ResultVersion.count() == 1


async def test_returning_to_an_earlier_template_reuses_its_number(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    original = (await InspectionItem.select(InspectionItem.checklist).first())["checklist"]
    await package(client, headers)
    await change_template(task, NEWER)
    await package(client, headers)
    await change_template(task, original if isinstance(original, list) else json.loads(original))
    assert (await package(client, headers))["items"][0]["template_version"] == 1
    assert await ItemTemplate.count() == 2


async def test_follow_up_travels_and_is_bounded(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    result_id = new_id()
    body = result_body("SC-01", category="E", follow_up="责令当场改正，已复查")
    assert (await put_result(client, headers, task.task_id, result_id, body)).status_code == 201
    again = await put_result(client, headers, task.task_id, result_id, body)
    assert again.json()["status"] == "unchanged"
    (row,) = await ResultVersion.select(ResultVersion.body)
    stored = row["body"] if isinstance(row["body"], dict) else json.loads(row["body"])
    assert stored["follow_up"] == "责令当场改正，已复查"
    long = result_body("SC-01", base_version=1, follow_up="字" * 2001)
    refused = await put_result(client, headers, task.task_id, result_id, long)
    assert refused.status_code == 422 and refused.json()["code"] == "field.bad_follow_up"
    assert await ResultVersion.count() == 1


async def test_an_older_body_without_the_new_fields_hashes_as_before(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    """A client of sync-v1 (no follow_up, no template_version) is still recognised on retry."""
    headers = await login(client, task.users["S1"])
    result_id = new_id()
    body = result_body("SC-01")
    assert (await put_result(client, headers, task.task_id, result_id, body)).status_code == 201
    explicit = {**body, "follow_up": "", "template_version": None}
    again = await put_result(client, headers, task.task_id, result_id, explicit)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"


async def test_a_v11_form_with_a_problem_needs_its_follow_up(
    client: httpx.AsyncClient, task: factory.FieldTask
) -> None:
    headers = await login(client, task.users["S1"])
    await package(client, headers)
    without = result_body("SC-01", category="E", template_version=1)
    refused = await put_result(client, headers, task.task_id, new_id(), without)
    assert refused.status_code == 422 and refused.json()["code"] == "field.bad_follow_up"
    assert "后续处置" in refused.json()["detail"]["zh"]
    old_client = result_body("SC-01", category="E")  # sync-v1: no version, no follow-up
    stored = await put_result(client, headers, task.task_id, new_id(), old_client)
    assert stored.status_code == 201
    assert await ResultVersion.count() == 1
