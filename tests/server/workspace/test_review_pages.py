"""The review queue pages over HTTP: return with a reason (errors beside the field, nothing
saved without one), the new version, approve, publish, a correction; department scope."""

from __future__ import annotations

import httpx

from server.publication.tables import Publication, ReviewDecision
from tests.server import factories
from tests.server.field import calls
from tests.server.publication.flow import completed_task
from tests.server.workspace.http import web_login


async def _as(client: httpx.AsyncClient, username: str) -> str:
    client.cookies.clear()
    return await web_login(client, username)


async def test_return_resend_approve_publish_correct(client: httpx.AsyncClient) -> None:
    done = await completed_task(client, completed_at="2026-11-20T11:00:00+08:00")
    task_id = done.task.task_id
    await factories.user("back_office", "bo", "SCJG")
    await factories.user("admin", "adm", None)
    await factories.user("team_lead", "gaj-lead", "GAJ")
    page = f"/workspace/review/{task_id}"

    csrf = await _as(client, "bo")
    queue = await client.get("/workspace/review/")
    assert queue.status_code == 200
    assert f'href="{page}"' in queue.text and "2026-12-04" in queue.text
    assert "审核中" in queue.text

    shown = await client.get(page)
    assert shown.status_code == 200 and "SC-01" in shown.text and "HB-01" in shown.text

    no_reason = await client.post(
        f"{page}/items/SC-01",
        data={"csrf_token": csrf, "decision": "return", "version": "1", "reason-SC-01": " "},
    )
    assert no_reason.status_code == 422 and 'id="e-reason-SC-01"' in no_reason.text
    assert await ReviewDecision.count() == 0

    returned = await client.post(
        f"{page}/items/SC-01",
        data={
            "csrf_token": csrf,
            "decision": "return",
            "version": "1",
            "reason-SC-01": "照片不清晰",
        },
    )
    assert returned.status_code == 303
    blocked = await client.post(f"{page}/publish", data={"csrf_token": csrf})
    assert blocked.status_code == 422 and 'id="e-publish_reason"' in blocked.text
    assert await Publication.count() == 0

    resend = await calls.put_result(
        client,
        done.headers["S1"],
        task_id,
        done.results["SC-01"],
        calls.result_body("SC-01", base_version=1, findings="已重拍照片"),
    )
    assert resend.status_code == 200, resend.text
    stale = await client.post(
        f"{page}/items/SC-01", data={"csrf_token": csrf, "decision": "approve", "version": "1"}
    )
    assert stale.status_code == 422
    approved = await client.post(
        f"{page}/items/SC-01", data={"csrf_token": csrf, "decision": "approve", "version": "2"}
    )
    assert approved.status_code == 303
    foreign = await client.post(
        f"{page}/items/HB-01", data={"csrf_token": csrf, "decision": "approve", "version": "1"}
    )
    assert foreign.status_code == 403

    csrf_admin = await _as(client, "adm")
    approved = await client.post(
        f"{page}/items/HB-01",
        data={"csrf_token": csrf_admin, "decision": "approve", "version": "1"},
    )
    assert approved.status_code == 303

    csrf = await _as(client, "bo")
    published = await client.post(f"{page}/publish", data={"csrf_token": csrf})
    assert published.status_code == 303 and await Publication.count() == 1
    after = await client.get(page)
    assert "已公示" in after.text and "更正原因" in after.text
    nothing = await client.post(
        f"{page}/publish", data={"csrf_token": csrf, "publish_reason": "错字"}
    )
    assert nothing.status_code == 422  # nothing changed since: no correction to publish
    assert await Publication.count() == 1

    assert f"/workspace/archives/tasks/{task_id}" in after.text

    await _as(client, "gaj-lead")
    assert (await client.get(page)).status_code == 404
    assert (await client.get(f"/workspace/archives/tasks/{task_id}")).status_code == 404
    assert f'href="{page}"' not in (await client.get("/workspace/review/")).text
