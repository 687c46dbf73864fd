"""Roster pages in headless Chromium: import with row errors, the error file, the fixed
file imported again, the lists with filters and keyset paging; axe on every page."""

from __future__ import annotations

import csv
from pathlib import Path

from server.rosters import service as rosters
from tests.server import factories
from tests.server.workspace.browser import chromium, new_page, no_serious_axe, shot, signed_in
from tests.support.live_server import ServerProcess

HEADER = "统一社会信用代码,名称,行政区划,地址,风险分类\n"


def _roster(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


async def test_import_errors_fix_and_import_again(db, tmp_path: Path) -> None:
    await rosters.ensure_risk_classes()
    await factories.user("admin", "root", None)
    good = [
        f"{factories.credit_code(n)},鸡西市测试商店{n}号,230302,鸡冠区{n}号,B" for n in range(1, 61)
    ]
    bad = list(good)
    bad[2] = "91230300000000003X,鸡西市坏代码商店,230302,鸡冠区,B"
    bad[7] = f"{factories.credit_code(8)},,230302,鸡冠区,Z"
    with ServerProcess() as server:
        async with chromium() as browser:
            page = await new_page(browser)
            await signed_in(page, server.url, "root")
            await page.goto(f"{server.url}/workspace/rosters/import")
            await no_serious_axe(page)
            await page.select_option("#f-kind", "objects")
            await page.set_input_files("#f-file", str(_roster(tmp_path / "objects.csv", bad)))
            await page.click("#import-form button[type=submit]")
            await page.locator("#row-errors").wait_for()
            table = await page.locator("#row-errors").inner_text()
            assert "第4行" in table and "第9行" in table
            assert "未导入任何数据" in await page.locator("main").inner_text()
            await no_serious_axe(page)
            await shot(page, "import-errors")
            async with page.expect_download() as download_info:
                await page.click("#download-errors")
            download = await download_info.value
            saved = tmp_path / "errors.csv"
            await download.save_as(saved)
            lines = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
            assert lines[0] == ["行号", "列", "错误代码", "原因"]
            assert {line[0] for line in lines[1:]} == {"4", "9"}
            # Nothing was imported.
            await page.goto(f"{server.url}/workspace/rosters/objects")
            assert "没有符合条件的检查对象" in await page.locator("#objects").inner_text()
            # Fix the file and import it again.
            await page.goto(f"{server.url}/workspace/rosters/import")
            await page.select_option("#f-kind", "objects")
            await page.set_input_files("#f-file", str(_roster(tmp_path / "fixed.csv", good)))
            await page.click("#import-form button[type=submit]")
            await page.wait_for_url("**/workspace/rosters/objects")
            flash = await page.locator(".flash").inner_text()
            assert "导入成功" in flash and "新增60行" in flash
            rows = page.locator("#objects tbody tr")
            assert await rows.count() == 50
            await no_serious_axe(page)
            await shot(page, "objects")
            # Keyset paging: the second page holds the last ten, in order.
            await page.click("a[rel=next]")
            assert "after=" in page.url
            assert await rows.count() == 10
            assert "鸡西市测试商店51号" in await rows.first.inner_text()
            # Filters.
            await page.goto(f"{server.url}/workspace/rosters/objects")
            await page.fill("#f-q", "测试商店7号")
            await page.click("form.filters button")
            assert await rows.count() == 1
            for path in ("inspectors", "items", "departments", "categories", "calendar?year=2026"):
                await page.goto(f"{server.url}/workspace/rosters/{path}")
                assert await page.locator("h1").count() == 1
                await no_serious_axe(page)
            await shot(page, "calendar")
            assert page.script_errors == []
