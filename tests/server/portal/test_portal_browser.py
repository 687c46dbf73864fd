"""The portal in headless Chromium against a real server process.

Search, a business's history, a result with two versions, the open data
download and a draw verified in the browser; screenshots go to
docs/screenshots/portal-*.png.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest

from tests.screenshots import SCREENSHOTS
from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff
from tests.server.field import factory as field_factory
from tests.server.portal.published import correct, publish_task
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


async def test_portal_in_the_browser(client, tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    expect = playwright_api.expect
    await world.build(objects_per_class=4)
    # The draw world numbers its credit codes from 1, like the field task factory.
    field_factory._serial = itertools.count(1000)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead)
    record = await full_draw(client, lead, observer, plan["id"])
    corrected = await publish_task(client, "鸡西市鸡冠区好运来餐饮有限公司")
    await correct(client, corrected, "E", "经复核，现场发现的问题已责令改正")
    await publish_task(client, "鸡西市鸡冠区好运来便利店", completed_at="2026-11-23T15:00:00+08:00")
    await publish_task(client, "鸡西市恒山区平安超市")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    with ServerProcess() as server:
        async with playwright_api.async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                context = await browser.new_context(
                    viewport={"width": 1200, "height": 900}, accept_downloads=True
                )
                page = await context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                await page.goto(f"{server.url}/")
                await expect(page.locator("h1")).to_contain_text("抽查检查结果公示")
                await page.screenshot(path=SCREENSHOTS / "portal-home.png", full_page=True)

                # Search by part of the name.
                await page.fill("#q", "好运来")
                await page.click("form.search button")
                results = page.locator("#search-results article")
                await expect(results).to_have_count(2)
                await page.screenshot(path=SCREENSHOTS / "portal-search.png", full_page=True)

                # The business's history: both versions of its corrected result.
                await page.click("text=鸡西市鸡冠区好运来餐饮有限公司")
                await expect(page.locator("#corrected")).to_contain_text("已更正1次")
                body = await page.locator("body").inner_text()
                assert "第2版（现行）" in body and "第1版（已被更正）" in body
                assert "经复核，现场发现的问题已责令改正" in body
                assert "E 发现问题经责令已改正" in body and "1 未发现问题" in body
                await page.screenshot(path=SCREENSHOTS / "portal-result.png", full_page=True)
                await page.click("main a.mono >> nth=0")
                history = page.locator("#history article")
                await expect(history).to_have_count(2)
                await page.screenshot(path=SCREENSHOTS / "portal-history.png", full_page=True)

                # Open data: the CSV download.
                await page.goto(f"{server.url}/")
                await page.click("text=开放数据下载")
                async with page.expect_download() as info:
                    await page.click("#download-csv")
                download = await info.value
                saved = tmp_path / "results.csv"
                await download.save_as(saved)
                rows = list(csv.reader(io.StringIO(saved.read_text("utf-8-sig"))))
                assert rows[0][0] == "抽查任务编号"
                assert len(rows) == 1 + 4  # three tasks, one of them in two versions
                await page.screenshot(path=SCREENSHOTS / "portal-open-data.png", full_page=True)

                # A draw verified in the browser, reached from the portal.
                await page.goto(f"{server.url}/")
                await page.click("text=抽查计划公告与抽签记录")
                await page.click(f"text={record['draw_id']}")
                check = page.locator("#browser-check")
                await expect(check).not_to_contain_text("复算中", timeout=30_000)
                assert await check.get_attribute("class") == "ok", await check.inner_text()
                await page.screenshot(path=SCREENSHOTS / "portal-draw.png", full_page=True)

                # Readable on a phone: no sideways scrolling of the page itself.
                phone = await browser.new_page(viewport={"width": 390, "height": 844})
                await phone.goto(f"{server.url}/results/{corrected.task.task_id}")
                width = await phone.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, width
                await phone.screenshot(path=SCREENSHOTS / "portal-phone.png", full_page=True)
                assert not errors, errors
            finally:
                await browser.close()
