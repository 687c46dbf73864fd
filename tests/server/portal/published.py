"""Published results for portal tests, made through the review and publication API."""

from __future__ import annotations

import httpx

from server.rosters.tables import InspectionObject
from server.tasks.tables import Task
from tests.server import factories
from tests.server.field import calls
from tests.server.publication.flow import Completed, completed_task

API = "/api/v1"


async def publish_task(
    client: httpx.AsyncClient, name: str, completed_at: str = "2026-11-20T11:00:00+08:00"
) -> Completed:
    """A completed task whose business is called `name`, approved and published."""
    done = await completed_task(client, completed_at=completed_at)
    task = await Task.select(Task.object).where(Task.id == done.task.task_id).first()
    await InspectionObject.update({InspectionObject.name: name}).where(
        InspectionObject.id == task["object"]
    )
    admin = await factories.login_as(client, "admin", None)
    await approve_all(client, admin, done)
    response = await client.post(
        f"{API}/review/tasks/{done.task.task_id}/publish", json={}, headers=admin
    )
    assert response.status_code == 201, response.text
    return done


async def approve_all(client: httpx.AsyncClient, admin: dict[str, str], done: Completed) -> None:
    review = await client.get(f"{API}/review/tasks/{done.task.task_id}", headers=admin)
    for item in review.json()["items"]:
        if item["state"] != "approved":
            response = await client.post(
                f"{API}/review/tasks/{done.task.task_id}/items/{item['item']}/decision",
                json={"decision": "approve", "version": item["result"]["version"]},
                headers=admin,
            )
            assert response.status_code == 201, response.text


async def correct(client: httpx.AsyncClient, done: Completed, category: str, reason: str) -> None:
    """Return SC-01, resend it with another category, approve, publish the correction."""
    admin = await factories.login_as(client, "admin", None)
    task_id = done.task.task_id
    review = await client.get(f"{API}/review/tasks/{task_id}", headers=admin)
    version = next(i for i in review.json()["items"] if i["item"] == "SC-01")["result"]["version"]
    returned = await client.post(
        f"{API}/review/tasks/{task_id}/items/SC-01/decision",
        json={"decision": "return", "version": version, "reason": reason},
        headers=admin,
    )
    assert returned.status_code == 201, returned.text
    resend = await calls.put_result(
        client,
        done.headers[done.badge_for("SC-01")],
        task_id,
        done.results["SC-01"],
        calls.result_body("SC-01", base_version=version, category=category, findings=reason),
    )
    assert resend.status_code == 200, resend.text
    await approve_all(client, admin, done)
    published = await client.post(
        f"{API}/review/tasks/{task_id}/publish", json={"reason": reason}, headers=admin
    )
    assert published.status_code == 201, published.text
