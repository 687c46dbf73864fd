"""The sync engine against an in-memory server (httpx MockTransport): no network."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import httpx
import pytest

from mobile.sync import (
    HttpTransport,
    Progress,
    RecordState,
    RetryPolicy,
    Store,
    SubmissionState,
    SyncEngine,
)
from mobile.sync.session import login
from tests.support.fake_field_server import FakeFieldServer, error, task_package


def jpeg_bytes(size: int, seed: int = 0) -> bytes:
    """Bytes that start like a JPEG (all the fake server and the store look at)."""
    return b"\xff\xd8\xff\xe0" + random.Random(seed).randbytes(size - 4)


class Harness:
    def __init__(self, tmp_path: Path, **engine_options: object) -> None:
        self.server = FakeFieldServer()
        self.server.tasks[1] = task_package(1, ["ITEM-A", "ITEM-B"])
        self.store = Store(tmp_path / "device")
        self.transport = HttpTransport("http://fake", http=self.server.transport())
        self.delays: list[float] = []
        self.progress: list[Progress] = []

        async def no_sleep(seconds: float) -> None:
            self.delays.append(seconds)

        options: dict[str, object] = {
            "retry": RetryPolicy(attempts=4, base_delay=0.5, max_delay=3.0),
            "chunk_size": 64 * 1024,
            "progress": self.progress.append,
            "sleep": no_sleep,
            "rng": random.Random(7),
        }
        options.update(engine_options)
        self.engine = SyncEngine(self.store, self.transport, **options)  # type: ignore[arg-type]

    async def login(self) -> None:
        reply = await login(
            self.store, self.transport, username="u", password="p", device_id="device-1"
        )
        assert reply.ok
        # The first pass pulls the task packages the results below need.
        assert (await self.engine.sync_once()).tasks_received == 1

    def record(self, item: str = "ITEM-A", photos: list[str] | None = None, **kw: object) -> str:
        return self.store.record_result(
            1,
            item,
            answers={"q1": True},
            category="1",
            photos=photos or [],
            **kw,  # type: ignore[arg-type]
        )


@pytest.fixture
async def harness(tmp_path: Path) -> Harness:
    h = Harness(tmp_path)
    await h.login()
    return h


def state_of(h: Harness, result_id: str) -> RecordState:
    return next(r.state for r in h.store.results() if r.result_id == result_id)


# -- backoff -------------------------------------------------------------------------


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(attempts=10, base_delay=0.5, max_delay=8.0)
    rng = random.Random(1)
    for attempt in range(10):
        ceiling = min(8.0, 0.5 * 2**attempt)
        delays = {policy.delay(attempt, rng) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered, not in lockstep


async def test_server_errors_are_retried_with_backoff_then_acknowledged(harness: Harness) -> None:
    result_id = harness.record()
    harness.server.fail("PUT", "/results/", "status", status=503, times=2)
    report = await harness.engine.sync_once()
    assert report.complete
    assert state_of(harness, result_id) is RecordState.ACKNOWLEDGED
    assert len(harness.server.calls("PUT", "/results/")) == 3
    assert len(harness.delays) == 2
    assert 0.25 <= harness.delays[0] <= 0.5 and 0.5 <= harness.delays[1] <= 1.0


async def test_exhausted_retries_stop_the_pass_and_keep_the_version_in_flight(
    harness: Harness,
) -> None:
    first = harness.record("ITEM-A")
    second = harness.record("ITEM-B")
    # The server stores the first PUT but its answer is lost, then the network is gone
    # (the probe after the record's last retry gets no answer either).
    harness.server.fail("PUT", "/results/", "lost")
    harness.server.fail("PUT", "/results/", "network", times=3)
    harness.server.fail("GET", "/auth/me", "network")
    report = await harness.engine.sync_once()
    assert not report.ok and report.stopped is not None
    assert report.stopped.code == "network"
    assert state_of(harness, first) is RecordState.FAILED_RETRYING
    assert state_of(harness, second) is RecordState.QUEUED  # not tried: the pass stopped
    assert len(harness.delays) == 3  # bounded: attempts - 1 waits

    # Meanwhile the inspector edits the first result; the lost version goes first.
    harness.record("ITEM-A", result_id=first, findings="补充说明")
    report = await harness.engine.sync_once()
    assert report.complete
    held = harness.server.results[first]
    assert held["version"] == 2 and "补充说明" in held["body"]
    assert harness.server.conflicts == []
    bases = [json.loads(r.content)["base_version"] for r in harness.server.calls("PUT", first)]
    assert bases == [0, 0, 0, 0, 0, 1]  # 4 tries of v0, its replay (unchanged), then v1 on it


async def test_one_stuck_record_does_not_stop_the_others(harness: Harness) -> None:
    stuck = harness.record("ITEM-A")
    other = harness.record("ITEM-B")
    harness.server.fail("PUT", stuck, "network", times=4)  # every try of this pass
    report = await harness.engine.sync_once()
    assert report.stopped is None  # the server still answers: only that record is stuck
    assert state_of(harness, stuck) is RecordState.FAILED_RETRYING
    assert state_of(harness, other) is RecordState.ACKNOWLEDGED
    assert [(f.key, f.code) for f in report.failures] == [(stuck, "network")]
    assert (await harness.engine.sync_once()).complete
    assert state_of(harness, stuck) is RecordState.ACKNOWLEDGED


# -- states ------------------------------------------------------------------------------


async def test_states_go_queued_sending_acknowledged(harness: Harness) -> None:
    result_id = harness.record()
    seen: list[RecordState] = []
    original = harness.server.handle

    def observe(request):  # type: ignore[no-untyped-def]
        if request.method == "PUT":
            seen.append(state_of(harness, result_id))
        return original(request)

    harness.transport._client = None
    harness.transport.http = httpx.MockTransport(observe)
    assert state_of(harness, result_id) is RecordState.QUEUED
    await harness.engine.sync_once()
    assert seen == [RecordState.SENDING]
    assert state_of(harness, result_id) is RecordState.ACKNOWLEDGED


async def test_an_edit_while_in_flight_is_sent_on_top_of_the_acknowledged_version(
    harness: Harness,
) -> None:
    result_id = harness.record(findings="v1")
    original = harness.server.handle
    edited = False

    def edit_during_put(request):  # type: ignore[no-untyped-def]
        nonlocal edited
        if request.method == "PUT" and not edited:
            edited = True
            harness.record(result_id=result_id, findings="v2")
        return original(request)

    harness.transport._client = None
    harness.transport.http = httpx.MockTransport(edit_during_put)
    report = await harness.engine.sync_once()
    assert report.complete
    assert harness.server.results[result_id]["version"] == 2
    assert '"findings":"v2"' in harness.server.results[result_id]["body"]
    status = harness.store.results()[0]
    assert status.state is RecordState.ACKNOWLEDGED and status.server_version == 2


async def test_conflict_is_kept_and_not_retried_blindly(harness: Harness) -> None:
    result_id = harness.record(findings="mine")
    harness.server.results[result_id] = {"version": 3, "body": "{}", "task_id": 1}
    report = await harness.engine.sync_once()
    assert state_of(harness, result_id) is RecordState.CONFLICT
    assert [f.code for f in report.failures] == ["sync.conflict"]
    assert harness.store.result_body(result_id)["findings"] == "mine"
    assert harness.store.result_conflict(result_id)["reason"] == "stale_base"  # type: ignore[index]
    await harness.engine.sync_once()
    assert len(harness.server.calls("PUT", result_id)) == 1

    # The inspector settles it by editing: the new version is based on the server's.
    harness.record(result_id=result_id, findings="mine, after review")
    assert (await harness.engine.sync_once()).complete
    put = json.loads(harness.server.calls("PUT", result_id)[-1].content)
    assert put["base_version"] == 3 and harness.server.results[result_id]["version"] == 4


@pytest.mark.parametrize(
    ("status", "code"),
    [(403, "field.not_on_task"), (403, "field.wrong_department"), (422, "request.invalid")],
)
async def test_refusals_keep_the_data_and_show_the_reason(
    harness: Harness, status: int, code: str
) -> None:
    result_id = harness.record(findings="现场记录")
    harness.server.refusals["/results/"] = error(status, code)
    report = await harness.engine.sync_once()
    result = harness.store.results()[0]
    assert result.state is RecordState.REFUSED
    assert result.problem is not None and result.problem.code == code
    assert result.problem.zh == f"错误{code}" and result.problem.en == f"error {code}"
    assert harness.store.result_body(result_id)["findings"] == "现场记录"
    assert not report.ok and report.failures[0].code == code
    await harness.engine.sync_once()  # a refusal is not retried by itself
    assert len(harness.server.calls("PUT")) == 1
    harness.server.refusals.clear()
    harness.store.requeue(result_id)
    assert (await harness.engine.sync_once()).complete


async def test_expired_token_is_refreshed_once(harness: Harness) -> None:
    result_id = harness.record()
    harness.server.access_token = "rotated-by-server"  # the device's token is now invalid
    harness.server.refresh_token = "refresh-1"
    report = await harness.engine.sync_once()
    assert report.complete
    assert state_of(harness, result_id) is RecordState.ACKNOWLEDGED
    assert harness.store.get_meta("refresh_token") == harness.server.refresh_token
    assert len(harness.server.calls("POST", "/auth/refresh")) == 1


async def test_refused_refresh_stops_with_a_clear_state(harness: Harness) -> None:
    result_id = harness.record()
    harness.server.access_token = "other"
    harness.server.refresh_token = "other"
    report = await harness.engine.sync_once()
    assert report.stopped is not None and report.stopped.code == "auth.refresh_invalid"
    assert state_of(harness, result_id) is RecordState.QUEUED
    assert len(harness.server.calls("POST", "/auth/refresh")) == 1


async def test_revoked_device_stops_without_refresh(harness: Harness) -> None:
    harness.record()
    harness.server.revoked = True
    report = await harness.engine.sync_once()
    assert report.stopped is not None and report.stopped.code == "auth.device_revoked"
    assert report.stopped.zh and report.stopped.en
    assert harness.server.calls("POST", "/auth/refresh") == []
    assert harness.store.results()[0].state is RecordState.QUEUED


async def test_not_logged_in_is_a_clear_stop(tmp_path: Path) -> None:
    h = Harness(tmp_path)
    report = await h.engine.sync_once()
    assert report.stopped is not None and report.stopped.code == "device.not_logged_in"
    assert h.server.requests == []


# -- tasks -----------------------------------------------------------------------------


async def test_removed_task_keeps_its_unsent_results_and_shows_the_refusal(
    harness: Harness,
) -> None:
    result_id = harness.record(findings="离线记录")
    harness.server.removed.append(1)
    harness.server.refusals["/field/tasks/1/"] = error(403, "field.not_on_task")
    report = await harness.engine.sync_once()
    assert harness.store.task(1).removed  # type: ignore[union-attr]
    assert harness.store.result_body(result_id)["findings"] == "离线记录"
    assert report.failures[0].code == "field.not_on_task"


async def test_cursor_is_kept_between_passes(harness: Harness) -> None:
    assert harness.store.cursor == "1"
    harness.server.tasks[2] = task_package(2, ["ITEM-C"], version=2)
    report = await harness.engine.sync_once()
    assert report.tasks_received == 1
    assert harness.server.calls("GET")[-1].url.params["since"] == "1"
    assert harness.store.cursor == "2"


# -- photos ------------------------------------------------------------------------------


async def test_upload_resumes_from_the_servers_offset(harness: Harness) -> None:
    data = jpeg_bytes(300_000, seed=1)
    photo = harness.store.add_photo(data)
    harness.record(photos=[photo.sha256])
    harness.server.uploads[photo.sha256] = bytearray(data[:100_000])
    report = await harness.engine.sync_once()
    assert report.complete
    patches = harness.server.calls("PATCH", photo.sha256)
    assert patches[0].headers["Upload-Offset"] == "100000"
    assert sum(len(p.content) for p in patches) == 200_000
    assert hashlib.sha256(harness.server.uploads[photo.sha256]).hexdigest() == photo.sha256


async def test_lost_patch_answer_continues_from_the_server_offset(harness: Harness) -> None:
    data = jpeg_bytes(200_000, seed=2)
    photo = harness.store.add_photo(data)
    harness.record(photos=[photo.sha256])
    harness.server.fail("PATCH", photo.sha256, "lost")
    report = await harness.engine.sync_once()
    assert report.complete
    assert harness.server.uploads[photo.sha256] == data
    offsets = [int(p.headers["Upload-Offset"]) for p in harness.server.calls("PATCH")]
    assert offsets[:2] == [0, 0]  # the retry of the lost chunk, answered 409 with the offset
    assert offsets[2] == 65536


async def test_cut_connection_before_head_is_retried(harness: Harness) -> None:
    photo = harness.store.add_photo(jpeg_bytes(10_000, seed=3))
    harness.server.fail("HEAD", photo.sha256, "network", times=2)
    assert (await harness.engine.sync_once()).complete
    assert photo.sha256 in harness.server.complete


async def test_hash_mismatch_is_a_refusal_and_the_photo_is_kept(harness: Harness) -> None:
    photo = harness.store.add_photo(jpeg_bytes(5000, seed=4))
    photo.path.write_bytes(jpeg_bytes(5000, seed=5))  # the file changed under the app
    report = await harness.engine.sync_once()
    status = harness.store.photos()[0]
    assert status.state is RecordState.REFUSED and status.local_copy
    assert report.failures[0].code == "attachment.hash_mismatch"
    assert photo.path.exists()


async def test_a_busy_upload_waits_for_the_next_pass_and_the_rest_goes_through(
    harness: Harness,
) -> None:
    held = harness.store.add_photo(jpeg_bytes(90_000, seed=11))
    free = harness.store.add_photo(jpeg_bytes(90_000, seed=12))
    first = harness.record("ITEM-A", photos=[held.sha256])
    second = harness.record("ITEM-B", photos=[free.sha256])
    harness.store.request_submission(1)
    # A dead request of this device still holds the upload on the server.
    harness.server.fail(
        "PATCH",
        held.sha256,
        "status",
        status=409,
        code="attachment.offset_mismatch",
        extra={"busy": True, "upload_offset": 0},
        times=99,
    )
    report = await harness.engine.sync_once()
    assert report.stopped is None
    photos = {p.sha256: p for p in harness.store.photos()}
    assert photos[held.sha256].state is RecordState.FAILED_RETRYING
    assert photos[held.sha256].problem is not None
    assert photos[held.sha256].problem.code == "device.upload_busy"
    assert photos[free.sha256].state is RecordState.ACKNOWLEDGED
    assert {state_of(harness, first), state_of(harness, second)} == {RecordState.ACKNOWLEDGED}
    assert len(harness.server.calls("PATCH", held.sha256)) == 4  # bounded: the retry attempts
    assert [f.code for f in report.failures] == ["device.upload_busy"]
    # The task waits for its photo; once the server lets go, the next pass finishes.
    assert harness.store.task(1).submission is SubmissionState.WAITING  # type: ignore[union-attr]
    harness.server.faults.clear()
    assert (await harness.engine.sync_once()).complete
    assert harness.store.task(1).submission is SubmissionState.SUBMITTED  # type: ignore[union-attr]


async def test_a_spoiled_upload_is_sent_again_from_zero_within_bounds(harness: Harness) -> None:
    data = jpeg_bytes(150_000, seed=13)
    photo = harness.store.add_photo(data)
    harness.record(photos=[photo.sha256])
    # The server discards what it held once (spoiled on the way): sent again from 0.
    harness.server.fail(
        "PATCH", photo.sha256, "status", status=422, code="attachment.hash_mismatch"
    )
    assert (await harness.engine.sync_once()).complete
    offsets = [int(p.headers["Upload-Offset"]) for p in harness.server.calls("PATCH")]
    assert offsets == [0, 0, 65536, 131072]
    assert harness.server.uploads[photo.sha256] == data


async def test_a_photo_refused_again_and_again_stops_then_is_requeued(harness: Harness) -> None:
    photo = harness.store.add_photo(jpeg_bytes(20_000, seed=14))
    harness.record(photos=[photo.sha256])
    harness.server.fail(
        "PATCH", photo.sha256, "status", status=422, code="attachment.hash_mismatch", times=99
    )
    report = await harness.engine.sync_once()
    assert len(harness.server.calls("PATCH", photo.sha256)) == 3  # first try + 2 restarts
    status = harness.store.photos()[0]
    assert status.state is RecordState.REFUSED and status.local_copy
    assert report.failures[0].code == "attachment.hash_mismatch"
    # Not sent again by itself; requeued (the cause fixed), it goes from byte 0.
    await harness.engine.sync_once()
    assert len(harness.server.calls("PATCH", photo.sha256)) == 3
    harness.server.faults.clear()
    harness.store.requeue(photo.sha256)
    assert harness.store.photos()[0].state is RecordState.QUEUED
    assert harness.store.photos()[0].server_offset == 0
    assert (await harness.engine.sync_once()).complete
    assert harness.store.photos()[0].state is RecordState.ACKNOWLEDGED


async def test_a_full_upload_quota_defers_the_photo(harness: Harness) -> None:
    photo = harness.store.add_photo(jpeg_bytes(20_000, seed=15))
    other = harness.store.add_photo(jpeg_bytes(20_000, seed=16))
    harness.record(photos=[photo.sha256, other.sha256])
    harness.server.fail(
        "PATCH", photo.sha256, "status", status=413, code="attachment.quota_exceeded"
    )
    report = await harness.engine.sync_once()
    states = {p.sha256: p.state for p in harness.store.photos()}
    assert states == {
        photo.sha256: RecordState.FAILED_RETRYING,  # not refused: it goes next pass
        other.sha256: RecordState.ACKNOWLEDGED,
    }
    assert report.stopped is None
    assert (await harness.engine.sync_once()).complete


def test_a_photo_is_stored_under_its_hash_and_must_be_jpeg_or_png(tmp_path: Path) -> None:
    from shared.errors import SuichaError

    store = Store(tmp_path)
    data = jpeg_bytes(1000)
    photo = store.add_photo(data)
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.path.read_bytes() == data and photo.media_type == "image/jpeg"
    assert store.add_photo(data) == photo
    with pytest.raises(SuichaError) as refused:
        store.add_photo(b"GIF89a....")
    assert refused.value.code == "device.photo_media_type"


async def test_progress_reports_records_and_bytes_to_completion(harness: Harness) -> None:
    photos = [harness.store.add_photo(jpeg_bytes(150_000, seed=s)) for s in (6, 7)]
    harness.record("ITEM-A", photos=[photos[0].sha256])
    harness.record("ITEM-B", photos=[photos[1].sha256])
    harness.store.request_submission(1)
    harness.progress.clear()
    await harness.engine.sync_once()
    final = harness.progress[-1]
    assert final.phase == "done"
    assert final.bytes_total == 300_000 and final.bytes_done == 300_000
    assert final.records_total == 3 and final.records_done == 3
    assert final.fraction == 1.0
    byte_steps = [p.bytes_done for p in harness.progress]
    assert byte_steps == sorted(byte_steps) and len(set(byte_steps)) > 4
    phases = [p.phase for p in harness.progress]
    assert phases.index("photos") < phases.index("results") < phases.index("submissions")


# -- submission and freeing space ---------------------------------------------------------


async def test_submission_waits_for_every_record_then_frees_photos(harness: Harness) -> None:
    photo = harness.store.add_photo(jpeg_bytes(80_000, seed=8))
    deleted: list[tuple[str, str]] = []
    harness.store.deletion_listeners.append(lambda kind, key, _: deleted.append((kind, key)))
    harness.record("ITEM-A", photos=[photo.sha256])
    harness.record("ITEM-B")
    harness.store.request_submission(1, "2026-05-01T09:30:00+08:00")
    harness.server.fail("PUT", "/results/", "network", times=4)  # ITEM-A cannot go yet
    await harness.engine.sync_once()
    assert harness.server.calls("POST", "/submit") == []
    assert photo.path.exists() and deleted == []

    report = await harness.engine.sync_once()
    assert report.complete and report.submissions == 1
    assert harness.store.task(1).submission is SubmissionState.SUBMITTED  # type: ignore[union-attr]
    body = json.loads(harness.server.calls("POST", "/submit")[0].content)
    assert body["completed_at"].startswith("2026-05-01T09:30:00")
    assert deleted == [("photo", photo.sha256)] and not photo.path.exists()
    assert harness.store.deletions()[0]["key"] == photo.sha256


async def test_incomplete_submission_lists_what_is_missing(harness: Harness) -> None:
    harness.record("ITEM-A")
    harness.store.request_submission(1)
    report = await harness.engine.sync_once()
    task = harness.store.task(1)
    assert task is not None and task.submission is SubmissionState.INCOMPLETE
    assert task.missing == [{"kind": "result", "item": "ITEM-B"}]
    assert report.failures[0].code == "submission.incomplete"


async def test_photos_of_an_unsubmitted_task_are_never_deleted(harness: Harness) -> None:
    photo = harness.store.add_photo(jpeg_bytes(1000, seed=9))
    harness.record(photos=[photo.sha256])
    assert (await harness.engine.sync_once()).complete
    assert harness.store.photos()[0].state is RecordState.ACKNOWLEDGED
    assert photo.path.exists() and harness.store.deletions() == []


def test_the_store_survives_reopening(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        store.save_task_packages([task_package(1, ["ITEM-A"])], [], "5")
        result_id = store.record_result(1, "ITEM-A", answers={}, category="1")
    with Store(tmp_path) as store:
        assert store.cursor == "5"
        assert store.results()[0].result_id == result_id
    assert (tmp_path / "field.db").exists()


def test_blocking_run_works_pass_after_pass(tmp_path: Path) -> None:
    """What a worker thread of the app does: each `run()` has its own event loop."""
    h = Harness(tmp_path)
    h.store.set_meta(
        {
            "server": "http://fake",
            "device_id": "device-1",
            "access_token": "access-1",
            "refresh_token": "refresh-1",
        }
    )
    assert h.engine.run().tasks_received == 1
    h.record()
    assert h.engine.run().results_acknowledged == 1


async def test_a_conflict_does_not_block_submission_but_keeps_its_photo(harness: Harness) -> None:
    photo = harness.store.add_photo(jpeg_bytes(2000, seed=10))
    mine = harness.record("ITEM-A", photos=[photo.sha256], findings="mine")
    harness.record("ITEM-B")
    other_body = json.dumps({"item": "ITEM-A", "photos": []})
    harness.server.results[mine] = {"version": 2, "body": other_body, "task_id": 1}
    harness.store.request_submission(1)
    report = await harness.engine.sync_once()
    assert harness.store.task(1).submission is SubmissionState.SUBMITTED  # type: ignore[union-attr]
    assert [f.code for f in report.failures] == ["sync.conflict"]  # still shown
    assert photo.path.exists() and harness.store.deletions() == []
