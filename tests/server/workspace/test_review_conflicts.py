"""The review page over HTTP: the visit record with its signatures beside the results, an
open conflict side by side, settled by keeping a version (and returning it) in one
transaction; refusals beside the fields change nothing; department scope, observers
read only, CSRF-less posts refused."""

from __future__ import annotations

import httpx

from server.field.tables import ItemResult, ResultConflict
from server.publication.tables import ReviewDecision
from tests.server import factories
from tests.server.field.calls import new_id, put_result, result_body, snapshot
from tests.server.workspace.http import csrf_of, web_login
from tests.server.workspace.review_world import attachment_store, conflicted_task

__all__ = ["attachment_store"]


async def _as(client: httpx.AsyncClient, username: str) -> str:
    client.cookies.clear()
    return await web_login(client, username)


async def _open() -> bool:
    row = await ResultConflict.select(ResultConflict.status).first()
    return row is not None and row["status"] == "open"


async def test_conflict_side_by_side_keep_and_return(
    client: httpx.AsyncClient, attachment_store: object
) -> None:
    world = await conflicted_task(client)
    task_id, cid = world.done.task.task_id, world.conflict_id
    await factories.user("back_office", "bo", "SCJG")
    await factories.user("observer", "watcher", "SCJG")
    await factories.user("team_lead", "gaj-lead", "GAJ")
    page = f"/workspace/review/{task_id}"
    settle = f"{page}/conflicts/{cid}"

    csrf = await _as(client, "bo")
    shown = await client.get(page)
    assert shown.status_code == 200
    html = shown.text
    assert "现场检查笔录与签名" in html and "企业负责人在场，配合检查" in html
    assert "实地检查" in html and "王店长（店长）" in html
    for digest in world.signatures:
        assert f'src="{page}/photos/{digest}"' in html
    assert f'id="conflict-{cid}"' in html
    assert "后厨地面湿滑，已当场提醒" in html and "未发现问题" in html  # both sides
    assert "同一检查项收到了第二份结果" in html and "不同" in html
    assert f'src="{page}/photos/{world.client_photo}"' in html
    assert f'action="{page}/items/SC-01"' not in html  # no approval while in conflict
    for digest, data in world.signatures.items():
        image = await client.get(f"{page}/photos/{digest}")
        assert image.status_code == 200 and image.content == data
    assert (await client.get(f"{page}/photos/{world.client_photo}")).status_code == 200
    assert (await client.get(f"{page}/photos/{'0' * 64}")).status_code == 404

    before = await snapshot()
    no_csrf = await client.post(settle, data={f"keep-{cid}": "client", "action": "keep"})
    assert no_csrf.status_code == 403
    no_choice = await client.post(settle, data={"csrf_token": csrf, "action": "keep"})
    assert no_choice.status_code == 422 and f'id="e-keep-{cid}"' in no_choice.text
    no_reason = await client.post(
        settle,
        data={"csrf_token": csrf, f"keep-{cid}": "client", "action": "return", f"note-{cid}": ""},
    )
    assert no_reason.status_code == 422 and f'id="e-note-{cid}"' in no_reason.text
    assert 'value="client" id="f-keep-' in no_reason.text and "checked" in no_reason.text
    assert await snapshot() == before and await _open()

    # Read-only and foreign callers.
    csrf_observer = await _as(client, "watcher")
    seen = await client.get(page)
    assert seen.status_code == 200 and "须由SCJG的组长、内勤或管理员复核冲突" in seen.text
    assert f'action="{settle}"' not in seen.text
    refused = await client.post(
        settle, data={"csrf_token": csrf_observer, f"keep-{cid}": "server", "action": "keep"}
    )
    assert refused.status_code == 403
    csrf_other = await _as(client, "gaj-lead")
    assert (await client.get(page)).status_code == 404
    foreign = await client.post(
        settle, data={"csrf_token": csrf_other, f"keep-{cid}": "server", "action": "keep"}
    )
    assert foreign.status_code == 404
    client.cookies.clear()
    form = await client.get("/workspace/login")
    await client.post(
        "/workspace/login",
        data={
            "username": world.done.task.users["S1"],
            "password": factories.PASSWORD,
            "csrf_token": csrf_of(form.text),
        },
    )
    assert (await client.get(page)).status_code == 403  # inspectors work on the tablet
    inspector = await client.post(settle, data={f"keep-{cid}": "client", "action": "keep"})
    assert inspector.status_code == 403
    assert await snapshot() == before and await _open()

    # Keep the device's version and return it, in one go.
    csrf = await _as(client, "bo")
    done = await client.post(
        settle,
        data={
            "csrf_token": csrf,
            f"keep-{cid}": "client",
            "action": "return",
            f"note-{cid}": "两份记录不一致，请现场核实",
        },
    )
    assert done.status_code == 303, done.text
    assert not await _open()
    head = await ItemResult.select().where(ItemResult.result_uuid == world.done.results["SC-01"])
    assert head[0]["version"] == 2
    [decision] = await ReviewDecision.select()
    assert (decision["decision"], decision["result_version"]) == ("returned", 2)
    assert decision["reason"] == "两份记录不一致，请现场核实"
    after = (await client.get(page)).text
    assert f'id="conflict-{cid}"' not in after and "后厨地面湿滑" in after and "退回修改" in after
    again = await client.post(
        settle, data={"csrf_token": csrf, f"keep-{cid}": "server", "action": "keep"}
    )
    assert again.status_code == 404  # settled: no longer a conflict of this task

    # A new clash on the returned item: keeping the server's version changes no result.
    clash = await put_result(
        client,
        world.done.headers["S2"],
        task_id,
        new_id(),
        result_body("SC-01", findings="第三份记录"),
    )
    assert clash.status_code == 409, clash.text
    second = clash.json()["conflict_id"]
    assert f'id="conflict-{second}"' in (await client.get(page)).text
    kept = await client.post(
        f"{page}/conflicts/{second}",
        data={"csrf_token": csrf, f"keep-{second}": "server", "action": "keep"},
    )
    assert kept.status_code == 303
    head = await ItemResult.select().where(ItemResult.result_uuid == world.done.results["SC-01"])
    assert head[0]["version"] == 2 and await ReviewDecision.count() == 1
    assert "第三份记录" not in (await client.get(page)).text
