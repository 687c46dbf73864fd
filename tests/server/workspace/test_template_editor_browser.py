"""The checklist template editor in headless Chromium: every question type's fields,
errors beside the field, conditional display, a new version per change, observers read."""

from __future__ import annotations

from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.rosters import service as rosters
from server.rosters.columns import ITEMS
from tests.server import factories
from tests.server.workspace.browser import chromium, new_page, no_serious_axe, shot, signed_in
from tests.support.live_server import ServerProcess

ROOT = Principal(0, "root", Role.ADMIN, None, None, None, "test", 0)


async def test_template_editor(db) -> None:
    await factories.user("admin", "root", None)
    await factories.user("observer", "watcher")
    await factories.department("SCJG")
    await rosters.create_record(
        ROOT, ITEMS, {"code": "SP-001", "department": "SCJG", "name": "食品经营许可证公示情况检查"}
    )
    with ServerProcess() as server:
        async with chromium() as browser:
            page = await new_page(browser)
            await signed_in(page, server.url, "root")
            await page.goto(f"{server.url}/workspace/rosters/items")
            await page.click("text=编辑检查表")
            await page.locator("#question-form").wait_for()
            assert "尚未发布版本" in await page.locator("#current-version").inner_text()
            await no_serious_axe(page)
            # Empty fields: each reason beside its field, nothing saved.
            await page.click("#question-form button[type=submit]")
            await page.locator("#e-qid").wait_for()
            assert "请填写问题编号" in await page.locator("#e-qid").inner_text()
            assert "请填写问题内容" in await page.locator("#e-label").inner_text()
            assert "此事项还没有检查表问题" in await page.locator("#questions").inner_text()
            # A yes/no question.
            await page.fill("#f-qid", "licence_shown")
            await page.select_option("#f-qtype", "yes_no")
            await page.fill("#f-label", "是否在经营场所显著位置悬挂许可证")
            await page.click("#question-form button[type=submit]")
            await page.locator(".flash.ok").wait_for()
            assert "第1版" in await page.locator("#current-version").inner_text()
            # A number with unit and range, shown only when the licence is not shown.
            await page.fill("#f-qid", "temperature")
            await page.select_option("#f-qtype", "number")
            await page.fill("#f-label", "冷藏柜温度")
            await page.fill("#f-unit", "℃")
            await page.fill("#f-min", "10")
            await page.fill("#f-max", "-5")
            await page.click("#question-form button[type=submit]")
            await page.locator("#e-max").wait_for()
            assert "最大值不能小于最小值" in await page.locator("#e-max").inner_text()
            await page.fill("#f-min", "-30")
            await page.fill("#f-max", "10")
            await page.select_option("#f-show_question", "licence_shown")
            await page.fill("#f-show_value", "否")
            await page.click("#question-form button[type=submit]")
            await page.locator(".flash.ok").wait_for()
            assert "第2版" in await page.locator("#current-version").inner_text()
            # A choice question with options.
            await page.fill("#f-qid", "hygiene")
            await page.select_option("#f-qtype", "single_choice")
            await page.fill("#f-label", "卫生状况")
            await page.select_option("#f-required", "0")
            await page.fill("#f-options", "1=良好\n2=一般\n3=较差")
            await page.click("#question-form button[type=submit]")
            await page.locator(".flash.ok").wait_for()
            table = await page.locator("#questions").inner_text()
            assert "≥-30 ≤10 ℃" in table and "当“licence_shown”的答案为“否”时" in table
            assert "1=良好；2=一般；3=较差" in table
            assert "第3版" in await page.locator("#current-version").inner_text()
            await no_serious_axe(page)
            await shot(page, "template-editor")
            # Deleting a question others depend on is refused by the template rules.
            page.once("dialog", lambda dialog: dialog.accept())
            await page.click("#questions tr:has-text('licence_shown') button")
            await page.locator(".flash.error").first.wait_for()
            assert "temperature" in await page.locator("main").inner_text()
            record = await rosters.get_record(ITEMS, "SP-001")
            assert [q["id"] for q in record["checklist"]] == [
                "licence_shown",
                "temperature",
                "hygiene",
            ]
            page.once("dialog", lambda dialog: dialog.accept())
            await page.click("#questions tr:has-text('hygiene') button")
            await page.locator(".flash.ok").wait_for()
            # The same content as version 2 again: versions are numbered by content.
            assert "第2版" in await page.locator("#current-version").inner_text()
            assert "共3版" in await page.locator("main").inner_text()
            assert page.script_errors == []

            # An observer reads the template, with no form.
            watcher = await new_page(browser)
            await signed_in(watcher, server.url, "watcher")
            await watcher.goto(f"{server.url}/workspace/rosters/items/SP-001/template")
            assert await watcher.locator("#question-form").count() == 0
            assert "licence_shown" in await watcher.locator("#questions").inner_text()
            await no_serious_axe(watcher)
            refused = await watcher.evaluate(
                """async () => (await fetch('/workspace/rosters/items/SP-001/template/questions',
                   {method: 'POST', body: new URLSearchParams({qid: 'x'})})).status"""
            )
            assert refused == 403
