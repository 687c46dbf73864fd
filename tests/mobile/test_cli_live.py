"""`suicha-field login` and `suicha-field sync`, end to end against a live server process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from mobile.sync import RecordState, Store, SubmissionState
from tests.server.factories import PASSWORD
from tests.server.field import factory, photos
from tests.support.live_field import field_server, fresh_database, holdings
from tests.support.live_server import ServerProcess

CLI = [sys.executable, "-m", "mobile.cli"]


@pytest.fixture(scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, object]]:
    from tests.conftest import UNUSABLE_REASON

    if UNUSABLE_REASON:
        pytest.skip(UNUSABLE_REASON)
    await fresh_database()
    work = tmp_path_factory.mktemp("cli-live")
    task = await factory.field_task(
        team={"CLI1": "SCJG"}, items={"CLI-01": "SCJG", "CLI-02": "SCJG"}
    )
    other = await factory.field_task(team={"CLI1": "SCJG"}, items={"CLI-03": "SCJG"})
    server = field_server(work)
    server.start()
    try:
        yield {"server": server, "task": task, "other": other, "work": work}
    finally:
        server.stop()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


async def test_login_then_sync_sends_everything_and_reports(live: dict[str, object]) -> None:
    server: ServerProcess = live["server"]  # type: ignore[assignment]
    task: factory.FieldTask = live["task"]  # type: ignore[assignment]
    work: Path = live["work"]  # type: ignore[assignment]
    device = work / "tablet-1"

    refused = run(
        "login",
        "--data-dir",
        str(device),
        "--server",
        server.url,
        "--username",
        "insp-CLI1",
        "--password",
        "wrong",
        "--device-id",
        "t1",
    )
    assert refused.returncode == 1 and "auth.bad_credentials" in refused.stderr

    login = run(
        "login",
        "--data-dir",
        str(device),
        "--server",
        server.url,
        "--username",
        "insp-CLI1",
        "--password",
        PASSWORD,
        "--device-id",
        "t1",
    )
    assert login.returncode == 0, login.stderr

    first = run("sync", "--data-dir", str(device))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "tasks: 2 received" in first.stdout

    data = [photos.jpeg(200, seed=11), photos.png(120, seed=12)]
    with Store(device) as store:
        shots = [store.add_photo(d) for d in data]
        ids = [
            store.record_result(
                task.task_id, "CLI-01", answers={"q1": True}, category="1", photos=[shots[0].sha256]
            ),
            store.record_result(
                task.task_id,
                "CLI-02",
                answers={"q1": False, "q2": 4.5},
                category="B",
                findings="未亮照",
                photos=[shots[1].sha256],
            ),
        ]
        store.request_submission(task.task_id)

    second = run("sync", "--data-dir", str(device), "--chunk-kib", "64")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "[photos" in second.stdout and "100.0%" in second.stdout
    assert "results acknowledged: 2" in second.stdout and "submissions: 1" in second.stdout
    assert "完成 OK" in second.stdout

    held = await holdings(ids, [s.sha256 for s in shots], task.task_id, work / "attachments")
    assert held.heads == {ids[0]: 1, ids[1]: 1}
    assert held.photo_hashes == {s.sha256: s.sha256 for s in shots}
    assert held.submissions == 1
    with Store(device) as store:
        assert {r.state for r in store.results()} == {RecordState.ACKNOWLEDGED}
        assert store.task(task.task_id).submission is SubmissionState.SUBMITTED  # type: ignore[union-attr]
        assert not any(p.local_copy for p in store.photos())  # freed only after all that

    status = run("status", "--data-dir", str(device))
    assert status.returncode == 0, status.stderr
    assert "服务器已确认" in status.stdout and "已提交" in status.stdout


async def test_sync_exits_non_zero_with_the_servers_reason(live: dict[str, object]) -> None:
    server: ServerProcess = live["server"]  # type: ignore[assignment]
    other: factory.FieldTask = live["other"]  # type: ignore[assignment]
    work: Path = live["work"]  # type: ignore[assignment]
    device = work / "tablet-2"
    assert (
        run(
            "login",
            "--data-dir",
            str(device),
            "--server",
            server.url,
            "--username",
            "insp-CLI1",
            "--password",
            PASSWORD,
            "--device-id",
            "t2",
        ).returncode
        == 0
    )
    assert run("sync", "--data-dir", str(device)).returncode == 0
    with Store(device) as store:
        result_id = store.record_result(
            other.task_id, "CLI-03", answers={"q1": True}, category="1", findings="离线记录"
        )
    await factory.take_off(other, "CLI1")  # taken off while the tablet was offline

    outcome = run("sync", "--data-dir", str(device))
    assert outcome.returncode == 1
    assert "field.not_on_task" in outcome.stdout and "NOT OK" in outcome.stdout
    with Store(device) as store:
        assert store.task(other.task_id).removed  # type: ignore[union-attr]
        result = store.results(other.task_id)[0]
        assert result.state is RecordState.REFUSED
        assert store.result_body(result_id)["findings"] == "离线记录"


def test_sync_without_login_says_so(tmp_path: Path) -> None:
    outcome = run("sync", "--data-dir", str(tmp_path))
    assert outcome.returncode == 1 and "login" in outcome.stderr
