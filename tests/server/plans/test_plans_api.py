"""Plans over HTTP: lifecycle, amendments, warnings, refusals that change nothing."""

from __future__ import annotations

from typing import Any

from server.plans.tables import Plan, PlanAmendment, PlanDepartment, PlanItem
from tests.server import factories
from tests.server.draws import world
from tests.server.draws.world import joint_plan_body


async def _snapshot() -> dict[str, Any]:
    return {
        "plans": await Plan.select().order_by(Plan.id),
        "departments": await PlanDepartment.select().order_by(PlanDepartment.id),
        "items": await PlanItem.select().order_by(PlanItem.id),
        "amendments": await PlanAmendment.select().order_by(PlanAmendment.id),
    }


async def test_lifecycle_with_recorded_amendment(client) -> None:
    await world.build(objects_per_class=1)
    lead = await factories.login_as(client, "team_lead", "SCJG")

    created = await client.post("/api/v1/plans/", json=joint_plan_body(), headers=lead)
    assert created.status_code == 201, created.text
    plan = created.json()
    assert plan["status"] == "draft"
    assert plan["warnings"] == []
    assert [d["code"] for d in plan["departments"]] == ["SCJG", "WSJK", "YJGL"]
    assert plan["departments"][1]["items"][0]["required_qualifications"] == ["health"]
    assert plan["ratios"] == {"A": "0.2", "B": "0.4", "C": "0.6", "D": "1"}

    edited = await client.patch(
        f"/api/v1/plans/{plan['id']}",
        json={"ratios": {"A": "0.1"}, "frequency": ">=1"},
        headers=lead,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["ratios"] == {"A": "0.1"}
    assert edited.json()["amendments"] == []  # draft edits are not amendments

    approved = await client.post(f"/api/v1/plans/{plan['id']}/approve", headers=lead)
    assert approved.json()["status"] == "approved"

    before = await _snapshot()
    refused = await client.patch(
        f"/api/v1/plans/{plan['id']}", json={"ratios": {"A": "0.5"}}, headers=lead
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "plans.amendment_required"
    no_reason = await client.post(
        f"/api/v1/plans/{plan['id']}/amendments",
        json={"reason": "  ", "changes": {"ratios": {"A": "0.5"}}},
        headers=lead,
    )
    assert no_reason.json()["code"] == "plans.reason_required"
    assert await _snapshot() == before

    amended = await client.post(
        f"/api/v1/plans/{plan['id']}/amendments",
        json={"reason": "上级通知提高A类比例", "changes": {"ratios": {"A": "0.5"}}},
        headers=lead,
    )
    assert amended.status_code == 201, amended.text
    body = amended.json()
    assert body["ratios"] == {"A": "0.5"}
    [amendment] = body["amendments"]
    assert amendment["reason"] == "上级通知提高A类比例"
    assert amendment["changes"] == {"ratios": {"before": {"A": "0.1"}, "after": {"A": "0.5"}}}

    # not public before 公示
    assert (await client.get(f"/api/v1/public/plans/{plan['code']}")).status_code == 404
    published = await client.post(f"/api/v1/plans/{plan['id']}/publish", headers=lead)
    assert published.json()["status"] == "published"
    public = await client.get(f"/api/v1/public/plans/{plan['code']}")
    assert public.status_code == 200
    assert public.json()["amendments"][0]["reason"] == "上级通知提高A类比例"
    listing = await client.get("/api/v1/public/plans")
    assert [p["code"] for p in listing.json()["items"]] == [plan["code"]]

    # publishing twice is a bad transition, closing before the draw too
    again = await client.post(f"/api/v1/plans/{plan['id']}/publish", headers=lead)
    assert again.json()["code"] == "plans.bad_transition"
    close = await client.post(f"/api/v1/plans/{plan['id']}/close", headers=lead)
    assert close.json()["code"] == "plans.bad_transition"


async def test_joint_plan_with_two_departments_warns_but_is_created(client) -> None:
    await world.build(objects_per_class=1)
    lead = await factories.login_as(client, "team_lead", "SCJG")
    body = joint_plan_body(
        departments=[{"code": "SCJG", "per_task": 1}, {"code": "YJGL", "per_task": 1}],
        items=["SC-SP-01", "YJ-XF-01"],
    )
    created = await client.post("/api/v1/plans/", json=body, headers=lead)
    assert created.status_code == 201, created.text
    [warning] = created.json()["warnings"]
    assert warning["code"] == "plans.joint_few_departments"
    assert "3" in warning["zh"]


async def test_refusals_change_nothing(client) -> None:
    await world.build(objects_per_class=1)
    lead = await factories.login_as(client, "team_lead", "SCJG")
    other_lead = await factories.login_as(client, "team_lead", "WSJK")
    inspector = await factories.login_as(client, "inspector", "SCJG")
    before = await _snapshot()

    cases = [
        (lead, joint_plan_body(ratios={"A": "1.5"}), "plans.ratio_invalid"),
        (lead, joint_plan_body(ratios={"A": "-0.1"}), "plans.ratio_invalid"),
        (lead, joint_plan_body(ratios={"A": "abc"}), "plans.ratio_invalid"),
        (lead, joint_plan_body(ratios={"A": "0.1", "all": "0.2"}), "plans.strata_invalid"),
        (lead, joint_plan_body(ratios={"Z": "0.1"}), "plans.strata_invalid"),
        (lead, joint_plan_body(items=["SC-SP-01", "NOPE"]), "plans.item_unknown"),
        (lead, joint_plan_body(items=["SC-SP-01", "WS-GG-01"]), "plans.department_without_items"),
        (
            lead,
            joint_plan_body(window_start="2026-12-31", window_end="2026-01-01"),
            "plans.window_invalid",
        ),
        (lead, joint_plan_body(scope={"colour": ["red"]}), "plans.scope_invalid"),
        (lead, joint_plan_body(kind="annual"), "plans.annual_one_department"),
        (other_lead, joint_plan_body(), "auth.forbidden_department"),
        (inspector, joint_plan_body(), "auth.forbidden_role"),
    ]
    for headers, body, code in cases:
        response = await client.post("/api/v1/plans/", json=body, headers=headers)
        assert response.json()["code"] == code, (body, response.text)
        assert response.json()["detail"]["zh"] and response.json()["detail"]["en"]
    assert await _snapshot() == before

    created = await client.post("/api/v1/plans/", json=joint_plan_body(), headers=lead)
    duplicate = await client.post("/api/v1/plans/", json=joint_plan_body(), headers=lead)
    assert duplicate.json()["code"] == "plans.code_taken"
    plan_id = created.json()["id"]
    snapshot = await _snapshot()
    foreign = await client.patch(
        f"/api/v1/plans/{plan_id}", json={"name": "改名"}, headers=other_lead
    )
    assert foreign.json()["code"] == "auth.forbidden_department"
    assert await _snapshot() == snapshot
    readable = await client.get(f"/api/v1/plans/{plan_id}", headers=inspector)
    assert readable.status_code == 200


async def test_key_items_cover_class_d_and_a_drawn_plan_is_not_amended(client) -> None:
    from tests.server.draws.ceremony import full_draw, published_plan, staff

    await world.build(objects_per_class=3)
    lead, observer = await staff(client)
    plan = await published_plan(
        client,
        lead,
        items=["SC-SP-01", "SC-TZ-01", "WS-GG-01", "YJ-XF-01"],
        ratios={"A": "0.1", "D": "0.1"},
        key_full_coverage=True,
        general_cap=1,
    )
    record = await full_draw(client, lead, observer, plan["id"])
    assert record["strata"]["D"] == {
        "ratio": "1",
        "cap": None,
        "population": record["strata"]["D"]["population"],
    }
    assert len(record["selected"]["D"]) == 3 and len(record["selected"]["A"]) == 1
    before = await _snapshot()
    late = await client.post(
        f"/api/v1/plans/{plan['id']}/amendments",
        json={"reason": "事后调整", "changes": {"ratios": {"A": "1"}}},
        headers=lead,
    )
    assert late.json()["code"] == "plans.not_amendable"
    assert await _snapshot() == before
    closed = await client.post(f"/api/v1/plans/{plan['id']}/close", headers=lead)
    assert closed.json()["status"] == "closed"
