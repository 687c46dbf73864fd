"""Must show: the app SIGKILLed mid-form, mid-signature and mid-sync, then started again.
Nothing entered is lost; nothing reaches the server twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.mobile.app import flow
from tests.mobile.app.harness import AppProcess
from tests.mobile.app.photos_src import camera_jpeg
from tests.server.factories import PASSWORD
from tests.support.fault_proxy import FaultProxy, Message
from tests.support.live_field import holdings

Start = Callable[..., AppProcess]
STROKES = [
    [[0.1, 0.5], [0.2, 0.7], [0.3, 0.45]],
    [[0.5, 0.5], [0.6, 0.6], [0.7, 0.4], [0.75, 0.5]],
]


@pytest.mark.timeout(600)  # a whole visit through the UI: minutes, not seconds
async def test_killed_mid_form_keeps_every_answer(
    live: dict[str, Any], start_app: Start, tmp_path: Path
) -> None:
    device = tmp_path / "tablet-form"
    app = start_app(device)
    flow.sign_in_and_download(app, live["server"].url, "insp-UI1", PASSWORD)
    flow.open_task(app)
    app.type("现场检查中", id="notes")
    flow.open_item(app, "UI-01")
    flow.tap_choice(app, "q1", "否")
    app.type("6", **flow.question_field("q2"))
    flow.tap_choice(app, "q3", "部分缺失")
    app.wait("'q4' in screen.boxes")
    app.type("赵六", **flow.question_field("q4"))
    flow.attach_photo(app, "q5", camera_jpeg(tmp_path / "src" / "a.jpg", seed=7))
    app.type("冷柜温度偏", id="findings")  # the last keystrokes before the crash
    app.kill()

    again = start_app(device)
    assert again.eval("manager.current") == "tasks"  # still signed in after a crash
    flow.open_task(again)
    assert again.eval("screen.ids.notes.text") == "现场检查中"
    flow.open_item(again, "UI-01")
    assert again.eval("screen.ids.findings.text") == "冷柜温度偏"
    assert again.eval("screen.boxes['q4'].text_field.text") == "赵六"
    assert again.eval("screen.boxes['q2'].text_field.text") == "6"
    chosen = again.eval(
        "{q: [b.text for b in screen.boxes[q].ids.input.children if b.state == 'down']"
        " for q in ('q1', 'q3')}"
    )
    assert chosen == {"q1": ["否"], "q3": ["部分缺失"]}
    assert again.eval("screen.boxes['q5'].photo_count") == 1


@pytest.mark.timeout(600)  # a whole visit through the UI: minutes, not seconds
async def test_killed_mid_signature_keeps_the_strokes(
    live: dict[str, Any], start_app: Start, tmp_path: Path
) -> None:
    device = tmp_path / "tablet-sign"
    app = start_app(device)
    flow.sign_in_and_download(app, live["server"].url, "insp-UI1", PASSWORD)
    flow.open_task(app)
    key = app.eval("field.task_view(screen.task_id).signers[0].key")
    app.tap(expr=f"[r for r in of_type('SignerRow') if r.key == {key!r}][0].children[0]")
    app.wait("manager.current == 'signature'")
    app.type("钱七", id="signer_name")
    app.call("draw", target={"id": "pad"}, strokes=STROKES)
    drawn = app.eval("[list(map(list, s)) for s in screen.ids.pad.strokes]")
    app.kill()

    again = start_app(device)
    flow.open_task(again)
    again.tap(expr=f"[r for r in of_type('SignerRow') if r.key == {key!r}][0].children[0]")
    again.wait("manager.current == 'signature'")
    assert again.eval("screen.ids.signer_name.text") == "钱七"
    kept = again.eval("[list(map(list, s)) for s in screen.ids.pad.strokes]")
    assert len(kept) == len(STROKES)
    for before, after in zip(drawn, kept, strict=True):
        assert len(before) == len(after)
        for (x1, y1), (x2, y2) in zip(before, after, strict=True):
            assert abs(x1 - x2) < 1e-6 and abs(y1 - y2) < 1e-6
    # Rotation: the same strokes, redrawn at the new size, none lost.
    again.call("resize", size=[800, 1280])
    assert len(again.eval("screen.ids.pad.strokes")) == len(STROKES)


@pytest.mark.timeout(600)  # a whole visit through the UI: minutes, not seconds
async def test_killed_mid_sync_sends_nothing_twice(
    live: dict[str, Any], start_app: Start, tmp_path: Path
) -> None:
    server = live["server"]
    in_flight = threading.Event()
    release = threading.Event()

    def hold_first_result_put(message: Message) -> str:
        # The first item result write (a PUT, or a batch POST where the server offers
        # batches) is held while the app is killed, then delivered: the server commits
        # a write whose answer nobody receives.
        writes_result = (message.method == "PUT" and "/results/" in message.path) or (
            message.method == "POST" and message.path.rstrip("/").endswith("/results")
        )
        if writes_result and not in_flight.is_set():
            in_flight.set()
            release.wait(60)
        return "pass"

    proxy = FaultProxy(upstream_port=server.port, plan=hold_first_result_put).start()
    try:
        device = tmp_path / "tablet-sync"
        app = start_app(device)
        flow.sign_in_and_download(app, proxy.url, "insp-UI1", PASSWORD)
        flow.open_task(app)
        flow.open_item(app, "UI-01")
        flow.tap_choice(app, "q1", "是")
        app.type("3", **flow.question_field("q2"))
        flow.tap_choice(app, "q3", "齐全")
        for n in (1, 2):
            flow.attach_photo(app, "q5", camera_jpeg(tmp_path / "src" / f"s{n}.jpg", seed=20 + n))
        category = app.eval("screen.categories[0]")
        flow.choose_in_spinner(app, "category", category)
        app.tap(id="finish")
        app.wait("screen.saved")
        assert app.eval("screen.summary") == ""
        [result_id] = app.eval("[r.result_id for r in field.store.results()]")
        shas = app.eval("[p.sha256 for p in field.store.photos()]")
        app.eval("app.start_sync()")
        assert in_flight.wait(60), "the result was never sent"
        app.kill()
        release.set()

        again = start_app(device)
        again.wait("not app.syncing and app.last_report is not None", timeout=120)
        if not again.eval("app.last_report.complete"):
            again.eval("app.start_sync()")
            again.wait("not app.syncing and app.last_report.complete", timeout=120)
        assert again.eval("app.unsent") == 0
    finally:
        release.set()
        proxy.stop()

    held = await holdings([result_id], shas, live["task"].task_id, live["work"] / "attachments")
    assert held.head_rows[result_id] == 1 and held.accepted_versions[result_id] == 1
    assert held.conflicts == 0
    assert held.attachments == {sha: 1 for sha in shas}
    assert held.photo_hashes == {sha: sha for sha in shas}
