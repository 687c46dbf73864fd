"""The services end to end: a form, photos, the visit record and both signatures go through
the real sync engine to a live server, byte for byte, once."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from mobile import signin
from mobile.forms import FormService
from mobile.signatures import REPRESENTATIVE, SignatureService, inspector_key
from mobile.sync import HttpTransport, RecordState, RetryPolicy, Store, SubmissionState, SyncEngine
from mobile.visits import VisitService, outbox
from mobile.visits.submission import request_submission
from tests.mobile.services.device import picture
from tests.server.factories import PASSWORD
from tests.server.field import factory
from tests.support.live_field import field_server, fresh_database, holdings


@pytest.fixture(scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, object]]:
    from tests.conftest import UNUSABLE_REASON

    if UNUSABLE_REASON:
        pytest.skip(UNUSABLE_REASON)
    await fresh_database()
    work = tmp_path_factory.mktemp("services-live")
    task = await factory.field_task(team={"SV1": "SCJG"}, items={"SV-01": "SCJG"})
    server = field_server(work)
    server.start()
    try:
        yield {"server": server, "task": task, "work": work}
    finally:
        server.stop()


def sync(store: Store, url: str) -> object:
    engine = SyncEngine(store, HttpTransport(url), retry=RetryPolicy(attempts=2, base_delay=0.01))
    return engine.run()


async def test_visit_with_signatures_reaches_the_server_once(live: dict[str, object]) -> None:
    from server.field.storage import build_storage
    from server.field.tables import Attachment, TaskSubmission, VisitVersion
    from server.settings import AttachmentSettings

    server = live["server"]
    task: factory.FieldTask = live["task"]  # type: ignore[assignment]
    work: Path = live["work"]  # type: ignore[assignment]
    url = server.url  # type: ignore[attr-defined]

    def on_the_tablet() -> tuple[dict[str, Any], dict[str, bytes], str]:
        """What the inspector does, and the engine's passes (blocking, like the app's worker)."""
        with Store(work / "tablet") as store:
            assert signin.sign_in(store, url, "insp-SV1", PASSWORD).ok
            first = sync(store, url)
            assert first.tasks_received == 1  # type: ignore[attr-defined]
            package = store.task(task.task_id).package  # type: ignore[union-attr]
            assert package["my_badge"] == "SV1" and package["items"][0]["template_version"] == 1

            forms = FormService(store)
            forms.set_answer(task.task_id, "SV-01", "q1", True)
            shot = forms.add_photo(task.task_id, "SV-01", picture(work / "p.jpg"), "q3")
            forms.set_category(task.task_id, "SV-01", "1")
            assert forms.finish(task.task_id, "SV-01") == []
            VisitService(store).update(
                task.task_id,
                arrival="2026-11-30 09:30",
                method="on_site",
                notes="负责人在场",
                people=[{"name": "王五", "role": "店长", "id_number": ""}],
            )
            signatures = SignatureService(store)
            signatures.set_signer_name(task.task_id, REPRESENTATIVE, "王五")
            for n, key in enumerate((REPRESENTATIVE, inspector_key("SV1"))):
                signatures.append_stroke(task.task_id, key, [(0.1, 0.2 + n / 10), (0.7, 0.8)])
                signatures.append_stroke(task.task_id, key, [(0.2, 0.6), (0.9, 0.1)])
                signatures.finish_signature(task.task_id, key, width=900, height=400)
            assert request_submission(store, task.task_id) == []

            report = sync(store, url)
            assert report.visits_acknowledged == 1 and report.submissions == 1, report  # type: ignore[attr-defined]
            assert store.task(task.task_id).submission is SubmissionState.SUBMITTED  # type: ignore[union-attr]
            assert outbox.visit_state(store, task.task_id) == (RecordState.ACKNOWLEDGED, None)
            local = {s.key: s for s in signatures.signers(task.task_id)}
            local_png = {
                s.key: store.photo_path(s.sha256 or "").read_bytes() for s in local.values()
            }
            again = sync(store, url)
            assert again.visits_acknowledged == 0 and again.submissions == 0  # type: ignore[attr-defined]

            return local, local_png, shot.sha256

    local, local_png, shot_sha = await asyncio.to_thread(on_the_tablet)
    (version,) = await VisitVersion.select()
    body = version["body"] if isinstance(version["body"], dict) else json.loads(version["body"])
    assert body["method"] == "on_site" and body["people"][0]["name"] == "王五"
    by_signer = {s["signer"]: s for s in body["signatures"]}
    assert set(by_signer) == {REPRESENTATIVE, inspector_key("SV1")}
    for key, signed in by_signer.items():
        assert signed["sha256"] == local[key].sha256
        assert signed["strokes"] == [[list(p) for p in s] for s in local[key].strokes]
    storage = build_storage(AttachmentSettings(directory=work / "attachments"))
    for key, signed in by_signer.items():
        data = await storage.read(signed["sha256"])
        assert data == local_png[key]  # byte for byte
        assert hashlib.sha256(data).hexdigest() == signed["sha256"] == signed["sha256"]
        assert signed["size"] == len(data) and data.startswith(b"\x89PNG")
    assert await Attachment.count().where(Attachment.media_type == "image/png") == 2
    assert await TaskSubmission.count().where(TaskSubmission.task == task.task_id) == 1
    held = await holdings(
        [r.result_id for r in Store(work / "tablet").results()],
        [shot_sha],
        task.task_id,
        work / "attachments",
    )
    (body,) = held.current_bodies.values()
    assert body["template_version"] == 1 and body["photos"][0]["question"] == "q3"
    assert held.photo_hashes == {shot_sha: shot_sha}
