"""A business's phone (390×844, headless Chromium) opening `/check/{code}` on a real server."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server.inspection_codes import service
from server.tasks.tables import Task
from shared import inspection_code
from tests.screenshots import SCREENSHOTS as SHOTS
from tests.server.inspection_codes.helpers import drawn_task_code, path_of
from tests.server.inspection_codes.test_directed import directed_body
from tests.server.public.test_page_browser import ARGS, CHROMIUM
from tests.support.live_server import ServerProcess

PHONE = {"width": 390, "height": 844}


async def test_check_pages_on_a_phone(client) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    record, code, lead = await drawn_task_code(client)
    row = await service.queries.by_code(code["code"])
    foreign = inspection_code.sign(Ed25519PrivateKey.generate(), service.signed_fields(row))
    body = code["code"][:-3] + ("Z" if code["code"][-3] != "Z" else "Y") + code["code"][-2:-1]
    altered = body + inspection_code.check_character(body)
    tasks = (await client.get(f"/api/v1/tasks/?draw={record['draw_id']}", headers=lead)).json()
    closed_id = tasks["items"][1]["id"]
    closed = (await client.get(f"/api/v1/tasks/{closed_id}/inspection-code/", headers=lead)).json()
    await Task.update({Task.status: "closed"}).where(Task.id == closed_id)
    made = await client.post("/api/v1/directed-tasks/", json=directed_body(), headers=lead)
    assert made.status_code == 201, made.text
    directed = await client.get(
        f"/api/v1/tasks/{made.json()['task_id']}/inspection-code/", headers=lead
    )

    with ServerProcess() as server:
        async with playwright_api.async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = await browser.new_page(viewport=PHONE, is_mobile=True, device_scale_factor=2)
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("console", lambda m: errors.append(m.text))

                response = await page.goto(server.url + path_of(code["url"]))
                assert response is not None and response.status == 200
                check = page.locator("#browser-check")
                await playwright_api.expect(check).not_to_contain_text("复算中", timeout=30_000)
                state = await check.get_attribute("class")
                assert state == "ok", (await check.inner_text(), errors)
                text = await page.locator("body").inner_text()
                assert "检查码真实有效" in text and "双随机抽查" in text
                assert "为什么抽中了本企业" in text and "按密钥从小到大排第" in text
                # The page fits the phone: nothing wider than the viewport.
                width = await page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], width
                await page.screenshot(path=str(SHOTS / "check-random.png"), full_page=True)

                response = await page.goto(server.url + path_of(directed.json()["url"]))
                assert response is not None and response.status == 200
                text = await page.locator("body").inner_text()
                assert "定向检查（非随机）" in text and "投诉举报" in text
                assert "TS-2026-0815" not in text and "为什么抽中" not in text
                await page.screenshot(path=str(SHOTS / "check-directed.png"), full_page=True)

                signature = code["signature"]
                refusals = {
                    "check-tampered.png": (f"/check/{altered}?s={signature}", 404, "查无此检查码"),
                    "check-foreign-key.png": (f"/check/{row['code']}?s={foreign}", 400, "签名无效"),
                    "check-expired.png": (path_of(closed["url"]), 410, "检查码已失效"),
                }
                for shot, (path, status, reason) in refusals.items():
                    response = await page.goto(server.url + path)
                    assert response is not None and response.status == status, path
                    text = await page.locator("body").inner_text()
                    assert reason in text and "您可以拒绝本次检查" in text, text
                    await page.screenshot(path=str(SHOTS / shot), full_page=True)
                assert not [e for e in errors if "Content Security" in e], errors
            finally:
                await browser.close()
