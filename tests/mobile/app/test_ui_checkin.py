"""A directed task in the real app under Xvfb against a live server: marked 定向检查 in
the list and on the task, its code full-screen (the QR read back from the screen is the
server's check URL), 扫码入企 from a licence-QR image (another business refused), and an
offline check-in kept on the device, synced once the server is back, flagged late."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zxingcpp
from PIL import Image

from tests.mobile.app.harness import AppProcess, xvfb_missing
from tests.mobile.app.test_ui_flow import Start, sign_in
from tests.mobile.checkin.test_licence_scan import licence_qr
from tests.screenshots import SCREENSHOTS
from tests.server import factories
from tests.server.draws import world
from tests.server.factories import PASSWORD

OUTBOX = "__import__('mobile.checkin.outbox', fromlist=['now'])"


@pytest.fixture(scope="module")
async def directed(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    """A live server with a directed task (complaint) whose team is SC-001 and SC-002."""
    from server.rosters.tables import Inspector
    from tests.conftest import UNUSABLE_REASON
    from tests.support.live_field import field_server, fresh_database

    if UNUSABLE_REASON:
        pytest.skip(UNUSABLE_REASON)
    if reason := xvfb_missing():
        pytest.skip(reason)
    await fresh_database()
    work = tmp_path_factory.mktemp("app-checkin")
    await world.build(objects_per_class=2)
    ids = {r["badge_no"]: r["id"] for r in await Inspector.select(Inspector.id, Inspector.badge_no)}
    await factories.user("team_lead", "lead-ui", "SCJG")
    for badge in ("SC-001", "SC-002"):
        await factories.user("inspector", f"insp-{badge}", "SCJG", inspector_id=ids[badge])
    server = field_server(work)
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url) as client:
            lead = await factories.login(client, "lead-ui", "lead-pc")
            made = await client.post(
                "/api/v1/directed-tasks/",
                json={
                    "object_id": world.credit_code(1),
                    "reason_category": "complaint",
                    "reference_no": "TS-2026-0815",
                    "department": "SCJG",
                    "items": ["SC-SP-01"],
                    "window_start": "2026-11-01",
                    "window_end": "2027-01-31",
                },
                headers=lead,
            )
            assert made.status_code == 201, made.text
            task_id = made.json()["task_id"]
            team = await client.put(
                f"/api/v1/tasks/{task_id}/team", json={"badges": ["SC-001", "SC-002"]}, headers=lead
            )
            assert team.status_code == 200, team.text
            code = await client.get(f"/api/v1/tasks/{task_id}/inspection-code/", headers=lead)
            assert code.status_code == 200, code.text
        yield {"server": server, "task_id": task_id, "code": code.json(), "work": work}
    finally:
        server.stop()


def screenshot(app: AppProcess, path: Path) -> Path:
    app.call("screenshot", path=str(path), frames=6)
    return path


def qr_texts(path: Path) -> list[str]:
    with Image.open(path) as image:
        return [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]


async def test_directed_task_code_and_check_in(
    directed: dict[str, Any], start_app: Start, tmp_path: Path
) -> None:
    from server.inspection_codes.tables import CheckIn

    server = directed["server"]
    task_id = directed["task_id"]
    app = start_app(size=(800, 1280))
    sign_in(app, server.url, "insp-SC-001", PASSWORD)
    app.wait("manager.current == 'tasks'")
    app.wait("not app.syncing and app.last_report is not None")
    tab = app.eval("next(t for t in ('today', 'upcoming') if field.tasks(t))")
    app.tap(id=f"tab_{tab}")
    [row] = app.wait("screen.ids.rows.data")
    assert row["task_id"] == task_id and row["mark"] == "定向检查（非随机）· 投诉举报"
    screenshot(app, SCREENSHOTS / "app-tasks-directed.png")

    app.eval(f"app.show('task', task_id={task_id})")
    assert app.eval("screen.mark") == "定向检查（非随机）· 投诉举报"
    assert app.eval("screen.check_in_status") == "尚未登记到达（扫码入企）"
    assert "TS-2026-0815" not in str(app.eval("screen.package"))
    screenshot(app, SCREENSHOTS / "app-task-directed.png")

    # 亮码: full-screen, and the QR read back from the screen is the server's check URL.
    app.tap(id="show_code")
    app.wait("manager.current == 'inspection_code'")
    assert app.eval("screen.code") == directed["code"]["code"]
    shown = screenshot(app, tmp_path / "code.png")
    assert qr_texts(shown) == [directed["code"]["url"]]
    shutil.copy(shown, SCREENSHOTS / "app-inspection-code.png")
    app.tap(id="close")
    app.wait("manager.current == 'task'")

    # 扫码入企: another business's licence is refused, nothing is recorded.
    app.tap(id="check_in")
    app.wait("manager.current == 'checkin'")
    other = licence_qr(
        tmp_path, f"http://www.gsxt.gov.cn/?uniscid={world.credit_code(2)}", "other.png"
    )
    app.tap(id="scan")
    app.call("choose_file", path=str(other))
    problem = app.wait("screen.problem")
    assert "不符" in problem and world.credit_code(2) in problem
    app.type(world.credit_code(3), id="typed", replace=True)
    app.tap(id="typed_ok")
    app.wait(f"'{world.credit_code(3)}' in screen.problem")
    screenshot(app, SCREENSHOTS / "app-checkin-refused.png")
    assert app.eval(f"{OUTBOX}.check_in_of(field.store, {task_id})") is None

    # Offline, the tablet's clock eleven days back: the arrival is kept and queued.
    server.kill()
    app.eval(
        f"setattr({OUTBOX}, 'now', lambda: {OUTBOX}.datetime.now({OUTBOX}.UTC).astimezone()"
        " - __import__('datetime').timedelta(days=11))"
    )
    ours = licence_qr(tmp_path, f"统一社会信用代码：{world.credit_code(1)}", "ours.png")
    app.tap(id="scan")
    app.call("choose_file", path=str(ours))
    app.wait(f"{OUTBOX}.check_in_of(field.store, {task_id}) is not None")
    assert app.eval("screen.problem") == ""
    app.wait("not app.syncing")
    stored = app.eval(f"vars({OUTBOX}.check_in_of(field.store, {task_id}))")
    assert stored["credit_code"] == world.credit_code(1) and stored["gps"] == "unavailable"
    assert str(stored["state"]) in ("queued", "failed_retrying")
    assert app.eval("app.unsent") >= 1
    app.eval("screen.refresh()")
    status = app.eval("screen.status")
    assert "定位不可用" in status and ("待同步" in status or "下次同步重试" in status)
    # The visit record takes the arrival time of the check-in.
    assert app.eval(f"field.visit({task_id})['arrival']") == stored["arrived_at"][:16].replace(
        "T", " "
    )
    screenshot(app, SCREENSHOTS / "app-checkin.png")

    # Back online: the next sync sends it; the server keeps it, flagged past the grace period.
    app.eval(f"setattr({OUTBOX}, 'now', lambda: {OUTBOX}.datetime.now({OUTBOX}.UTC).astimezone())")
    server.start()
    app.eval("app.start_sync()")
    app.wait(f"str({OUTBOX}.check_in_of(field.store, {task_id}).state) == 'acknowledged'")
    assert app.eval(f"{OUTBOX}.check_in_of(field.store, {task_id}).late") is True
    app.eval("screen.refresh()")
    assert "逾期" in app.eval("screen.status")
    screenshot(app, SCREENSHOTS / "app-checkin-synced.png")
    rows = await CheckIn.select(CheckIn.task, CheckIn.credit_code, CheckIn.latitude, CheckIn.late)
    assert rows == [
        {"task": task_id, "credit_code": world.credit_code(1), "latitude": None, "late": True}
    ]
    # A second check-in of the same task is not taken once the server holds one.
    app.type(world.credit_code(1), id="typed", replace=True)
    app.tap(id="typed_ok")
    assert "不能重复登记" in app.wait("screen.problem")
