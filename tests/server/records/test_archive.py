"""`suicha archive` and `verify-archive` over a real drawn plan, on the engine under test."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.records.archive import plan_archive, task_archive
from server.settings import get_settings
from shared.archive import AUDIT_FILE, MANIFEST, verify_archive
from tests.server.records.world import inspected_demo_task


@pytest.fixture
def photo_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "attachments"
    monkeypatch.setenv("SUICHA_ATTACHMENT_DIR", str(directory))
    monkeypatch.setenv("SUICHA_ATTACHMENT_BACKEND", "filesystem")
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None], add: dict[str, bytes]):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    new.writestr(info.filename, change[info.filename])  # type: ignore[arg-type]
                continue
            new.writestr(info, old.read(info.filename))
        for name, data in add.items():
            new.writestr(name, data)


def _verify_cli(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "verify-archive", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_task_and_plan_archives_round_trip_and_catch_each_alteration_by_name(
    client: httpx.AsyncClient, photo_store: Path, tmp_path: Path
) -> None:
    world = await inspected_demo_task(client)
    archive = tmp_path / "task.zip"
    manifest = await task_archive(world.task_id, archive)
    assert verify_archive(archive) == []
    assert _verify_cli(archive).returncode == 0

    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        # The draw record is the very bytes the public endpoint serves.
        public = await client.get(f"/api/v1/public/draws/{world.draw_id}")
        assert z.read(f"draws/{world.draw_id}.json") == public.content
        # Photos and signatures exactly as received.
        for digest, data in world.photos.items():
            suffix = "png" if digest in world.signatures else "jpg"
            assert z.read(f"photos/{digest}.{suffix}") == data
        visit = json.loads(z.read(f"tasks/{world.task_id}/visit.json"))
        assert visit[0]["body"]["notes"].startswith("企业负责人在场")
        assert z.read(f"tasks/{world.task_id}/inspection-record.pdf").startswith(b"%PDF")
        results = json.loads(z.read(f"tasks/{world.task_id}/results.json"))
        assert [v["result_uuid"] for v in results["versions"]] == [world.result_id]
        audit = json.loads(z.read(AUDIT_FILE))
        covered = {(e["entity"], e["entity_id"]) for e in audit}
        assert ("plan", world.plan_code) in covered
        assert ("draw", world.draw_id) in covered
        assert ("item_result", world.result_id) in covered
        assert {("attachment", d) for d in world.photos} <= covered
        assert z.read("draw-record.pdf").startswith(b"%PDF")
    assert {f["path"] for f in manifest["files"]} | {MANIFEST} == names

    photo = f"photos/{next(iter(world.photos))}.jpg"  # the first is a JPEG photo
    with zipfile.ZipFile(archive) as z:
        altered_bytes = bytearray(z.read(photo))
    altered_bytes[len(altered_bytes) // 2] ^= 0xFF
    cases = {
        "altered": ({photo: bytes(altered_bytes)}, {}, photo, "archive.altered_file"),
        "dropped": ({"plan.json": None}, {}, "plan.json", "archive.missing_file"),
        "extra": (
            {},
            {"photos/extra.jpg": b"\xff\xd8\xff"},
            "photos/extra.jpg",
            "archive.extra_file",
        ),
    }
    for label, (change, add, path, code) in cases.items():
        spoiled = tmp_path / f"{label}.zip"
        _rewrite(archive, spoiled, change, add)
        assert [(p.path, p.code) for p in verify_archive(spoiled)] == [(path, code)], label
        outcome = _verify_cli(spoiled)
        assert outcome.returncode == 1 and path in outcome.stdout, label

    # The whole plan: every task of the draw, with progress reported.
    steps: list[tuple[int, int]] = []
    whole = tmp_path / "plan.zip"
    await plan_archive(world.plan_code, whole, lambda done, total: steps.append((done, total)))
    assert verify_archive(whole) == []
    total = steps[-1][1]
    assert steps[-1] == (total, total) and total > 1
    with zipfile.ZipFile(whole) as z:
        task_files = {n for n in z.namelist() if n.endswith("/task.json")}
        published = [n for n in z.namelist() if n.endswith("/publication.json")]
        reviewed = [n for n in z.namelist() if n.endswith("/review.json")]
    assert len(task_files) == total
    assert published and reviewed  # the demo's cycle published and reviewed some tasks
