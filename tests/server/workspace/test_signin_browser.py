"""Sign-in, logout, the CSRF refusal and the inspector refusal in headless Chromium,
against a real server process; axe on each page."""

from __future__ import annotations

from tests.server import factories
from tests.server.workspace.browser import chromium, new_page, no_serious_axe, shot, signed_in
from tests.support.live_server import ServerProcess


async def test_sign_in_and_out_in_the_browser(db) -> None:
    await factories.user("team_lead", "lead")
    inspector_id = await factories.inspector("INS-1")
    await factories.user("inspector", "field-1", inspector_id=inspector_id)
    with ServerProcess() as server:
        async with chromium() as browser:
            page = await new_page(browser)
            await page.goto(f"{server.url}/workspace/")
            assert page.url.startswith(f"{server.url}/workspace/login?next=")
            await no_serious_axe(page)
            # A wrong password: the reason on the page, no session.
            await page.fill("#f-username", "lead")
            await page.fill("#f-password", "wrong password!")
            await page.click("button[type=submit]")
            await page.locator("#form-error").wait_for()
            assert "用户名或密码错误" in await page.locator("#form-error").inner_text()
            await shot(page, "login-error")
            # Keyboard only: tab to the fields, Enter submits.
            await page.fill("#f-password", "")
            await page.focus("#f-username")
            await page.keyboard.press("Control+A")
            await page.keyboard.type("lead")
            await page.keyboard.press("Tab")
            await page.keyboard.type(factories.PASSWORD)
            await page.keyboard.press("Enter")
            await page.wait_for_url(f"{server.url}/workspace")
            assert "科室负责人" in await page.locator("header").inner_text()
            await no_serious_axe(page)
            await shot(page, "home")
            cookies = await page.context.cookies()
            session = next(c for c in cookies if c["name"] == "suicha_workspace")
            assert session["httpOnly"] and session["sameSite"] == "Lax"
            # A form posted without its token (as a foreign page would) is refused.
            refused = await page.evaluate(
                """async () => (await fetch('/workspace/logout', {method: 'POST',
                   body: new URLSearchParams({x: '1'})})).status"""
            )
            assert refused == 403
            await page.reload()
            assert "科室负责人" in await page.locator("header").inner_text()
            await page.click("text=退出登录")
            await page.wait_for_url("**/workspace/login?reason=logged_out")
            assert "您已退出登录" in await page.locator("main").inner_text()
            await page.goto(f"{server.url}/workspace/")
            assert "/workspace/login" in page.url
            assert page.script_errors == []

            inspector = await new_page(browser)
            await signed_in(inspector, server.url, "field-1")
            body = await inspector.locator("main").inner_text()
            assert "执法检查人员请使用平板外勤应用" in body
            await no_serious_axe(inspector)
            await shot(inspector, "inspector-refused")
