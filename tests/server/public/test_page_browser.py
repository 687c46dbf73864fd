"""The public draw page in headless Chromium against a real server process."""

from __future__ import annotations

import re

import pytest

from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff
from tests.support.live_server import ServerProcess

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOT = "/tmp/suicha-public-draw.png"
# What broke the embedded record: in a <script> element "<!--<script>" sends the
# HTML tokenizer into its double-escaped state, and "</script>" no longer ends it.
HOSTILE_WITNESS = "见证 8848 <!--<script> </script>\u2028&amp;"
HOSTILE_REASON = "生病住院 <!--<script>alert(1)</script> \u2029 & >"


async def test_draw_page_renders_and_rechecks_in_the_browser(client) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    await world.build(objects_per_class=4)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead)
    record = await full_draw(client, lead, observer, plan["id"], witness_input=HOSTILE_WITNESS)
    task = record["assignments"][0]
    amended = await client.post(
        f"/api/v1/draws/{record['draw_id']}/amendments",
        json={
            "object_id": task["object_id"],
            "department": "YJGL",
            "removed": task["inspectors"]["YJGL"][0],
            "reason": HOSTILE_REASON,
        },
        headers=lead,
    )
    assert amended.status_code == 201, amended.text

    with ServerProcess() as server:
        async with playwright_api.async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = await browser.new_page(viewport={"width": 1200, "height": 1600})
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("console", lambda m: errors.append(m.text))
                dialogs: list[str] = []
                page.on("dialog", lambda d: dialogs.append(d.message))
                response = await page.goto(f"{server.url}/public/draws/{record['draw_id']}")
                assert response is not None
                policy = response.headers["content-security-policy"]
                assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
                assert response.headers["x-content-type-options"] == "nosniff"
                check = page.locator("#browser-check")
                # A locator wait, not wait_for_function: the page's CSP forbids eval.
                await playwright_api.expect(check).not_to_contain_text("复算中", timeout=30_000)
                assert await check.get_attribute("class") == "ok", (
                    await check.inner_text(),
                    errors,
                )
                assert "浏览器复算一致" in await check.inner_text()
                assert "服务器复算一致" in await page.locator("#server-check").inner_text()
                # The record read by the page's script is exactly the one published.
                embedded = await page.evaluate(
                    "JSON.parse(document.getElementById('record-data').textContent)"
                )
                assert embedded["witness_input"] == HOSTILE_WITNESS
                assert embedded["amendments"][0]["reason"] == HOSTILE_REASON
                body = await page.locator("body").inner_text()
                assert "生病住院 <!--<script>alert(1)</script>" in body
                assert "见证 8848 <!--<script>" in body
                assert record["seed"] in body
                # Business names beside credit codes, department names, Beijing time.
                assert "测试企业" in body and task["object_id"] in body
                teams = body.split("检查任务与检查组")[1].split("检查人员库")[0]
                assert "应急管理局" in teams and "卫生健康委员会" in teams
                assert "+00:00" not in body and not re.search(r"\d{2}:\d{2}:\d{2}\.\d{6}", body)
                assert not dialogs and not [e for e in errors if "Content Security" in e], errors
                await page.screenshot(path=SCREENSHOT, full_page=True)
                await page.goto(f"{server.url}/public/")
                assert record["draw_id"] in await page.locator("body").inner_text()
            finally:
                await browser.close()
