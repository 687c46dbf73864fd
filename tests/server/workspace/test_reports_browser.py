"""Reports, archives and the accountability view in headless Chromium, on the demo's cycle:
a bad period refused beside its field, the report generated and downloaded byte for byte,
the plan archive downloaded; the observer lands on the accountability view and has no
generate form; every page keyboard reachable and without serious axe violations."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from server.demo.accounts import DEMO_PASSWORD
from server.demo.dataset import create_demo
from server.plans.tables import Plan
from server.records.reports.tables import Report
from tests.server.records.test_reports import one_late_publication
from tests.server.workspace.browser import (
    chromium,
    new_page,
    no_serious_axe,
    shot,
    signed_in,
    tab_to,
)
from tests.support.live_server import ServerProcess

CHINA = ZoneInfo("Asia/Shanghai")


async def test_reports_and_accountability_pages(db, tmp_path: Path) -> None:
    await create_demo(objects=2_000, seed=2026, report=lambda _: None)
    late_task = await one_late_publication()
    today = datetime.now(CHINA).date()
    await Plan.update({Plan.window_end: today - timedelta(days=1)}).where(Plan.id > 0)
    with ServerProcess() as server:
        base = server.url
        async with chromium() as browser:
            office = await new_page(browser)
            await signed_in(office, base, "office", DEMO_PASSWORD)
            await office.click("header nav >> text=报表")
            await office.wait_for_url(f"{base}/workspace/reports/")
            await no_serious_axe(office)

            # By keyboard alone: a malformed period is refused beside the field.
            await tab_to(office, "#f-period")
            await office.keyboard.press("Control+A")
            await office.keyboard.type("2026年11月")
            await tab_to(office, "#generate-form button[type=submit]")
            await office.keyboard.press("Enter")
            await office.locator("#e-period").wait_for()
            assert "2026-11" in await office.locator("#e-period").inner_text()
            assert await office.get_attribute("#f-period", "aria-invalid") == "true"
            assert await Report.count() == 0
            await no_serious_axe(office)

            await office.select_option("#f-kind", "half_year")
            await office.fill("#f-period", f"{today.year}-H{1 if today.month <= 6 else 2}")
            await office.click("#generate-form button[type=submit]")
            await office.locator(".flash.ok").wait_for()
            assert "半年工作总结" in await office.locator(".flash").inner_text()
            [stored] = await Report.select(Report.id, Report.sha256)
            async with office.expect_download() as info:
                await office.click(f"a[href='/workspace/reports/{stored['id']}/file']")
            saved = tmp_path / "report.xlsx"
            await (await info.value).save_as(saved)
            assert hashlib.sha256(saved.read_bytes()).hexdigest() == stored["sha256"]
            async with office.expect_download() as info:
                await office.click("#archives a[href^='/workspace/archives/plans/']")
            archive = tmp_path / "plan.zip"
            await (await info.value).save_as(archive)
            assert archive.read_bytes()[:2] == b"PK"
            await no_serious_axe(office)
            await shot(office, "reports")

            await office.click("text=问责情况")
            await office.locator("#lapses").wait_for()
            lapses = await office.locator("#lapses").inner_text()
            assert "逾期公示" in lapses and "未按期检查" in lapses and "公示人" in lapses
            await office.select_option("#f-kind", "published_late")
            await office.click("form.filters button[type=submit]")
            await office.locator(f"#lapses a[href='/workspace/review/{late_task}']").wait_for()
            assert "未按期检查" not in await office.locator("#lapses tbody").inner_text()
            await no_serious_axe(office)
            await tab_to(office, f"#lapses a[href='/workspace/review/{late_task}']")
            await office.goto(f"{base}/workspace/reports/accountability?department=SCJG")
            await shot(office, "accountability")

            # The observer reads the accountability view only.
            observer = await new_page(browser)
            await signed_in(observer, base, "observer", DEMO_PASSWORD)
            await observer.click("header nav >> text=报表")
            await observer.wait_for_url(f"{base}/workspace/reports/accountability")
            assert "逾期公示" in await observer.locator("#lapses").inner_text()
            assert await observer.locator("#generate-form").count() == 0
            assert await observer.locator("text=报表与归档").count() == 0
            await no_serious_axe(observer)
            for page in (office, observer):
                assert page.script_errors == []
