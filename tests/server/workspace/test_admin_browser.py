"""Admin pages and notifications in headless Chromium: revoke a browser's device, disable
and enable an account, the security log, deadline settings with errors beside the field,
calendar years; the unread count on every page; axe on every page."""

from __future__ import annotations

from datetime import UTC, datetime

from server.calendar import queries as calendar_queries
from server.notifications import queries as notification_queries
from tests.server import factories
from tests.server.workspace.browser import chromium, new_page, no_serious_axe, shot, signed_in
from tests.support.live_server import ServerProcess


async def test_admin_pages(db) -> None:
    admin_id = await factories.user("admin", "root", None)
    await factories.user("team_lead", "lead")
    await notification_queries.insert_new(
        [
            {
                "user": admin_id,
                "kind": "deadline_reminder",
                "title": "公示期限提醒",
                "body": "任务将于3天后到达公示截止日期",
                "task": None,
                "dedupe_key": "test:1",
                "created_at": datetime.now(UTC),
            }
        ]
    )
    with ServerProcess() as server:
        async with chromium() as browser:
            lead = await new_page(browser)
            await signed_in(lead, server.url, "lead")
            admin = await new_page(browser)
            await signed_in(admin, server.url, "root")
            assert await admin.locator("#unread-count .badge").inner_text() == "1"

            await admin.goto(f"{server.url}/workspace/admin/accounts")
            await no_serious_axe(admin)
            await shot(admin, "admin-accounts")
            await admin.click("#accounts tr:has-text('lead') a")
            await admin.locator("#devices").wait_for()
            assert "有效" in await admin.locator("#devices").inner_text()
            await no_serious_axe(admin)
            # Revoke the lead's browser: their next page sends them to sign in.
            admin.once("dialog", lambda dialog: dialog.accept())
            await admin.click("#devices button")
            await admin.locator(".flash.ok").wait_for()
            assert "已撤销设备" in await admin.locator(".flash").inner_text()
            await shot(admin, "admin-account")
            await lead.goto(f"{server.url}/workspace/")
            assert "/workspace/login" in lead.url
            assert "撤销" in await lead.locator("main").inner_text()
            # Disable, then enable: a disabled account cannot sign in.
            admin.once("dialog", lambda dialog: dialog.accept())
            await admin.click("#toggle-active")
            await admin.locator(".flash.ok").wait_for()
            assert await admin.locator("#account-state").inner_text() == "已停用"
            await lead.fill("#f-username", "lead")
            await lead.fill("#f-password", factories.PASSWORD)
            await lead.click("button[type=submit]")
            await lead.locator("#form-error").wait_for()
            assert "账号已停用" in await lead.locator("#form-error").inner_text()
            admin.once("dialog", lambda dialog: dialog.accept())
            await admin.click("#toggle-active")
            await admin.locator(".flash.ok").wait_for()
            assert await admin.locator("#account-state").inner_text() == "正常"

            # The security log shows what just happened.
            await admin.goto(f"{server.url}/workspace/admin/security?user=lead")
            events = await admin.locator("#events").inner_text()
            assert "撤销设备" in events and "停用账号" in events and "登录失败" in events
            await no_serious_axe(admin)
            await shot(admin, "admin-security")

            # Settings: a bad value is named beside its field and changes nothing.
            before = await calendar_queries.settings()
            await admin.goto(f"{server.url}/workspace/admin/settings")
            await admin.fill("#f-days", "0")
            await admin.fill("#f-reminder_days", "abc")
            await admin.click("#rule-form button[type=submit]")
            await admin.locator("#e-days").wait_for()
            assert "公示期限天数须为1至" in await admin.locator("#e-days").inner_text()
            assert "提前提醒天数须为0至" in await admin.locator("#e-reminder_days").inner_text()
            assert await calendar_queries.settings() == before
            await no_serious_axe(admin)
            await admin.fill("#f-days", "15")
            await admin.fill("#f-reminder_days", "5")
            await admin.click("#rule-form button[type=submit]")
            await admin.locator(".flash.ok").wait_for()
            assert "15个工作日" in await admin.locator("#rules").inner_text()
            await shot(admin, "admin-settings")

            # Calendar years: a year already complete is refused beside the field.
            await admin.goto(f"{server.url}/workspace/admin/calendar")
            await no_serious_axe(admin)
            await admin.fill("#f-year", "1999")
            await admin.click("form[action$='/years'] button")
            await admin.locator("#e-year").wait_for()
            assert "年份须为2004至2100" in await admin.locator("#e-year").inner_text()
            await admin.fill("#f-year", "2031")
            await admin.click("form[action$='/years'] button")
            await admin.locator(".flash.ok").wait_for()
            assert "2031" in await admin.locator("#years").inner_text()

            # Notifications: read one, the count on every page drops to 0.
            await admin.goto(f"{server.url}/workspace/notifications")
            await no_serious_axe(admin)
            await shot(admin, "notifications")
            await admin.click("#notifications button")
            await admin.locator(".flash.ok").wait_for()
            assert await admin.locator("#unread-count .badge").inner_text() == "0"
            assert admin.script_errors == []

            # The lead (not an admin) is refused the admin pages with a Chinese page.
            await signed_in(lead, server.url, "lead")
            response = await lead.goto(f"{server.url}/workspace/admin/accounts")
            assert response.status == 403
            assert "无法完成此操作" in await lead.locator("main").inner_text()
            assert "系统管理" not in await lead.locator("header nav").inner_text()
