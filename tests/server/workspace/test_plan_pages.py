"""Plan builder pages over HTTP: the cap check refuses and then accepts, errors beside their
fields, nothing half-saved, and only the departments taking part see the plan."""

from __future__ import annotations

from typing import Any

from server.plans.tables import Plan, PlanDepartment, PlanItem
from server.rosters.tables import InspectionItem
from tests.server import factories
from tests.server.draws import world
from tests.server.workspace.http import web_login


def plan_form(csrf: str, **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "csrf_token": csrf,
        "code": "2026-LH-WEB",
        "name": "2026年食品经营场所联合抽查",
        "year": "2026",
        "window_start": "2026-03-01",
        "window_end": "2026-12-31",
        "items": ["SC-SP-01", "WS-GG-01", "YJ-XF-01"],
        "ratio_A": "0.05",
        "ratio_B": "0.1",
        "ratio_C": "0.3",
        "ratio_D": "0.3",
        "general_cap": "",
    }
    form.update(overrides)
    return form


async def _setup() -> None:
    await world.build(objects_per_class=10)
    await InspectionItem.update({InspectionItem.ratio_cap: "0.1"}).where(
        InspectionItem.code == "SC-SP-01"
    )
    await factories.user("team_lead", "lead", "SCJG")
    await factories.user("team_lead", "other-lead", "GAJ")
    await factories.user("observer", "observer", "SCJG")


async def test_the_cap_check_refuses_then_accepts(client) -> None:
    await _setup()
    csrf = await web_login(client, "lead")

    page = await client.get("/workspace/plans/new")
    assert page.status_code == 200
    assert "SC-SP-01" in page.text and "比例上限 0.1" in page.text

    preview = await client.post(
        "/workspace/plans/preview", data=plan_form(csrf), headers={"X-CSRF-Token": csrf}
    )
    assert preview.status_code == 200
    assert "比例检查未通过" in preview.text
    assert 'id="preview-in-scope">40<' in preview.text

    refused = await client.post("/workspace/plans/new", data=plan_form(csrf))
    assert refused.status_code == 422
    assert 'id="e-ratio_C"' in refused.text and 'id="e-ratio_D"' in refused.text
    assert "SC-SP-01" in refused.text
    assert 'value="2026-LH-WEB"' in refused.text  # what was typed stays
    assert await Plan.count() == 0
    assert await PlanItem.count() == 0 and await PlanDepartment.count() == 0

    bad_year = await client.post("/workspace/plans/new", data=plan_form(csrf, year="二〇二六"))
    assert bad_year.status_code == 422 and 'id="e-year"' in bad_year.text
    assert await Plan.count() == 0

    fixed = plan_form(csrf, ratio_C="0.1", ratio_D="0.1")
    ok_preview = await client.post(
        "/workspace/plans/preview", data=fixed, headers={"X-CSRF-Token": csrf}
    )
    assert "比例检查通过" in ok_preview.text
    assert 'id="preview-drawn">4<' in ok_preview.text  # 1 + 1 + 1 + 1 of 10 each
    saved = await client.post("/workspace/plans/new", data=fixed)
    assert saved.status_code == 303, saved.text
    plan = await Plan.select().first()
    assert plan["status"] == "draft" and plan["kind"] == "joint"
    assert saved.headers["location"] == f"/workspace/plans/{plan['id']}"

    again = await client.post("/workspace/plans/new", data=fixed)
    assert again.status_code == 422 and 'id="e-code"' in again.text
    assert await Plan.count() == 1

    view = await client.get(f"/workspace/plans/{plan['id']}")
    assert view.status_code == 200 and "审批计划" in view.text
    for action, status in (("approve", "approved"), ("publish", "published")):
        done = await client.post(
            f"/workspace/plans/{plan['id']}/{action}", data={"csrf_token": csrf}
        )
        assert done.status_code == 303
        assert (await Plan.select(Plan.status).first())["status"] == status
    repeat = await client.post(f"/workspace/plans/{plan['id']}/approve", data={"csrf_token": csrf})
    assert repeat.status_code == 303  # refused, shown as a message on the plan page
    assert (await Plan.select(Plan.status).first())["status"] == "published"


async def test_only_departments_taking_part_see_the_plan(client) -> None:
    await _setup()
    csrf = await web_login(client, "lead")
    form = plan_form(csrf, ratio_C="0.1", ratio_D="0.1")
    assert (await client.post("/workspace/plans/new", data=form)).status_code == 303
    plan_id = (await Plan.select(Plan.id).first())["id"]
    await client.post(f"/workspace/plans/{plan_id}/approve", data={"csrf_token": csrf})
    await client.post("/workspace/logout", data={"csrf_token": csrf})
    client.cookies.clear()

    csrf = await web_login(client, "other-lead")
    assert (await client.get(f"/workspace/plans/{plan_id}")).status_code == 404
    assert "2026-LH-WEB" not in (await client.get("/workspace/plans/")).text
    changed = await client.post(f"/workspace/plans/{plan_id}/publish", data={"csrf_token": csrf})
    assert changed.status_code == 404
    assert (await Plan.select(Plan.status).first())["status"] == "approved"
    client.cookies.clear()

    csrf = await web_login(client, "observer")
    view = await client.get(f"/workspace/plans/{plan_id}")
    assert view.status_code == 200 and "审批计划" not in view.text and "公示计划" not in view.text
    refused = await client.post(f"/workspace/plans/{plan_id}/publish", data={"csrf_token": csrf})
    assert refused.status_code == 403
    assert (await client.get("/workspace/plans/new")).status_code == 403
    assert (await Plan.select(Plan.status).first())["status"] == "approved"

    no_csrf = await client.post(f"/workspace/plans/{plan_id}/publish", data={})
    assert no_csrf.status_code == 403
