"""Directed tasks by hand in headless Chromium: a team lead creates one with its team,
errors beside the fields change nothing, the team is replaced, every page axe-clean."""

from __future__ import annotations

from server.inspection_codes.tables import DirectedTask
from server.tasks.tables import TaskChange, TaskInspector
from tests.server import factories
from tests.server.draws import world
from tests.server.workspace.browser import chromium, new_page, no_serious_axe, shot, signed_in
from tests.support.live_server import ServerProcess


async def test_a_lead_creates_a_directed_task_and_assigns_its_team(db) -> None:
    await world.build(objects_per_class=2)
    await factories.user("team_lead", "lead", "SCJG")
    await factories.user("team_lead", "lead-ws", "WSJK")
    with ServerProcess() as server:
        async with chromium() as browser:
            page = await new_page(browser)
            await signed_in(page, server.url, "lead")
            await page.click("nav >> text=定向检查")
            await page.wait_for_url(f"{server.url}/workspace/directed/")
            assert "还没有定向检查任务" in await page.locator("#directed").inner_text()
            await no_serious_axe(page)

            # Errors beside the fields: unknown business, no item, one officer, bad window.
            await page.fill("#f-business", "没有这家企业")
            await page.select_option("#f-reason_category", "complaint")
            await page.fill("#f-reference_no", "TS-2026-0815")
            await page.fill("#f-window_start", "2026-11-01")
            await page.fill("#f-window_end", "2026-10-01")
            await page.check("label:has-text('SC-001')")
            await page.click("#new-directed button[type=submit]")
            await page.locator("#e-business").wait_for()
            assert "名录库中没有该企业" in await page.locator("#e-business").inner_text()
            assert "至少选择一项" in await page.locator("#e-items").inner_text()
            assert "至少需要2名" in await page.locator("#e-badges").inner_text()
            assert "不能早于" in await page.locator("#e-window_end").inner_text()
            # What was typed is kept.
            assert await page.input_value("#f-reference_no") == "TS-2026-0815"
            await no_serious_axe(page)
            assert await DirectedTask.count() == 0

            # A team member without the items' qualification: refused by the team rules.
            await page.fill("#f-business", world.credit_code(1))
            await page.fill("#f-window_end", "2026-12-15")
            await page.check("label:has-text('SC-SP-01')")
            await page.check("label:has-text('SC-009')")
            await page.click("#new-directed button[type=submit]")
            await page.locator("#e-badges").wait_for()
            assert "SC-009不具备" in await page.locator("#e-badges").inner_text()
            assert await DirectedTask.count() == 0 and await TaskInspector.count() == 0

            await page.uncheck("label:has-text('SC-009')")
            await page.check("label:has-text('SC-002')")
            await page.click("#new-directed button[type=submit]")
            await page.locator(".flash.ok").wait_for()
            assert "已创建定向检查任务" in await page.locator(".flash").inner_text()
            row = page.locator("#directed tbody tr").first
            text = await row.inner_text()
            assert "定向检查（非随机）" in text and "投诉举报" in text
            assert "检查员SC-001（SC-001）" in text and "检查员SC-002（SC-002）" in text
            [made] = await DirectedTask.select(DirectedTask.task)
            assert await TaskChange.count() == 2  # both officers' devices are told

            # Replace the team: a refusal beside the row's field, then a good one.
            await page.fill(f"#team-{made['task']}", "SC-001")
            await page.click(f"#directed-{made['task']} button")
            await page.locator(f"#team-error-{made['task']}").wait_for()
            assert "至少需要2名" in await page.locator(f"#team-error-{made['task']}").inner_text()
            await no_serious_axe(page)
            await page.fill(f"#team-{made['task']}", "SC-001，SC-003")
            await page.click(f"#directed-{made['task']} button")
            await page.locator(".flash.ok").wait_for()
            text = await page.locator(f"#directed-{made['task']}").inner_text()
            assert "SC-003" in text and "SC-002" not in text
            await no_serious_axe(page)
            await shot(page, "directed")

            # Another department's lead neither sees the task nor may change its team.
            other = await new_page(browser)
            await signed_in(other, server.url, "lead-ws")
            await other.goto(f"{server.url}/workspace/directed/")
            assert "还没有定向检查任务" in await other.locator("#directed").inner_text()
            answer = await other.request.post(
                f"{server.url}/workspace/directed/{made['task']}/team",
                form={"badges": "WS-001,WS-002"},
            )
            assert answer.status == 403  # without the CSRF token the form is refused outright
