"""Headless Chromium for workspace tests, and the accessibility check every page passes.

`signed_in(page, base, username)` signs in through the real form; `no_serious_axe(page)`
runs axe-core in the page (axe-playwright-python) and fails on any serious or critical
violation; `shot(page, name)` saves docs/screenshots/workspace-<name>.png.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from tests.screenshots import SCREENSHOTS
from tests.server.factories import PASSWORD

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
SERIOUS = frozenset({"serious", "critical"})


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """A headless Debian Chromium; yields the Playwright Browser."""
    playwright_api = pytest.importorskip("playwright.async_api")
    async with playwright_api.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def new_page(browser: Any, width: int = 1280, height: int = 900) -> Any:
    """A page in a fresh context (its own cookies: one person at one browser)."""
    context = await browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True, locale="zh-CN"
    )
    page = await context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    return page


async def signed_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    await page.goto(f"{base}/workspace/login")
    await page.fill("#f-username", username)
    await page.fill("#f-password", password)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{base}/workspace/**")


async def no_serious_axe(page: Any) -> None:
    """axe-core in the page: no serious or critical violation."""
    axe_module = pytest.importorskip("axe_playwright_python.async_playwright")
    results = await axe_module.Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} @ {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
    assert not serious, f"{page.url}: " + "; ".join(serious)


async def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"workspace-{name}.png", full_page=True)


async def tab_to(page: Any, selector: str, limit: int = 150) -> None:
    """Press Tab from the top of the page until `selector` has the focus (keyboard reach);
    fails if it never does within `limit` presses."""
    await page.evaluate("document.activeElement && document.activeElement.blur()")
    await page.evaluate("window.scrollTo(0, 0)")
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key on {page.url}")
