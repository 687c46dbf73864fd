"""Plans over HTTP: lifecycle, amendments, warnings, refusals that change nothing."""

from __future__ import annotations

import re
from typing import Any

from server.draws.tables import Draw
from server.plans.tables import Plan, PlanAmendment, PlanDepartment, PlanItem
from server.rosters.tables import InspectionItem
from tests.server import factories
from tests.server.draws import world
from tests.server.draws.world import joint_plan_body

RATIOS = {"A": "0.2", "B": "0.4", "C": "0.6", "D": "1"}


def assert_all_chinese(text: str) -> None:
    """No English word in a Chinese message, once quoted codes are taken out."""
    bare = re.sub(r"“[^”]*”", "", text)
    assert not re.findall(r"[A-Za-z]{2,}", bare), text
    assert re.search(r"[\u4e00-\u9fff]", text), text


async def _cap(item: str, cap: str | None) -> None:
    await InspectionItem.update({InspectionItem.ratio_cap: cap}).where(InspectionItem.code == item)


def _problems(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "plans.invalid", body
    for problem in body["errors"]:
        assert_all_chinese(problem["zh"])
        assert problem["en"] and not re.search(r"[\u4e00-\u9fff]", problem["en"])
    return [(p["field"], p["code"]) for p in body["errors"]]


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
        json={"ratios": {"A": "0.1", "B": "0.4", "C": "0.6", "D": "1"}, "frequency": ">=1"},
        headers=lead,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["ratios"] == {"A": "0.1", "B": "0.4", "C": "0.6", "D": "1"}
    assert edited.json()["amendments"] == []  # draft edits are not amendments

    approved = await client.post(f"/api/v1/plans/{plan['id']}/approve", headers=lead)
    assert approved.json()["status"] == "approved"

    before = await _snapshot()
    refused = await client.patch(f"/api/v1/plans/{plan['id']}", json={"name": "改名"}, headers=lead)
    assert refused.status_code == 409
    assert refused.json()["code"] == "plans.amendment_required"
    no_reason = await client.post(
        f"/api/v1/plans/{plan['id']}/amendments",
        json={"reason": "  ", "changes": {"ratios": {**RATIOS, "A": "0.5"}}},
        headers=lead,
    )
    assert no_reason.json()["code"] == "plans.reason_required"
    assert await _snapshot() == before

    amended = await client.post(
        f"/api/v1/plans/{plan['id']}/amendments",
        json={"reason": "上级通知提高A类比例", "changes": {"ratios": {**RATIOS, "A": "0.5"}}},
        headers=lead,
    )
    assert amended.status_code == 201, amended.text
    body = amended.json()
    assert body["ratios"] == {**RATIOS, "A": "0.5"}
    [amendment] = body["amendments"]
    assert amendment["reason"] == "上级通知提高A类比例"
    assert amendment["changes"] == {
        "ratios": {"before": {**RATIOS, "A": "0.1"}, "after": {**RATIOS, "A": "0.5"}}
    }

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

    invalid = [
        (joint_plan_body(ratios={**RATIOS, "A": "1.5"}), "plans.ratio_invalid"),
        (joint_plan_body(ratios={**RATIOS, "A": "-0.1"}), "plans.ratio_invalid"),
        (joint_plan_body(ratios={**RATIOS, "A": "abc"}), "plans.ratio_invalid"),
        (joint_plan_body(ratios={**RATIOS, "all": "0.2"}), "plans.strata_invalid"),
        (joint_plan_body(ratios={**RATIOS, "Z": "0.1"}), "plans.strata_invalid"),
        (joint_plan_body(ratios={"A": "0.1", "D": "0.5"}), "plans.ratio_missing"),
        (
            joint_plan_body(items=["SC-SP-01", "WS-GG-01", "YJ-XF-01", "NOPE"]),
            "plans.item_unknown",
        ),
        (joint_plan_body(items=["SC-SP-01", "WS-GG-01"]), "plans.department_without_items"),
        (
            joint_plan_body(window_start="2026-12-31", window_end="2026-01-01"),
            "plans.window_invalid",
        ),
        (joint_plan_body(scope={"colour": ["red"]}), "plans.scope_invalid"),
        (joint_plan_body(kind="annual"), "plans.annual_one_department"),
        (joint_plan_body(year=3000), "plans.year_invalid"),
        (joint_plan_body(general_cap=2**31 - 1), "plans.cap_invalid"),
        (joint_plan_body(general_cap=0), "plans.cap_invalid"),
    ]
    for body, code in invalid:
        response = await client.post("/api/v1/plans/", json=body, headers=lead)
        assert response.status_code == 422, (body, response.text)
        answer = response.json()
        assert answer["code"] == "plans.invalid"
        assert [p["code"] for p in answer["errors"]] == [code], (body, response.text)
        assert all(p["field"] and p["zh"] and p["en"] for p in answer["errors"])
        assert_all_chinese(answer["detail"]["zh"])
        assert_all_chinese(answer["errors"][0]["zh"])
    for headers, code in [
        (other_lead, "auth.forbidden_department"),
        (inspector, "auth.forbidden_role"),
    ]:
        response = await client.post("/api/v1/plans/", json=joint_plan_body(), headers=headers)
        assert response.json()["code"] == code, response.text
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
    hidden = await client.get(f"/api/v1/plans/{plan_id}", headers=inspector)
    assert hidden.status_code == 404  # a draft is not shown to inspectors


async def test_key_items_cover_class_d_and_a_drawn_plan_is_not_amended(client) -> None:
    from tests.server.draws.ceremony import full_draw, published_plan, staff

    await world.build(objects_per_class=3)
    lead, observer = await staff(client)
    plan = await published_plan(
        client,
        lead,
        items=["SC-SP-01", "SC-TZ-01", "WS-GG-01", "YJ-XF-01"],
        ratios={"A": "0.1", "B": "0", "C": "0", "D": "0.1"},
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
        json={"reason": "事后调整", "changes": {"name": "事后改名"}},
        headers=lead,
    )
    assert late.json()["code"] == "plans.not_amendable"
    assert await _snapshot() == before
    closed = await client.post(f"/api/v1/plans/{plan['id']}/close", headers=lead)
    assert closed.json()["status"] == "closed"


async def test_every_problem_of_a_plan_is_reported_at_once(client) -> None:
    await world.build(objects_per_class=1)
    lead = await factories.login_as(client, "team_lead", "SCJG")
    await _cap("SC-SP-01", "0.3")
    before = await _snapshot()
    body = joint_plan_body(
        departments=[{"code": "SCJG", "per_task": 1}, {"code": "NOWHERE", "per_task": 11}],
        items=["SC-SP-01", "WS-GG-01", "GONE-01"],
        ratios={"A": "0.1", "D": "0.5"},
        window_start="2026-12-31",
        window_end="2026-01-01",
        scope={"colour": ["red"]},
        method="by_phone",
        repeat_window_days=-1,
    )
    response = await client.post("/api/v1/plans/", json=body, headers=lead)
    problems = _problems(response)
    assert sorted(problems) == sorted(
        [
            ("method", "plans.method_invalid"),
            ("window_end", "plans.window_invalid"),
            ("repeat_window_days", "plans.repeat_window_invalid"),
            ("departments.NOWHERE.per_task", "plans.per_task_invalid"),
            ("departments.NOWHERE", "plans.department_unknown"),
            ("items.GONE-01", "plans.item_unknown"),
            ("items.WS-GG-01", "plans.item_department"),
            ("ratios", "plans.ratio_missing"),
            ("ratios.D", "plans.ratio_over_cap"),
            ("scope", "plans.scope_invalid"),
        ]
    )
    assert response.json()["detail"]["zh"].startswith("计划有10处问题，未作任何更改。")
    assert await _snapshot() == before


async def test_a_ratio_above_a_general_items_cap_is_refused_on_create_amend_and_approve(
    client,
) -> None:
    await world.build(objects_per_class=1)
    lead = await factories.login_as(client, "team_lead", "SCJG")
    await _cap("WS-GG-01", "0.05")
    await _cap("YJ-XF-01", "0.1")
    before = await _snapshot()
    over = {"A": "0.02", "B": "0.05", "C": "0.5", "D": "0.1"}
    refused = await client.post("/api/v1/plans/", json=joint_plan_body(ratios=over), headers=lead)
    assert _problems(refused) == [
        ("ratios.C", "plans.ratio_over_cap"),
        ("ratios.D", "plans.ratio_over_cap"),
    ]
    [_, on_d] = refused.json()["errors"]
    assert on_d["zh"] == "D类的抽查比例0.1超过一般检查事项“WS-GG-01”的比例上限0.05"
    assert await _snapshot() == before

    within = {"A": "0.02", "B": "0.05", "C": "0.05", "D": "0"}
    created = await client.post("/api/v1/plans/", json=joint_plan_body(ratios=within), headers=lead)
    assert created.status_code == 201, created.text
    plan_id = created.json()["id"]
    edit = await client.patch(f"/api/v1/plans/{plan_id}", json={"ratios": over}, headers=lead)
    assert _problems(edit)[0][1] == "plans.ratio_over_cap"

    # a lowered cap after saving: approval re-checks the plan against the rosters
    await _cap("YJ-XF-01", "0.01")
    snapshot = await _snapshot()
    approve = await client.post(f"/api/v1/plans/{plan_id}/approve", headers=lead)
    assert ("ratios.A", "plans.ratio_over_cap") in _problems(approve)
    assert await _snapshot() == snapshot
    await _cap("YJ-XF-01", None)
    approved = await client.post(f"/api/v1/plans/{plan_id}/approve", headers=lead)
    assert approved.json()["status"] == "approved"

    snapshot = await _snapshot()
    amend = await client.post(
        f"/api/v1/plans/{plan_id}/amendments",
        json={"reason": "提高D类比例", "changes": {"ratios": over}},
        headers=lead,
    )
    assert _problems(amend) == [
        ("ratios.C", "plans.ratio_over_cap"),
        ("ratios.D", "plans.ratio_over_cap"),
    ]
    assert await _snapshot() == snapshot


async def test_a_plan_that_leaves_a_class_out_is_refused(client) -> None:
    await world.build(objects_per_class=1)
    lead = await factories.login_as(client, "team_lead", "SCJG")
    before = await _snapshot()
    response = await client.post(
        "/api/v1/plans/", json=joint_plan_body(ratios={"A": "0.1", "D": "1"}), headers=lead
    )
    assert _problems(response) == [("ratios", "plans.ratio_missing")]
    assert "“B”、“C”" in response.json()["errors"][0]["zh"]
    assert await _snapshot() == before
    explicit = joint_plan_body(ratios={"A": "0.1", "B": "0", "C": "0", "D": "1"})
    assert (await client.post("/api/v1/plans/", json=explicit, headers=lead)).status_code == 201


async def test_a_stored_plan_breaking_the_rules_is_never_drawn_and_warns(client) -> None:
    """A plan saved before the rules held (or edited behind the service) cannot be drawn."""
    from tests.server.draws.ceremony import published_plan, staff

    await world.build(objects_per_class=2)
    lead, _ = await staff(client)
    plan = await published_plan(client, lead, code="P-OLD")
    await _cap("WS-GG-01", "0.05")
    await Plan.update({Plan.ratios: {"A": "0.5", "D": "1"}}).where(Plan.id == plan["id"])

    public = await client.get(f"/api/v1/public/plans/{plan['code']}")
    assert [w["code"] for w in public.json()["warnings"]] == [
        "plans.ratio_missing",
        "plans.ratio_over_cap",
        "plans.ratio_over_cap",
    ]
    page = await client.get(f"/public/plans/{plan['code']}")
    assert "未设定以下信用风险分类的抽查比例" in page.text

    draws_before = await Draw.count()
    refused = await client.post(f"/api/v1/plans/{plan['id']}/draws/", headers=lead)
    assert [code for _, code in _problems(refused)] == [
        "plans.ratio_missing",
        "plans.ratio_over_cap",
        "plans.ratio_over_cap",
    ]
    assert await Draw.count() == draws_before

    fixed = await client.post(
        f"/api/v1/plans/{plan['id']}/amendments",
        json={
            "reason": "按一般事项比例上限调整",
            "changes": {"ratios": {"A": "0.05", "B": "0", "C": "0", "D": "0.05"}},
        },
        headers=lead,
    )
    assert fixed.status_code == 201, fixed.text
    assert fixed.json()["warnings"] == []
    scheduled = await client.post(f"/api/v1/plans/{plan['id']}/draws/", headers=lead)
    assert scheduled.status_code == 201, scheduled.text


async def test_a_plan_id_beyond_the_column_is_refused_not_a_server_error(client) -> None:
    lead = await factories.login_as(client, "team_lead", "SCJG")
    for method, path in [
        ("GET", f"/api/v1/plans/{2**40}"),
        ("PATCH", f"/api/v1/plans/{2**40}"),
        ("POST", f"/api/v1/plans/{2**31}/approve"),
    ]:
        response = await client.request(method, path, json={}, headers=lead)
        assert response.status_code == 400, (path, response.text)
        assert response.json()["detail"]["zh"] and response.json()["detail"]["en"]


async def test_a_plan_is_not_amended_once_its_draw_is_scheduled(client) -> None:
    """The draw's inputs are fixed with the commitment: the published plan must match them."""
    from tests.server.draws.ceremony import published_plan, staff

    await world.build(objects_per_class=1)
    lead, _ = await staff(client)
    plan = await published_plan(client, lead, code="P-FIXED")
    scheduled = await client.post(f"/api/v1/plans/{plan['id']}/draws/", headers=lead)
    assert scheduled.status_code == 201, scheduled.text
    before = await _snapshot()
    late = await client.post(
        f"/api/v1/plans/{plan['id']}/amendments",
        json={"reason": "抽签前调整比例", "changes": {"ratios": {**RATIOS, "A": "0.1"}}},
        headers=lead,
    )
    assert late.status_code == 409, late.text
    assert late.json()["code"] == "plans.draw_scheduled"
    assert "P-FIXED-D1" in late.json()["detail"]["zh"]
    assert await _snapshot() == before
