"""The annual cap (annual_cap) in eligibility, and the overlap notice between two plans."""

from __future__ import annotations

from server.draws.eligibility import ANNUAL_CAP, Candidate, ItemRule, eligible_population, explain
from server.inspection_codes import caps
from tests.server import factories
from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff


def _population(at_cap: set[str], drawn_elsewhere: dict[str, str] | None = None):
    candidates = [Candidate(f"X{i}", "A", "active", "230302") for i in range(1, 5)]
    return eligible_population(
        candidates,
        strata=["A"],
        undifferentiated=False,
        items=[ItemRule("I1", key=False)],
        highest_class="D",
        inspected_recently={},
        drawn_elsewhere=drawn_elsewhere or {},
        at_annual_cap=at_cap,
    )


def test_a_business_at_the_cap_is_excluded_with_its_reason() -> None:
    population = _population({"X2"})
    assert population.strata == {"A": ["X1", "X3", "X4"]}
    assert population.exclusions == [{"id": "X2", "reason": ANNUAL_CAP}]
    assert explain(ANNUAL_CAP) == ("annual_cap", "本年度受检次数已达上限")


def test_the_overlap_with_another_plan_is_named_before_the_cap() -> None:
    # Both apply: the joint-visit proposal (naming the plan to join) is the useful one.
    population = _population({"X2"}, {"X2": "2026-LH-007"})
    assert population.exclusions == [{"id": "X2", "reason": "drawn_in_other_plan:2026-LH-007"}]


def test_the_most_specific_jurisdiction_sets_the_cap() -> None:
    limits = {"23": 3, "2303": 1}
    assert caps.cap_for("230302", limits) == 1
    assert caps.cap_for("230402", limits) == 3
    assert caps.cap_for("310000", limits) is None
    counts = {"X1": 1, "X2": 2, "X3": 0}
    objects = [("X1", "230302"), ("X2", "230402"), ("X3", "230302"), ("X4", "310000")]
    assert caps.at_cap(objects, counts, limits) == {"X1"}
    assert caps.at_cap(objects, {"X2": 3}, limits) == {"X2"}


async def test_a_later_draw_of_the_year_skips_businesses_at_the_cap(client) -> None:
    await world.build(objects_per_class=4)
    lead, observer = await staff(client)
    admin = await factories.login_as(client, "admin", "SCJG", device_id="admin-pc")
    refused = await client.put("/api/v1/annual-caps/2303", json={"cap": 1}, headers=lead)
    assert refused.status_code == 403
    for bad in ({"cap": 0}, {"cap": 53}):
        answer = await client.put("/api/v1/annual-caps/2303", json=bad, headers=admin)
        assert answer.status_code == 422 and answer.json()["code"] == "annual_cap.invalid"
    assert (await client.get("/api/v1/annual-caps/", headers=admin)).json() == []
    set_cap = await client.put("/api/v1/annual-caps/2303", json={"cap": 1}, headers=admin)
    assert set_cap.status_code == 200, set_cap.text

    spring = await published_plan(
        client, lead, code="P-SPRING", window_start="2026-03-01", window_end="2026-05-31"
    )
    first = await full_draw(client, lead, observer, spring["id"])
    drawn = {a["object_id"] for a in first["assignments"]}
    assert drawn
    autumn = await published_plan(
        client, lead, code="P-AUTUMN", window_start="2026-09-01", window_end="2026-12-31"
    )
    second = await full_draw(client, lead, observer, autumn["id"])
    reasons = {e["id"]: e["reason"] for e in second["exclusions"]}
    assert {code for code, reason in reasons.items() if reason == ANNUAL_CAP} == drawn
    assert not drawn & {a["object_id"] for a in second["assignments"]}
    page = await client.get(f"/public/draws/{second['draw_id']}")
    assert "本年度受检次数已达上限" in page.text


async def test_the_second_draw_s_page_shows_the_overlap_to_merge(client) -> None:
    await world.build(objects_per_class=4)
    lead, observer = await staff(client)
    first_plan = await published_plan(client, lead, code="P-FIRST")
    first = await full_draw(client, lead, observer, first_plan["id"])
    second_plan = await published_plan(client, lead, code="P-SECOND")
    second = await full_draw(client, lead, observer, second_plan["id"])
    overlapping = {
        e["id"] for e in second["exclusions"] if e["reason"] == "drawn_in_other_plan:P-FIRST"
    }
    assert overlapping == {a["object_id"] for a in first["assignments"]}
    page = await client.get(f"/public/draws/{second['draw_id']}")
    assert "已在同期其他计划中抽中，建议联合检查（P-FIRST）" in page.text
