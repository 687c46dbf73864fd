"""Which observer may witness a draw (issue 7, item 11).

Decision: 会同本单位纪检、监察部门 — only a discipline observer of a department
that leads the plan or takes part in it may witness and sign its draw. An
observer of an unrelated department is refused and the draw stays unwitnessed.
"""

from __future__ import annotations

from server.draws.tables import Draw
from tests.server import factories
from tests.server.draws import world
from tests.server.draws.ceremony import published_plan, staff


async def schedule(client, lead, **plan) -> str:
    created = await published_plan(client, lead, **plan)
    scheduled = await client.post(f"/api/v1/plans/{created['id']}/draws/", headers=lead)
    assert scheduled.status_code == 201, scheduled.text
    return scheduled.json()["draw_id"]


async def witness(client, headers, draw_id: str):
    return await client.post(
        f"/api/v1/draws/{draw_id}/witness", json={"witness_input": "8848"}, headers=headers
    )


async def test_an_observer_of_another_department_may_not_witness(client) -> None:
    await world.build(objects_per_class=2)
    await factories.department("ZLJD", "质量监督局")
    lead, _ = await staff(client)
    draw_id = await schedule(client, lead)
    outsider = await factories.login_as(client, "observer", "ZLJD", device_id="zl-pc")
    refused = await witness(client, outsider, draw_id)
    assert refused.status_code == 403
    body = refused.json()
    assert body["code"] == "draws.witness_other_department"
    assert "ZLJD" in body["detail"]["zh"]
    stored = (
        await Draw.select(Draw.status, Draw.witness_input).where(Draw.public_id == draw_id).first()
    )
    assert stored is not None
    assert stored["status"] == "scheduled" and not stored["witness_input"]


async def test_an_observer_of_a_partner_department_may_witness(client) -> None:
    await world.build(objects_per_class=2)
    lead, _ = await staff(client)
    draw_id = await schedule(client, lead)
    partner = await factories.login_as(client, "observer", "WSJK", device_id="ws-pc")
    answer = await witness(client, partner, draw_id)
    assert answer.status_code == 200, answer.text


async def test_a_partner_of_another_plan_is_not_a_partner_of_this_one(client) -> None:
    await world.build(objects_per_class=2)
    lead, observer = await staff(client)
    draw_id = await schedule(
        client,
        lead,
        kind="annual",
        departments=[{"code": "SCJG", "per_task": 1}],
        items=["SC-SP-01"],
    )
    partner = await factories.login_as(client, "observer", "WSJK", device_id="ws-pc")
    assert (await witness(client, partner, draw_id)).status_code == 403
    assert (await witness(client, observer, draw_id)).status_code == 200
