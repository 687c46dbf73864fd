"""Public endpoints and pages, readable without login."""

from __future__ import annotations

from shared.draw import verify_record
from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff


async def test_public_api_without_login(client) -> None:
    await world.build(objects_per_class=3)
    lead, observer = await staff(client)
    await client.post("/api/v1/plans/", json=world.joint_plan_body(code="P-DRAFT"), headers=lead)
    plan = await published_plan(client, lead, code="P-PUB")
    record = await full_draw(client, lead, observer, plan["id"])
    draw_id = record["draw_id"]

    listing = (await client.get("/api/v1/public/draws")).json()
    assert [d["draw_id"] for d in listing["items"]] == [draw_id]
    assert listing["items"][0]["record_hash"] == record["record_hash"]
    public = (await client.get(f"/api/v1/public/draws/{draw_id}")).json()
    assert public["server_secret"] == record["server_secret"]
    assert public["amendments"] == []
    assert (
        verify_record(
            {
                k: v
                for k, v in public.items()
                if k not in ("draw_id", "status", "record_hash", "seal_intact")
            }
        )
        == []
    )
    plans = (await client.get("/api/v1/public/plans")).json()
    assert [p["code"] for p in plans["items"]] == ["P-PUB"]  # the draft stays private
    missing = await client.get("/api/v1/public/draws/NOPE-D1")
    assert missing.status_code == 404 and missing.json()["code"] == "draws.not_found"
    # the staff side still needs a token
    assert (await client.get(f"/api/v1/draws/{draw_id}")).status_code == 401

    page = await client.get(f"/public/draws/{draw_id}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "服务器复算一致" in page.text
    assert record["seed"] in page.text
    index = await client.get("/public/")
    assert draw_id in index.text and "P-PUB" in index.text and "P-DRAFT" not in index.text
    plan_page = await client.get("/public/plans/P-PUB")
    assert "对食品经营者的监督检查" in plan_page.text
    assert (await client.get("/public/plans/P-DRAFT")).status_code == 404
    assert (await client.get("/public/draws/NOPE")).status_code == 404


async def test_scheduled_draw_page_shows_the_commitment_only(client) -> None:
    await world.build(objects_per_class=2)
    lead, _ = await staff(client)
    plan = await published_plan(client, lead)
    scheduled = (await client.post(f"/api/v1/plans/{plan['id']}/draws/", headers=lead)).json()
    page = await client.get(f"/public/draws/{scheduled['draw_id']}")
    assert scheduled["commitment"] in page.text
    assert "抽签后公开" in page.text
    public = (await client.get(f"/api/v1/public/draws/{scheduled['draw_id']}")).json()
    assert public["server_secret"] is None and public["seal_intact"] is None


async def test_openapi_schema_lists_the_plan_draw_and_public_routes(client) -> None:
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/plans",
        "/api/v1/plans/{plan_id}/draws",
        "/api/v1/draws/{draw_id}/witness",
        "/api/v1/draws/{draw_id}/amendments",
        "/api/v1/public/draws/{draw_id}",
        "/api/v1/tasks",
    ):
        assert path in paths, path


async def test_the_site_root_leads_to_the_public_pages(client) -> None:
    # The site root is the portal (issue 9); it links the plans and draw records.
    response = await client.get("/")
    assert response.status_code == 200
    assert 'href="/public/"' in response.text
    index = await client.get("/public/")
    assert index.status_code == 200
    assert "双随机" in index.text
