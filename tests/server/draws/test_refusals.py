"""Draw refusals and exclusions against the database: each refusal changes nothing."""

from __future__ import annotations

from typing import Any

from server.draws.tables import Draw
from server.plans.tables import Plan
from server.rosters.tables import Inspector
from server.tasks.tables import Task
from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff


async def _state() -> dict[str, Any]:
    return {
        "draws": await Draw.select().order_by(Draw.id),
        "plans": await Plan.select(Plan.id, Plan.status).order_by(Plan.id),
        "tasks": await Task.count(),
    }


async def test_empty_scope_and_missing_inspectors_are_refused(client) -> None:
    await world.build(objects_per_class=2)
    lead, _ = await staff(client)
    nowhere = await published_plan(client, lead, code="P-EMPTY", scope={"regions": ["110101"]})
    unstaffed = await published_plan(client, lead, code="P-STAFF")
    await Inspector.update({Inspector.status: "on_leave"}).where(
        Inspector.badge_no.is_in(["WS-001", "WS-002", "WS-003"])
    )
    before = await _state()
    empty = await client.post(f"/api/v1/plans/{nowhere['id']}/draws/", headers=lead)
    assert empty.status_code == 422
    assert empty.json()["code"] == "draws.empty_scope"
    no_one = await client.post(f"/api/v1/plans/{unstaffed['id']}/draws/", headers=lead)
    assert no_one.json()["code"] == "draws.no_qualified_inspector"
    assert "WSJK" in no_one.json()["detail"]["zh"]
    assert await _state() == before


async def test_unpublished_plan_cannot_be_drawn(client) -> None:
    await world.build(objects_per_class=1)
    lead, _ = await staff(client)
    draft = await client.post(
        "/api/v1/plans/", json=world.joint_plan_body(code="P-DRAFT"), headers=lead
    )
    before = await _state()
    response = await client.post(f"/api/v1/plans/{draft.json()['id']}/draws/", headers=lead)
    assert response.json()["code"] == "draws.plan_not_published"
    assert await _state() == before


async def test_exclusions_are_published_with_reason_codes(client) -> None:
    built = await world.build(objects_per_class=3)
    gone = await world.add_object(900, risk_class="B", status="deregistered")
    revoked = await world.add_object(901, risk_class="C", status="revoked")
    lead, observer = await staff(client)
    first = await published_plan(
        client, lead, code="P-FIRST", ratios={"all": "1"}, scope={"risk_classes": ["A"]}
    )
    record = await full_draw(client, lead, observer, first["id"])
    drawn_first = record["selected"]["all"]
    assert sorted(drawn_first) == sorted(built.objects[:3])

    # a plan in the same window: the objects drawn by P-FIRST are proposed for a joint visit
    second = await published_plan(client, lead, code="P-SECOND", general_cap=None)
    pending = (await client.post(f"/api/v1/plans/{second['id']}/draws/", headers=lead)).json()
    reasons = {e["id"]: e["reason"] for e in pending["exclusions"]}
    assert reasons[gone] == "deregistered"
    assert reasons[revoked] == "revoked"
    for code in drawn_first:
        assert reasons[code] == "drawn_in_other_plan:P-FIRST"
    population = {x for s in pending["strata"].values() for x in s["population"]}
    assert population.isdisjoint(reasons)
    assert len(population) == len(built.objects) - 3

    # a later window: the same objects now count as inspected recently (general items)
    later = await published_plan(
        client,
        lead,
        code="P-LATER",
        window_start="2027-01-01",
        window_end="2027-06-30",
        ratios={"A": "1", "B": "0", "C": "0", "D": "1"},
    )
    pending = (await client.post(f"/api/v1/plans/{later['id']}/draws/", headers=lead)).json()
    reasons = {e["id"]: e["reason"] for e in pending["exclusions"]}
    assert all(reasons[code] == "inspected_recently" for code in drawn_first)


async def test_cross_jurisdiction_conflicts_are_published_and_respected(client) -> None:
    await world.build(objects_per_class=3)  # every object is in region 230302
    lead, observer = await staff(client)
    plan = await published_plan(client, lead, code="P-CROSS", cross_jurisdiction=True)
    record = await full_draw(client, lead, observer, plan["id"])
    # SC-001's station is 230302: never sent to those objects, and the pairs are public
    assert {"SC-001"} == {c["inspector_id"] for c in record["conflicts"]}
    assert all("SC-001" not in a["inspectors"]["SCJG"] for a in record["assignments"])
