"""One whole inspection cycle in headless Chromium against a real server process:
roster import with errors, fixed and imported again; a joint plan the cap check refuses
and then accepts; approve, publish; the draw with the observer in a second browser
context; the tasks; results pushed by the real field sync engine; review returns one
item; the new version synced; approve, publish; the result on the public portal.
Authorization in the browser, axe on every page, screenshots saved."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mobile.sync import HttpTransport, Store, SyncEngine
from mobile.sync.session import login
from server.draws.tables import Draw
from server.rosters import service as rosters
from server.rosters.tables import InspectionItem
from server.tasks.tables import Task
from tests.server import factories
from tests.server.draws import world
from tests.server.workspace.browser import chromium, new_page, no_serious_axe, shot, signed_in
from tests.support.live_server import ServerProcess

HEADER = "统一社会信用代码,名称,行政区划,地址,风险分类\n"
POOLS = {"SCJG": ["SC-001", "SC-002", "SC-003", "SC-004"], "YJGL": ["YJ-001", "YJ-002"]}


def _roster(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


async def _device(server_url: str, tmp: Path, badge: str) -> tuple[Store, SyncEngine, Any]:
    store = Store(tmp / f"device-{badge}")
    transport = HttpTransport(server_url)
    reply = await login(
        store, transport, username=f"u-{badge}", password=factories.PASSWORD, device_id=badge
    )
    assert reply.ok, reply
    return store, SyncEngine(store, transport), transport


async def _setup() -> None:
    await rosters.ensure_risk_classes()
    built = await world.build(objects_per_class=0)
    await InspectionItem.update({InspectionItem.ratio_cap: "0.1"}).where(
        InspectionItem.code == "SC-SP-01"
    )
    await factories.user("admin", "root", None)
    await factories.user("team_lead", "lead", "SCJG")
    await factories.user("observer", "observer", "SCJG")
    await factories.user("back_office", "bo", "SCJG")
    await factories.user("team_lead", "gaj-lead", "GAJ")
    for department, badges in POOLS.items():
        for badge in badges:
            await factories.user(
                "inspector", f"u-{badge}", department, inspector_id=built.inspectors[badge]
            )


async def test_whole_cycle(db, tmp_path: Path) -> None:
    await _setup()
    good = [
        f"{world.credit_code(n)},鸡西市联合检查商店{n}号,230302,鸡冠区{n}号,B" for n in range(1, 21)
    ]
    bad = list(good)
    bad[4] = "91230300000000005X,鸡西市坏代码商店,230302,鸡冠区,B"
    with ServerProcess() as server:
        base = server.url
        async with chromium() as browser:
            # 1. Import a roster with errors, fix it and import it again.
            admin = await new_page(browser)
            await signed_in(admin, base, "root")
            await admin.goto(f"{base}/workspace/rosters/import")
            await admin.select_option("#f-kind", "objects")
            await admin.set_input_files("#f-file", str(_roster(tmp_path / "bad.csv", bad)))
            await admin.click("#import-form button[type=submit]")
            await admin.locator("#row-errors").wait_for()
            assert "第6行" in await admin.locator("#row-errors").inner_text()
            await admin.select_option("#f-kind", "objects")
            await admin.set_input_files("#f-file", str(_roster(tmp_path / "good.csv", good)))
            await admin.click("#import-form button[type=submit]")
            await admin.wait_for_url("**/workspace/rosters/objects")
            assert "新增20行" in await admin.locator(".flash").inner_text()

            # 2. A joint plan: the cap check refuses, then accepts.
            lead = await new_page(browser)
            await signed_in(lead, base, "lead")
            await lead.goto(f"{base}/workspace/plans/new")
            await no_serious_axe(lead)
            await lead.fill("#f-code", "2026-LH-E2E")
            await lead.fill("#f-name", "2026年食品经营场所消防安全联合抽查")
            await lead.fill("#f-year", "2026")
            await lead.fill("#f-window_start", "2026-01-01")
            await lead.fill("#f-window_end", "2026-12-31")
            await lead.check("input[name=items][value=SC-SP-01]")
            await lead.check("input[name=items][value=YJ-XF-01]")
            for cls, ratio in (("A", "0"), ("B", "0.2"), ("C", "0"), ("D", "0")):
                await lead.fill(f"#f-ratio_{cls}", ratio)
            # the live preview (htmx) names the general item whose cap the ratio passes
            await lead.locator("#cap-check.flash", has_text="SC-SP-01").wait_for()
            assert await lead.locator("#preview-in-scope").inner_text() == "20"
            await lead.click("#plan-form button[type=submit]")
            await lead.locator("#e-ratio_B").wait_for()
            assert "0.1" in await lead.locator("#e-ratio_B").inner_text()
            await no_serious_axe(lead)
            await shot(lead, "plan-refused")
            await lead.fill("#f-ratio_B", "0.05")
            await lead.locator("p#cap-check.ok").wait_for()
            assert await lead.locator("#preview-drawn").inner_text() == "1"
            await lead.click("#plan-form button[type=submit]")
            await lead.wait_for_url("**/workspace/plans/*")
            plan_url = lead.url
            # 3. Approve and publish.
            await lead.click("text=审批计划")
            await lead.wait_for_url(plan_url)
            await lead.click("text=公示计划")
            await lead.wait_for_url(plan_url)
            assert await lead.locator("#plan-status").inner_text() == "已公示"
            await no_serious_axe(lead)
            await shot(lead, "plan")

            # Another department's lead neither sees nor changes the plan.
            other = await new_page(browser)
            await signed_in(other, base, "gaj-lead")
            response = await other.goto(plan_url)
            assert response is not None and response.status == 404
            await other.goto(f"{base}/workspace/plans/")
            assert "2026-LH-E2E" not in await other.locator("main").inner_text()

            # 4. The draw: the lead schedules, the observer witnesses in their own context.
            await lead.click("text=抽签现场")
            await lead.click("text=安排抽签并公布承诺值")
            commitment = await lead.locator("#commitment").inner_text()
            draw_url = lead.url
            observer = await new_page(browser)
            await signed_in(observer, base, "observer")
            await observer.goto(draw_url)
            assert await observer.locator("#commitment").inner_text() == commitment
            assert await observer.locator("text=审批计划").count() == 0
            await observer.click("text=确认见证并签字")
            await observer.locator("#e-witness_input").wait_for()  # empty: refused beside it
            await no_serious_axe(observer)
            await observer.fill("#f-witness_input", "现场见证 2026")
            await observer.click("text=确认见证并签字")
            await observer.locator("#witness-input").wait_for()
            assert await observer.locator("#run-draw").count() == 0
            await shot(observer, "draw-witnessed")
            await lead.reload()
            await lead.click("#run-draw")
            await lead.locator("#result-table").wait_for()
            assert "现场见证 2026" in await lead.locator("main").inner_text()
            await no_serious_axe(lead)
            await shot(lead, "draw-sealed")
            async with lead.expect_download() as pdf_info:
                await lead.evaluate(
                    "document.querySelector('a[href$=\"record.pdf\"]').setAttribute('download', '')"
                )
                await lead.click("a[href$='record.pdf']")
            pdf_path = tmp_path / "record.pdf"
            await (await pdf_info.value).save_as(pdf_path)
            assert pdf_path.read_bytes().startswith(b"%PDF")
            await lead.click("#verify-link")
            assert "/public/draws/" in lead.url

            # 5. The tasks.
            [task] = await Task.select(Task.id)
            task_id = task["id"]
            record = json.loads((await Draw.select(Draw.record).first())["record"])
            [assignment] = record["assignments"]
            credit_code = assignment["object_id"]
            team = {d: badges[0] for d, badges in assignment["inspectors"].items()}
            assert set(team) == {"SCJG", "YJGL"}
            await lead.goto(draw_url)
            assert credit_code in await lead.locator("#result-table").inner_text()
            await lead.goto(plan_url + "/progress")
            assert credit_code in await lead.locator("#progress").inner_text()
            assert "已分派 1" in await lead.locator("#counts").inner_text()
            await no_serious_axe(lead)
            await shot(lead, "progress")
            await lead.goto(f"{base}/workspace/plans/")
            await no_serious_axe(lead)

            # 6. Results through the real sync engine.
            devices = {d: await _device(base, tmp_path, badge) for d, badge in team.items()}
            items = {"SCJG": "SC-SP-01", "YJGL": "YJ-XF-01"}
            completed = datetime.now(UTC).isoformat(timespec="seconds")
            result_ids = {}
            for department, (store, engine, _) in devices.items():
                assert (await engine.sync_once()).tasks_received == 1
                result_ids[department] = store.record_result(
                    task_id, items[department], answers={}, category="1", findings="未发现问题"
                )
                store.request_submission(task_id, completed)
                report = await engine.sync_once()
                assert report.results_acknowledged == 1 and report.submissions == 1, report

            # 7. Review and return one item.
            back = await new_page(browser)
            await signed_in(back, base, "bo")
            await back.goto(f"{base}/workspace/review/")
            await no_serious_axe(back)
            await shot(back, "review-queue")
            await back.click(f"a[href='/workspace/review/{task_id}']")
            await back.locator("#item-SC-SP-01 button[value=return]").click()
            await back.locator("#e-reason-SC-SP-01").wait_for()
            await back.fill("#f-reason-SC-SP-01", "请补充食品经营许可证核查情况")
            await back.locator("#item-SC-SP-01 button[value=return]").click()
            await back.wait_for_url(f"{base}/workspace/review/{task_id}")
            assert "已退回修改" in await back.locator(".flash").inner_text()
            await no_serious_axe(back)
            await shot(back, "review-returned")

            # 8. The inspector sees the return and syncs a new version.
            store, engine, _ = devices["SCJG"]
            await engine.sync_once()
            status = store.task(task_id)
            assert status is not None
            assert [r["reason"] for r in status.package["returns"]] == [
                "请补充食品经营许可证核查情况"
            ]
            store.record_result(
                task_id,
                "SC-SP-01",
                answers={},
                category="1",
                findings="已核查许可证，未发现问题",
                result_id=result_ids["SCJG"],
            )
            assert (await engine.sync_once()).results_acknowledged == 1

            # 9. Approve (each department its own item) and publish.
            await back.reload()
            assert "已核查许可证" in await back.locator("#item-SC-SP-01").inner_text()
            await back.locator("#item-SC-SP-01 button[value=approve]").click()
            await back.wait_for_url(f"{base}/workspace/review/{task_id}")
            await admin.goto(f"{base}/workspace/review/{task_id}")
            await admin.locator("#item-YJ-XF-01 button[value=approve]").click()
            await admin.wait_for_url(f"{base}/workspace/review/{task_id}")
            await back.reload()
            await back.locator("#publish-title ~ form button[type=submit]").click()
            await back.wait_for_url(f"{base}/workspace/review/{task_id}")
            assert await back.locator("#task-state").inner_text() == "已公示"
            await no_serious_axe(back)
            await shot(back, "review-published")

            # 10. The result on the public portal.
            public = await new_page(browser)
            await public.goto(f"{base}/search?q={credit_code}")
            assert "鸡西市联合检查商店" in await public.locator("main").inner_text()
            await shot(public, "portal-found")
            for _, _, transport in devices.values():
                await transport.client.aclose()
            for page in (lead, observer, back, admin, other):
                assert page.script_errors == []
