"""The public draw page in headless Chromium against a real server process."""

from __future__ import annotations

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


async def test_draw_page_renders_and_rechecks_in_the_browser(client) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    await world.build(objects_per_class=4)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead)
    record = await full_draw(client, lead, observer, plan["id"], witness_input="见证 8848")
    task = record["assignments"][0]
    amended = await client.post(
        f"/api/v1/draws/{record['draw_id']}/amendments",
        json={
            "object_id": task["object_id"],
            "department": "YJGL",
            "removed": task["inspectors"]["YJGL"][0],
            "reason": "生病住院",
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
                await page.goto(f"{server.url}/public/draws/{record['draw_id']}")
                check = page.locator("#browser-check")
                await page.wait_for_function(
                    "!document.getElementById('browser-check').textContent.includes('复算中')",
                    timeout=30_000,
                )
                assert await check.get_attribute("class") == "ok", (
                    await check.inner_text(),
                    errors,
                )
                assert "浏览器复算一致" in await check.inner_text()
                assert "服务器复算一致" in await page.locator("#server-check").inner_text()
                body = await page.locator("body").inner_text()
                assert "生病住院" in body and "见证 8848" in body
                assert record["seed"] in body
                await page.screenshot(path=SCREENSHOT, full_page=True)
                await page.goto(f"{server.url}/public/")
                assert record["draw_id"] in await page.locator("body").inner_text()
            finally:
                await browser.close()
