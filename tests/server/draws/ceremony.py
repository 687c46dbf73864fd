"""Drive plans and draws through the HTTP API, as the staff would."""

from __future__ import annotations

from typing import Any

from tests.server import factories
from tests.server.draws.world import joint_plan_body


async def staff(client: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Headers of the SCJG team lead and of a discipline observer."""
    lead = await factories.login_as(client, "team_lead", "SCJG")
    observer = await factories.login_as(client, "observer", "SCJG", device_id="observer-pc")
    return lead, observer


async def published_plan(client: Any, lead: dict[str, str], **overrides: Any) -> dict[str, Any]:
    created = await client.post("/api/v1/plans/", json=joint_plan_body(**overrides), headers=lead)
    assert created.status_code == 201, created.text
    plan_id = created.json()["id"]
    for action in ("approve", "publish"):
        response = await client.post(f"/api/v1/plans/{plan_id}/{action}", headers=lead)
        assert response.status_code == 200, response.text
    return created.json()


async def full_draw(
    client: Any,
    lead: dict[str, str],
    observer: dict[str, str],
    plan_id: int,
    witness_input: str = "12345",
) -> dict[str, Any]:
    scheduled = await client.post(f"/api/v1/plans/{plan_id}/draws/", headers=lead)
    assert scheduled.status_code == 201, scheduled.text
    draw_id = scheduled.json()["draw_id"]
    witnessed = await client.post(
        f"/api/v1/draws/{draw_id}/witness", json={"witness_input": witness_input}, headers=observer
    )
    assert witnessed.status_code == 200, witnessed.text
    drawn = await client.post(f"/api/v1/draws/{draw_id}/draw", headers=lead)
    assert drawn.status_code == 200, drawn.text
    return drawn.json()
