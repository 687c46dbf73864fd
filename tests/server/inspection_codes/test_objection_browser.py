"""The objection in headless Chromium on a real server: the business files it on its phone
(390×844) at `/check/{code}` with a photo; back office sees it in the workspace. Both pages
pass axe (no serious or critical violation)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.screenshots import SCREENSHOTS as SHOTS
from tests.server import factories
from tests.server.field import photos
from tests.server.inspection_codes.test_objection import published_with_access
from tests.server.workspace.browser import chromium, new_page, no_serious_axe, shot, signed_in
from tests.support.live_server import ServerProcess

PHONE = {"width": 390, "height": 844}


async def test_a_business_files_an_objection_on_its_phone(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    p = await published_with_access(client, "手机异议测试店")
    await factories.user("back_office", "bo-phone", "SCJG")
    photo = tmp_path / "现场.png"
    photo.write_bytes(photos.png(120))

    with ServerProcess() as server:
        async with chromium() as browser:
            context = await browser.new_context(
                viewport=PHONE, is_mobile=True, device_scale_factor=2, locale="zh-CN"
            )
            page = await context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            response = await page.goto(f"{server.url}/check/{p.code}")
            assert response is not None and response.status == 200
            assert "检查结果（已公示，第1版）" in await page.locator("#outcome").inner_text()
            await no_serious_axe(page)

            # A wrong access code: the page says why, and keeps what was typed.
            await page.fill("#objection-access", "0000000000")
            await page.fill("#objection-text", "消毒柜当天已修复，现场照片为证")
            await page.click("#objection-form button[type=submit]")
            await page.wait_for_selector("#objection-error")
            assert "访问码不正确" in await page.locator("#objection-error").inner_text()
            assert await page.input_value("#objection-text") == "消毒柜当天已修复，现场照片为证"
            await page.locator("#objections").screenshot(
                path=str(SHOTS / "check-objection-form.png")
            )

            await page.fill("#objection-access", p.access)
            await page.set_input_files("#objection-photos", str(photo))
            await page.click("#objection-form button[type=submit]")
            await page.wait_for_selector("#objection-filed")
            text = await page.locator("#objections").inner_text()
            assert "处理中" in text and "答复期限" in text
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], width
            await no_serious_axe(page)

            # The same access code rates the inspection once, from the page's form.
            await page.fill("#rating-access", p.access)
            await page.check("#rating-form input[name=score][value='4']")
            await page.fill("#rating-comment", "检查人员出示了检查码，态度规范")
            await page.locator("#rating").screenshot(path=str(SHOTS / "check-rating-form.png"))
            await page.click("#rating-form button[type=submit]")
            await page.wait_for_selector("#rating-done")
            assert "评分：4分" in await page.locator("#rating-done").inner_text()
            await no_serious_axe(page)
            await page.screenshot(path=str(SHOTS / "check-objection.png"), full_page=True)
            assert not errors, errors

            office = await new_page(browser)
            await signed_in(office, server.url, "bo-phone")
            await office.goto(f"{server.url}/workspace/objections/")
            assert "手机异议测试店" in await office.locator("#objections").inner_text()
            await no_serious_axe(office)
            await office.click("#objections a[href^='/workspace/objections/']")
            await office.wait_for_selector("#objection-text")
            assert "消毒柜当天已修复" in await office.locator("#objection-text").inner_text()
            loaded = await office.evaluate(
                "[...document.querySelectorAll('.photos img')].every(i => i.naturalWidth > 0)"
            )
            assert loaded
            await no_serious_axe(office)
            await shot(office, "objection")
