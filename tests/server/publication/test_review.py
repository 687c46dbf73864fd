"""Review and publication through the API: states, refusals, immutability, corrections."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from server.audit.tables import AuditEntry
from server.publication.tables import Publication, PublicEntry, ReviewDecision
from tests.server import factories
from tests.server.field import calls
from tests.server.publication.flow import Completed, completed_task

API = "/api/v1"


async def review_of(client: httpx.AsyncClient, headers: dict[str, str], task_id: int) -> Any:
    response = await client.get(f"{API}/review/tasks/{task_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def decide(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    task_id: int,
    item: str,
    decision: str,
    version: int,
    reason: str = "",
) -> httpx.Response:
    return await client.post(
        f"{API}/review/tasks/{task_id}/items/{item}/decision",
        json={"decision": decision, "version": version, "reason": reason},
        headers=headers,
    )


async def publish(
    client: httpx.AsyncClient, headers: dict[str, str], task_id: int, reason: str = ""
) -> httpx.Response:
    return await client.post(
        f"{API}/review/tasks/{task_id}/publish", json={"reason": reason}, headers=headers
    )


async def approve_all(client: httpx.AsyncClient, admin: dict[str, str], done: Completed) -> None:
    review = await review_of(client, admin, done.task.task_id)
    for item in review["items"]:
        if item["state"] != "approved":
            response = await decide(
                client, admin, done.task.task_id, item["item"], "approve", item["result"]["version"]
            )
            assert response.status_code == 201, response.text


async def test_return_resend_approve_publish(client: httpx.AsyncClient) -> None:
    done = await completed_task(client, completed_at="2026-11-20T11:00:00+08:00")
    task_id = done.task.task_id
    back = await factories.login_as(client, "back_office", "SCJG")

    listed = await client.get(f"{API}/review/tasks/", headers=back)
    assert listed.status_code == 200
    [summary] = listed.json()["items"]
    assert summary["task_id"] == task_id
    assert summary["state"] == "in_review"
    assert summary["deadline"]["deadline"] == "2026-12-04"
    assert summary["deadline"]["rule"] == "10个工作日"

    refused = await decide(client, back, task_id, "SC-01", "return", 1)
    assert refused.status_code == 422 and refused.json()["code"] == "review.reason_required"
    returned = await decide(client, back, task_id, "SC-01", "return", 1, "照片不清晰，请重拍")
    assert returned.status_code == 201, returned.text

    # A task with a returned item cannot be published.
    admin = await factories.login_as(client, "admin", None)
    blocked = await publish(client, admin, task_id)
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "publication.not_ready"
    assert {"item": "SC-01", "state": "returned", "state_zh": "退回修改"} in blocked.json()["items"]
    assert await Publication.count() == 0

    # The inspector's device sees the return with its reason at next sync…
    feed = await client.get(f"{API}/field/tasks", headers=done.headers["S1"])
    [package] = feed.json()["tasks"]
    assert [(r["item"], r["version"], r["reason"]) for r in package["returns"]] == [
        ("SC-01", 1, "照片不清晰，请重拍")
    ]
    assert package["publication_deadline"] == "2026-12-04"
    # …but not the other department's inspector (the item is not theirs).
    other = await client.get(f"{API}/field/tasks", headers=done.headers["H1"])
    assert other.json()["tasks"][0]["returns"] == []

    # …and sends a new version although the department had submitted.
    resend = await calls.put_result(
        client,
        done.headers["S1"],
        task_id,
        done.results["SC-01"],
        calls.result_body("SC-01", base_version=1, findings="已重拍照片"),
    )
    assert resend.status_code == 200, resend.text
    assert resend.json()["version"] == 2
    review = await review_of(client, back, task_id)
    item = next(i for i in review["items"] if i["item"] == "SC-01")
    assert item["state"] == "pending"
    assert [h["decision"] for h in item["history"]] == ["returned"]

    stale = await decide(client, back, task_id, "SC-01", "approve", 1)
    assert stale.status_code == 409 and stale.json()["code"] == "review.stale_version"
    assert (await decide(client, back, task_id, "SC-01", "approve", 2)).status_code == 201
    # SCJG's back office may not decide HBJ's item.
    foreign = await decide(client, back, task_id, "HB-01", "approve", 1)
    assert foreign.status_code == 403
    assert foreign.json()["code"] == "review.forbidden_department"
    assert (await decide(client, admin, task_id, "HB-01", "approve", 1)).status_code == 201

    published = await publish(client, back, task_id)
    assert published.status_code == 201, published.text
    record = published.json()["record"]
    assert published.json()["version"] == 1
    assert record["kind"] == "抽查"
    assert record["completed_on"] == "2026-11-20"
    assert record["results"] == [{"code": "1", "wording": "未发现问题"}]
    assert {i["item_code"] for i in record["items"]} == {"SC-01", "HB-01"}
    assert record["task_code"].endswith(f"-{task_id}")
    assert "inspector" not in str(record)
    again = await publish(client, back, task_id)
    assert again.status_code == 409 and again.json()["code"] == "publication.nothing_to_correct"
    history = await review_of(client, back, task_id)
    assert history["state"] == "published"
    assert history["deadline"]["published_on"] is not None
    assert await AuditEntry.count().where(AuditEntry.action == "publication.publish") == 1


async def test_correction_is_a_new_version_beside_the_original(client: httpx.AsyncClient) -> None:
    done = await completed_task(client)
    task_id = done.task.task_id
    admin = await factories.login_as(client, "admin", None)
    await approve_all(client, admin, done)
    first = await publish(client, admin, task_id)
    assert first.status_code == 201

    # A problem comes to light: return, corrected result, approve, publish a correction.
    await decide(client, admin, task_id, "SC-01", "return", 1, "结果类别应为已责令改正")
    resend = await calls.put_result(
        client,
        done.headers["S1"],
        task_id,
        done.results["SC-01"],
        calls.result_body("SC-01", base_version=1, category="E", findings="已责令改正"),
    )
    assert resend.status_code == 200, resend.text
    await approve_all(client, admin, done)
    no_reason = await publish(client, admin, task_id)
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "review.reason_required"
    second = await publish(client, admin, task_id, "更正SC-01的检查结果")
    assert second.status_code == 201, second.text
    assert second.json()["version"] == 2
    assert second.json()["reason"] == "更正SC-01的检查结果"
    codes = {r["code"] for r in second.json()["record"]["results"]}
    assert codes == {"1", "E"}

    review = await review_of(client, admin, task_id)
    assert [p["version"] for p in review["publications"]] == [1, 2]
    assert review["publications"][0]["record"] == first.json()["record"]
    entries = await PublicEntry.select(PublicEntry.version, PublicEntry.current).order_by(
        PublicEntry.version
    )
    assert entries == [{"version": 1, "current": False}, {"version": 2, "current": True}]


async def test_publications_and_opinions_cannot_be_changed_in_the_database(
    client: httpx.AsyncClient,
) -> None:
    done = await completed_task(client)
    admin = await factories.login_as(client, "admin", None)
    await approve_all(client, admin, done)
    assert (await publish(client, admin, done.task.task_id)).status_code == 201
    with pytest.raises(Exception, match="append-only"):
        await Publication.update({Publication.reason: "篡改"}).where(Publication.id > 0)
    with pytest.raises(Exception, match="append-only"):
        await Publication.delete().where(Publication.id > 0)
    with pytest.raises(Exception, match="append-only"):
        await ReviewDecision.delete().where(ReviewDecision.id > 0)
    assert await Publication.count() == 1


async def test_an_open_conflict_blocks_approval_and_publication(client: httpx.AsyncClient) -> None:
    done = await completed_task(client)
    task_id = done.task.task_id
    admin = await factories.login_as(client, "admin", None)
    # A change sent after submission, without a return, is a conflict (待复核).
    late = await calls.put_result(
        client,
        done.headers["S2"],
        task_id,
        calls.new_id(),
        calls.result_body("SC-01", findings="另一台设备"),
    )
    assert late.status_code == 409
    review = await review_of(client, admin, task_id)
    assert review["state"] == "conflict"
    item = next(i for i in review["items"] if i["item"] == "SC-01")
    refused = await decide(client, admin, task_id, "SC-01", "approve", 1)
    assert refused.status_code == 409 and refused.json()["code"] == "review.in_conflict"
    assert (await decide(client, admin, task_id, "HB-01", "approve", 1)).status_code == 201
    blocked = await publish(client, admin, task_id)
    assert blocked.status_code == 409
    resolved = await client.post(
        f"{API}/review/conflicts/{item['conflict_id']}/resolve",
        json={"keep": "server", "note": "保留原结果"},
        headers=admin,
    )
    assert resolved.status_code == 200, resolved.text
    assert (await decide(client, admin, task_id, "SC-01", "approve", 1)).status_code == 201
    assert (await publish(client, admin, task_id)).status_code == 201


async def test_who_may_review_and_publish(client: httpx.AsyncClient) -> None:
    done = await completed_task(client)
    task_id = done.task.task_id
    inspector = done.headers["S1"]
    assert (await client.get(f"{API}/review/tasks/", headers=inspector)).status_code == 403
    assert (await decide(client, inspector, task_id, "SC-01", "approve", 1)).status_code == 403
    lead = await factories.login_as(client, "team_lead", "SCJG")
    assert (await decide(client, lead, task_id, "SC-01", "approve", 1)).status_code == 201
    assert (await publish(client, lead, task_id)).status_code == 403
    stranger = await factories.login_as(client, "back_office", "JTJ")
    unknown = await client.get(f"{API}/review/tasks/{task_id}", headers=stranger)
    assert unknown.status_code == 404
    listed = await client.get(f"{API}/review/tasks/", headers=stranger)
    assert listed.json()["items"] == []


async def test_unsubmitted_task_and_bad_decisions(client: httpx.AsyncClient) -> None:
    from tests.server.field.factory import field_task

    task = await field_task()
    admin = await factories.login_as(client, "admin", None)
    response = await decide(client, admin, task.task_id, "SC-01", "approve", 1)
    assert response.status_code == 409 and response.json()["code"] == "review.not_submitted"
    done = await completed_task(client)
    bad = await decide(client, admin, done.task.task_id, "SC-01", "reject", 1)
    assert bad.status_code == 422 and bad.json()["code"] == "review.unknown_decision"
    missing = await decide(client, admin, done.task.task_id, "NOPE", "approve", 1)
    assert missing.status_code == 404 and missing.json()["code"] == "review.unknown_item"
    long = await decide(client, admin, done.task.task_id, "SC-01", "return", 1, "长" * 501)
    assert long.status_code == 422
    assert await ReviewDecision.count() == 0
