"""Draft plans are the authors' work in progress: inspectors and observers do not see them."""

from __future__ import annotations

import pytest

from tests.server import factories
from tests.server.draws import world
from tests.server.draws.world import joint_plan_body


async def _plans(client, headers: dict[str, str], **params: str) -> list[str]:
    response = await client.get("/api/v1/plans/", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return [plan["code"] for plan in body["items"]]


@pytest.mark.parametrize("role", ["inspector", "observer"])
async def test_drafts_are_hidden_from_inspectors_and_observers(client, role: str) -> None:
    await world.build(objects_per_class=1)
    lead = await factories.login_as(client, "team_lead", "SCJG")
    reader = await factories.login_as(client, role, "SCJG", device_id=f"{role}-tab")
    draft = (
        await client.post("/api/v1/plans/", json=joint_plan_body(code="P-DRAFT"), headers=lead)
    ).json()
    approved = (
        await client.post("/api/v1/plans/", json=joint_plan_body(code="P-OK"), headers=lead)
    ).json()
    await client.post(f"/api/v1/plans/{approved['id']}/approve", headers=lead)

    assert await _plans(client, reader) == ["P-OK"]
    assert await _plans(client, reader, status="draft") == []
    assert await _plans(client, reader, status="approved") == ["P-OK"]
    hidden = await client.get(f"/api/v1/plans/{draft['id']}", headers=reader)
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "plans.not_found"
    shown = await client.get(f"/api/v1/plans/{approved['id']}", headers=reader)
    assert shown.status_code == 200

    # the authors and the back office still see the draft
    back_office = await factories.login_as(client, "back_office", "SCJG", device_id="bo-pc")
    for headers in (lead, back_office):
        assert await _plans(client, headers) == ["P-DRAFT", "P-OK"]
        assert await _plans(client, headers, status="draft") == ["P-DRAFT"]
        seen = await client.get(f"/api/v1/plans/{draft['id']}", headers=headers)
        assert seen.status_code == 200
