"""Must show: a whole visit through the real app (Xvfb, real Kivy loop, taps and typed text)
against a real server on loopback, then what the server holds, field by field, byte by byte."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.mobile.app import flow
from tests.mobile.app.harness import AppProcess
from tests.mobile.app.photos_src import camera_jpeg
from tests.server.factories import PASSWORD
from tests.support.live_field import holdings

Start = Callable[..., AppProcess]
REPRESENTATIVE_STROKES = [
    [[0.1, 0.5], [0.2, 0.7], [0.3, 0.45], [0.4, 0.65]],
    [[0.5, 0.5], [0.6, 0.6], [0.7, 0.4]],
]
INSPECTOR_STROKES = [[[0.2, 0.3], [0.5, 0.6], [0.8, 0.35]]]


def file_sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.timeout(600)  # a whole visit through the UI: minutes, not seconds
async def test_visit_offline_submit_then_sync(
    live: dict[str, Any], start_app: Start, tmp_path: Path
) -> None:
    server = live["server"]
    task = live["task"]
    sources = [camera_jpeg(tmp_path / "camera" / f"IMG_000{n}.JPG", seed=n) for n in (1, 2, 3)]
    app = start_app(tmp_path / "tablet-a")

    # 1–2. Sign in, the tasks come down.
    flow.sign_in_and_download(app, server.url, "insp-UI1", PASSWORD)
    task_id = flow.open_task(app)
    assert task_id == task.task_id
    card = app.eval("screen.business")
    assert "统一社会信用代码" in card and "鸡冠区1号" in card
    assert app.eval("[r.code for r in of_type('ItemRow') if r.editable]") == ["UI-01"]
    assert app.eval("[r.code for r in of_type('ItemRow') if not r.editable]") == ["UH-01"]

    # The visit record, saved at each edit.
    app.tap(expr="with_text(app.t('now'))[0]")
    flow.choose_in_spinner(app, "method", app.eval("screen.methods[0]"))
    app.tap(expr="with_text(app.t('add_person'))[0]")
    app.type("王丽", expr="of_type('PersonRow')[0].ids.name")
    app.type("店长", expr="of_type('PersonRow')[0].ids.role")
    app.type("到店时正在营业，冷柜运转正常。", id="notes")
    visit = app.eval("field.visit(screen.task_id)")
    assert visit["people"] == [{"name": "王丽", "role": "店长", "id_number": ""}]
    assert visit["notes"] == "到店时正在营业，冷柜运转正常。" and visit["arrival"]

    # 3. Invalid answers first: each problem shows next to its field, nothing is recorded.
    flow.open_item(app, "UI-01")
    app.type("99", **flow.question_field("q2"))
    app.tap(id="finish")
    problems = app.eval("{q: b.problem for q, b in screen.boxes.items() if b.problem}")
    assert set(problems) == {"q1", "q2", "q3", "q5"}, problems
    assert "必须回答" in problems["q1"] and "超出范围" in problems["q2"]
    assert "至少需要2张照片" in problems["q5"]
    assert app.eval("screen.category_problem")
    assert app.eval("len(field.store.results())") == 0

    # Then valid ones; the conditional question appears when its condition holds.
    flow.tap_choice(app, "q1", "是")
    app.type("4.5", replace=True, **flow.question_field("q2"))
    assert app.eval("'q4' in screen.boxes") is False
    flow.tap_choice(app, "q3", "部分缺失")
    app.wait("'q4' in screen.boxes")
    app.type("张三、李四", **flow.question_field("q4"))

    # 4. Three photos: two for the kitchen question, one for the item.
    flow.attach_photo(app, "q5", sources[0])
    flow.attach_photo(app, "q5", sources[1])
    flow.attach_photo(app, None, sources[2])
    assert app.eval("screen.boxes['q5'].photo_count") == 2
    assert app.eval("screen.item_photo_count") == 1

    app.type("两名员工健康证过期。", id="findings")
    category = app.eval("[c for c in screen.categories if '责令' in c][0]")
    flow.choose_in_spinner(app, "category", category)
    app.tap(id="finish")
    assert "后续处置" in app.eval("screen.follow_up_problem")
    app.type("责令三日内补办健康证，届时复查。", id="follow_up")
    app.tap(id="finish")
    app.wait("screen.saved")
    assert app.eval("screen.summary") == ""
    [result_id] = app.eval("[r.result_id for r in field.store.results()]")

    # 5. Both signatures, drawn.
    app.tap(id="back")
    app.wait("manager.current == 'task'")
    signers = app.eval("[(s.key, s.role) for s in field.task_view(screen.task_id).signers]")
    roles = [role for _key, role in signers]
    assert roles[0] == "representative" and "inspector" in roles
    for key, role in signers:
        if role == "representative":
            flow.draw_signature(app, key, "王丽", REPRESENTATIVE_STROKES)
        else:
            flow.draw_signature(app, key, None, INSPECTOR_STROKES)

    # 6. Submit while the server is down: kept, shown as not sent.
    local_photos = {
        sha: file_sha256(path)
        for sha, path in app.eval(
            "[(p.sha256, str(field.store.photo_path(p.sha256))) for p in field.store.photos()]"
        )
    }
    assert all(sha == digest for sha, digest in local_photos.items())
    signed = app.eval(
        "[(s.key, s.name, s.sha256, [list(map(list, k)) for k in s.strokes])"
        " for s in field.signatures.signers(screen.task_id)]"
    )
    assert all(sha in local_photos for _k, _n, sha, _s in signed)  # PNGs filed like photos
    server.stop()
    app.tap(id="submit_button")
    app.wait("manager.current == 'submit' and screen.ready")
    app.tap(id="submit_now")
    app.wait("not app.syncing and app.last_report is not None and app.last_report.stopped")
    assert app.eval("app.unsent") > 0
    app.eval("app.show('sync')")
    assert "同步中止" in app.eval("screen.outcome")

    # 7. The server is back: 同步.
    server.start()
    app.tap(id="sync_now")
    app.wait("not app.syncing and app.last_report.complete", timeout=120)
    assert app.eval("app.unsent") == 0
    assert app.eval("screen.outcome") == "同步完成，全部已发送"

    held = await holdings([result_id], list(local_photos), task_id, live["work"] / "attachments")
    assert held.heads == {result_id: 1} and held.accepted_versions[result_id] == 1
    body = held.current_bodies[result_id]
    assert body["answers"] == {"q1": True, "q2": 4.5, "q3": "some", "q4": "张三、李四"}
    assert body["findings"] == "两名员工健康证过期。"
    assert category == "发现问题经责令已改正" and body["category"] == "E"
    assert body.get("follow_up") == "责令三日内补办健康证，届时复查。"
    by_question = sorted((p["question"] or "", p["sha256"]) for p in body["photos"])
    assert [q for q, _ in by_question] == ["", "q5", "q5"]
    assert held.photo_hashes == {sha: sha for sha in local_photos}
    assert held.submissions == 1

    # The visit record and its signatures: one version, as entered, strokes and PNGs exact.
    from server.field.tables import VisitVersion

    versions = await VisitVersion.select(VisitVersion.version, VisitVersion.body).where(
        VisitVersion.task == task_id
    )
    assert [v["version"] for v in versions] == [1]
    record = versions[0]["body"]
    record = json.loads(record) if isinstance(record, str) else record
    assert record["method"] == "on_site" and record["notes"] == "到店时正在营业，冷柜运转正常。"
    assert record["people"] == [{"name": "王丽", "role": "店长", "id_number": ""}]
    on_server = {s["signer"]: s for s in record["signatures"]}
    assert set(on_server) == {key for key, *_ in signed}
    for key, name, sha, strokes in signed:
        assert on_server[key]["sha256"] == sha and on_server[key]["name"] == name
        assert on_server[key]["strokes"] == strokes
    assert on_server["representative"]["name"] == "王丽"
    assert len(on_server["representative"]["strokes"]) == len(REPRESENTATIVE_STROKES)
