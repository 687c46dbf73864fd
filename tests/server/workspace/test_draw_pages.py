"""The draw ceremony page over HTTP: schedule, the observer witnesses in their own session,
the lead draws; refusals shown beside the field and changing nothing."""

from __future__ import annotations

import json

from server.draws.tables import Draw, DrawAmendment
from server.plans.tables import Plan
from server.tasks.tables import Task
from tests.server.workspace.http import web_login
from tests.server.workspace.test_plan_pages import _setup, plan_form


async def _published_plan(client) -> tuple[int, str]:
    await _setup()
    csrf = await web_login(client, "lead")
    form = plan_form(csrf, ratio_C="0.1", ratio_D="0.1")
    assert (await client.post("/workspace/plans/new", data=form)).status_code == 303
    plan_id = (await Plan.select(Plan.id).first())["id"]
    for action in ("approve", "publish"):
        await client.post(f"/workspace/plans/{plan_id}/{action}", data={"csrf_token": csrf})
    return plan_id, csrf


async def _as(client, username: str) -> str:
    client.cookies.clear()
    return await web_login(client, username)


async def test_the_ceremony_from_commitment_to_sealed_record(client) -> None:
    plan_id, csrf = await _published_plan(client)
    page = f"/workspace/plans/{plan_id}/draw"

    early = await client.post(f"{page}/run", data={"csrf_token": csrf})
    assert early.status_code == 303 and await Draw.count() == 0

    assert (await client.post(f"{page}/schedule", data={"csrf_token": csrf})).status_code == 303
    draw = await Draw.select().first()
    shown = await client.get(page)
    assert draw["commitment"] in shown.text
    assert "等待纪检监察人员" in shown.text and "witness_input" not in shown.text

    lead_witness = await client.post(
        f"{page}/witness", data={"csrf_token": csrf, "witness_input": "12345"}
    )
    assert lead_witness.status_code == 403
    not_yet = await client.post(f"{page}/run", data={"csrf_token": csrf})
    assert not_yet.status_code == 303
    assert (await Draw.select(Draw.status).first())["status"] == "scheduled"

    csrf = await _as(client, "observer")
    form_page = await client.get(page)
    assert 'id="f-witness_input"' in form_page.text and "run-draw" not in form_page.text
    blank = await client.post(f"{page}/witness", data={"csrf_token": csrf, "witness_input": "  "})
    assert blank.status_code == 422 and 'id="e-witness_input"' in blank.text
    too_long = await client.post(
        f"{page}/witness", data={"csrf_token": csrf, "witness_input": "8" * 201}
    )
    assert too_long.status_code == 422
    assert (await Draw.select(Draw.status).first())["status"] == "scheduled"
    signed = await client.post(
        f"{page}/witness", data={"csrf_token": csrf, "witness_input": "现场见证 731"}
    )
    assert signed.status_code == 303
    observer_run = await client.post(f"{page}/run", data={"csrf_token": csrf})
    assert observer_run.status_code == 403

    csrf = await _as(client, "lead")
    assert (await client.post(f"{page}/run", data={"csrf_token": csrf})).status_code == 303
    sealed = await client.get(page)
    assert "现场见证 731" in sealed.text and 'id="result-table"' in sealed.text
    tasks = await Task.count()
    assert tasks == 4 and sealed.text.count("测试企业") == tasks
    assert f"/public/draws/{draw['public_id']}" in sealed.text

    pdf = await client.get(f"{page}/record.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # The progress dashboard and the amendment dialog (replace an inspector).
    progress = f"/workspace/plans/{plan_id}/progress"
    board = await client.get(progress)
    assert board.status_code == 200 and "已分派 4" in board.text and "缺员 0" in board.text
    assert "未完成检查" in board.text
    filtered = await client.get(progress, params={"status": "submitted"})
    assert "没有符合条件的任务" in filtered.text
    record = json.loads((await Draw.select(Draw.record).first())["record"])
    first = record["assignments"][0]
    removed = first["inspectors"]["SCJG"][0]
    form = {
        "csrf_token": csrf,
        "object_id": first["object_id"],
        "department": "SCJG",
        "removed": removed,
        "reason": "",
    }
    no_reason = await client.post(f"{progress}/amend", data=form)
    assert no_reason.status_code == 422 and 'id="e-reason"' in no_reason.text
    wrong = await client.post(
        f"{progress}/amend", data={**form, "removed": "NOPE", "reason": "病假"}
    )
    assert wrong.status_code == 422 and 'id="form-error"' in wrong.text
    assert await DrawAmendment.count() == 0
    amended = await client.post(f"{progress}/amend", data={**form, "reason": "病假"})
    assert amended.status_code == 303
    assert await DrawAmendment.count() == 1
    board = await client.get(progress)
    assert f"（{removed}）" not in board.text.split('id="progress"')[1].split("</tbody>")[0]

    archive = await client.get(f"/workspace/archives/plans/{plan_id}")
    assert archive.status_code == 200 and archive.content.startswith(b"PK")
    assert archive.headers["content-type"] == "application/zip"
    task_id = (await Task.select(Task.id).first())["id"]
    one = await client.get(f"/workspace/archives/tasks/{task_id}")
    assert one.status_code == 200 and one.content.startswith(b"PK")

    csrf = await _as(client, "observer")
    assert (await client.get(progress)).status_code == 200
    assert (await client.get(f"/workspace/archives/plans/{plan_id}")).status_code == 403
    refused = await client.post(
        f"{progress}/amend", data={**form, "csrf_token": csrf, "reason": "x"}
    )
    assert refused.status_code == 403 and await DrawAmendment.count() == 1

    await _as(client, "other-lead")
    assert (await client.get(progress)).status_code == 404
    assert (await client.get(f"/workspace/archives/plans/{plan_id}")).status_code == 404
    assert (await client.get(page)).status_code == 404
    assert (await client.get(f"{page}/record.pdf")).status_code == 404
