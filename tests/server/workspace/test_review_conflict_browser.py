"""The review page in headless Chromium: the visit record's signatures and the results'
photos full size on click; a conflict side by side, settled by keyboard alone (the missing
return reason refused beside its field first); axe on each state; screenshot."""

from __future__ import annotations

from pathlib import Path

import httpx

from server.field.tables import ResultConflict
from server.publication.tables import ReviewDecision
from tests.server import factories
from tests.server.workspace.browser import (
    chromium,
    new_page,
    no_serious_axe,
    shot,
    signed_in,
    tab_to,
)
from tests.server.workspace.review_world import attachment_store, conflicted_task
from tests.support.live_server import ServerProcess

__all__ = ["attachment_store"]


async def test_conflict_settled_in_the_browser(db, attachment_store: Path) -> None:
    await factories.user("back_office", "bo", "SCJG")
    with ServerProcess() as server:
        base = server.url
        async with httpx.AsyncClient(base_url=base, timeout=60) as api:
            world = await conflicted_task(api)
        task_id, cid = world.done.task.task_id, world.conflict_id
        async with chromium() as browser:
            back = await new_page(browser)
            await signed_in(back, base, "bo")
            await back.goto(f"{base}/workspace/review/{task_id}")
            table = back.locator(f"#conflict-{cid} table")
            await table.wait_for()
            text = await table.inner_text()
            assert "后厨地面湿滑，已当场提醒" in text and "未发现问题" in text
            assert "不同" in await table.locator("tr.differs").first.inner_text()
            signatures = back.locator("#visit img")
            assert await signatures.count() == 2
            # every picture has loaded (a broken image has no natural width)
            widths = await back.eval_on_selector_all(
                "main img", "images => images.map(i => i.complete && i.naturalWidth)"
            )
            assert widths and all(widths), widths
            await no_serious_axe(back)
            await shot(back, "review-conflict")

            # A signature full size on click (a new tab with the stored image).
            async with back.context.expect_page() as opened:
                await signatures.first.click()
            full = await opened.value
            await full.wait_for_load_state()
            assert full.url.split("/")[-1] in world.signatures
            await full.close()

            # By keyboard: choose the device's version, try to return it without a reason.
            await tab_to(back, f"#f-keep-{cid}-server")
            await back.keyboard.press("ArrowDown")  # radio group: the next option
            assert await back.is_checked(f"#f-keep-{cid}-client")
            await tab_to(back, f"#conflict-{cid} button[value=return]")
            await back.keyboard.press("Enter")
            await back.locator(f"#e-note-{cid}").wait_for()
            assert "必须填写原因" in await back.locator(f"#e-note-{cid}").inner_text()
            assert await back.is_checked(f"#f-keep-{cid}-client")  # the choice is kept
            assert (await ResultConflict.select(ResultConflict.status))[0]["status"] == "open"
            await no_serious_axe(back)
            await tab_to(back, f"#f-note-{cid}")
            await back.keyboard.type("两份记录不一致，请现场核实")
            await tab_to(back, f"#conflict-{cid} button[value=return]")
            await back.keyboard.press("Enter")
            await back.locator(".flash.ok").wait_for()
            assert "已采用设备提交的版本并退回修改" in await back.locator(".flash").inner_text()
            assert await back.locator(f"#conflict-{cid}").count() == 0
            item = await back.locator("#item-SC-01").inner_text()
            assert "后厨地面湿滑" in item and "两份记录不一致" in item
            [decision] = await ReviewDecision.select()
            assert decision["decision"] == "returned"
            await no_serious_axe(back)
            assert back.script_errors == []
