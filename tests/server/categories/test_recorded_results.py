"""A result takes a known, active, precise category and keeps its wording; packages list them."""

from __future__ import annotations

import httpx
import msgspec

from server.field.tables import ResultVersion
from tests.server import factories
from tests.server.field import factory
from tests.server.field.calls import API, login, new_id, put_result, result_body, snapshot


async def _stored_bodies() -> list[dict]:
    rows = await ResultVersion.select(ResultVersion.body).order_by(ResultVersion.id)
    return [
        msgspec.json.decode(r["body"]) if isinstance(r["body"], str) else r["body"] for r in rows
    ]


async def test_unknown_retired_and_grouping_categories_are_refused_and_change_nothing(
    client: httpx.AsyncClient,
) -> None:
    task = await factory.field_task()
    admin = await factories.login_as(client, "admin", None)
    tablet = await login(client, task.users["S1"])
    assert (await client.post(f"{API}/categories/9/retire", headers=admin)).status_code == 200
    before = await snapshot()
    for category, code in [
        ("", "categories.required"),
        ("ZZ", "categories.unknown"),
        ("9", "categories.retired"),
        ("A", "categories.grouping"),
        ("2", "categories.grouping"),
    ]:
        body = result_body("SC-01", category=category, follow_up="责令整改")
        refused = await put_result(client, tablet, task.task_id, new_id(), body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == code
        assert refused.json()["detail"]["zh"] and refused.json()["detail"]["en"]
    assert await snapshot() == before


async def test_a_stored_result_keeps_the_wording_it_was_recorded_with(
    client: httpx.AsyncClient,
) -> None:
    task = await factory.field_task()
    admin = await factories.login_as(client, "admin", None)
    tablet = await login(client, task.users["S1"])
    rid = new_id()
    body = result_body("SC-01", category="B", findings="未公示年报", follow_up="责令限期公示")
    stored = await put_result(client, tablet, task.task_id, rid, body)
    assert stored.status_code == 201, stored.text

    renamed = await client.patch(
        f"{API}/categories/B", json={"zh": "未按规定公示年度报告等信息"}, headers=admin
    )
    assert renamed.status_code == 200
    retry = await put_result(client, tablet, task.task_id, rid, body)  # still recognised
    assert retry.json()["status"] == "unchanged"
    next_version = {**body, "base_version": 1, "findings": "已补公示"}
    assert (await put_result(client, tablet, task.task_id, rid, next_version)).status_code == 200

    first, second = await _stored_bodies()
    assert (first["category"], first["category_wording"]) == ("B", "未按规定公示应当公示的信息")
    assert second["category_wording"] == "未按规定公示年度报告等信息"


async def test_the_task_package_lists_the_active_categories(
    client: httpx.AsyncClient,
) -> None:
    task = await factory.field_task()
    admin = await factories.login_as(client, "admin", None)
    tablet = await login(client, task.users["S1"])
    feed = (await client.get(f"{API}/field/tasks", headers=tablet)).json()
    [package] = feed["tasks"]
    codes = [c["code"] for c in package["categories"]]
    assert codes[:3] == ["1", "A", "2"] and "12" in codes
    b = next(c for c in package["categories"] if c["code"] == "B")
    assert b == {
        "code": "B",
        "zh": "未按规定公示应当公示的信息",
        "en": "Required information not disclosed",
        "parent": "2",
    }

    await client.post(f"{API}/categories/12/retire", headers=admin)
    again = (await client.get(f"{API}/field/tasks", headers=tablet)).json()
    assert "12" not in [c["code"] for c in again["tasks"][0]["categories"]]
