"""What the public pages show: Beijing time, department names, business names, headers."""

from __future__ import annotations

import re

from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff

UTC_TIME = re.compile(r"\+00:00|\d{2}:\d{2}:\d{2}\.\d{3,6}")


async def test_pages_show_names_and_china_standard_time(client) -> None:
    await world.build(objects_per_class=3)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead, code="P-NAMES")
    amended = await client.post(
        f"/api/v1/plans/{plan['id']}/amendments",
        json={"reason": "调整检查时间", "changes": {"window_end": "2026-12-30"}},
        headers=lead,
    )
    record = await full_draw(client, lead, observer, plan["id"])
    draw_page = (await client.get(f"/public/draws/{record['draw_id']}")).text
    plan_page = (await client.get("/public/plans/P-NAMES")).text
    index = (await client.get("/public/")).text
    for page in (draw_page, plan_page, index):
        shown = page.split('<script type="application/json"')[0]  # the record keeps UTC
        assert not UTC_TIME.search(shown), UTC_TIME.search(shown)
    # the lead department by name, never by its code alone
    lead_cell = re.search(r"<th>牵头部门</th><td>([^<]*)</td>", plan_page)
    assert lead_cell and lead_cell.group(1) == "市场监督管理局"
    assert "<td>市场监督管理局</td>" in index
    drawn_at = re.search(r"抽签时间（北京时间）</th><td>([^<]*)</td>", draw_page)
    assert drawn_at and re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", drawn_at.group(1))
    # every drawn business by name beside its credit code
    names = {o["credit_code"]: o["name"] for o in await _objects(client, lead)}
    for codes in record["selected"].values():
        for code in codes:
            assert f'{names[code]} <span class="mono">{code}</span>' in draw_page
    if amended.status_code == 201:
        assert "调整检查时间" in plan_page


async def _objects(client, headers) -> list[dict]:
    response = await client.get("/api/v1/objects", params={"limit": 500}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_every_page_and_answer_carries_the_security_headers(client) -> None:
    await world.build(objects_per_class=2)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead, code="P-HEAD")
    record = await full_draw(client, lead, observer, plan["id"])
    pages = [
        "/public/",
        "/public/plans/P-HEAD",
        f"/public/draws/{record['draw_id']}",
        "/public/plans/NOPE",
        "/public/draws/NOPE",
    ]
    for path in pages:
        response = await client.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy, path
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        # no inline script or style: only files of this server
        assert not re.search(r"<script(?![^>]*(src=\"/|type=\"application/json\"))", response.text)
        assert "<style" not in response.text and " style=" not in response.text
    for path in ("/api/v1/public/draws", "/api/v1/plans", "/public/static/verify.js"):
        response = await client.get(path)
        assert response.headers.get("x-content-type-options") == "nosniff", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path


async def test_the_page_assets_are_served_from_the_server(client) -> None:
    script = await client.get("/public/static/verify.js")
    assert script.status_code == 200 and "crypto.subtle" in script.text
    assert "javascript" in script.headers["content-type"]
    style = await client.get("/public/static/public.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert (await client.get("/public/static/../pages.py")).status_code == 404
