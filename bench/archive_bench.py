"""Benchmark: the archive (一次一档) of a plan with 1,000 tasks and 5,000 photos.

Setup (not timed): a fresh SQLite database in a temporary data folder, the
demo dataset with its drawn plan, then 1,000 tasks on that draw, each with one
item result referring to 5 photos, and 5,000 distinct photos of `--photo-kib`
KiB in the filesystem photo store (as the sync endpoint leaves them).

Timed, in the same run:
- **baseline**: a bare `zipfile` of the same 5,000 photo files (stored, as the
  archive stores JPEGs), read from the same store;
- **ours**: `server.records.archive.plan_archive` — the plan, the draw record,
  the printed draw record, 1,000 task and result files, the 5,000 photos, the
  audit excerpt and the manifest with a SHA-256 of every file.

Reported: MB/s of photo bytes for each, and `ratio = ours / baseline` (target
≥ 0.5). The best of `--repeat` runs of each is kept (the machine is shared).

    .venv/bin/python bench/archive_bench.py [--tasks N] [--photos-per-task K] [--photo-kib S]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path


def _configure(work: Path) -> None:
    os.environ["SUICHA_DATA_DIR"] = str(work)
    os.environ["SUICHA_DATABASE_URL"] = f"sqlite:///{work / 'suicha.db'}"
    os.environ["SUICHA_ATTACHMENT_DIR"] = str(work / "attachments")
    os.environ["SUICHA_ATTACHMENT_BACKEND"] = "filesystem"


async def _setup(work: Path, tasks: int, per_task: int, photo_bytes: int) -> tuple[str, int]:
    from server.accounts.tables import User
    from server.db.migrate import migrate
    from server.demo.dataset import create_demo
    from server.draws.tables import Draw
    from server.field.tables import Attachment, ResultVersion
    from server.rosters.tables import InspectionItem, InspectionObject, Inspector
    from server.tasks.tables import Task

    await migrate()
    await create_demo(objects=2_000, seed=2026, report=lambda _: None)
    draw = await Draw.select(Draw.id, Draw.plan.code.as_alias("plan_code")).first()
    objects = [row["id"] for row in await InspectionObject.select(InspectionObject.id)]
    item = (await InspectionItem.select(InspectionItem.id).first())["id"]
    inspector = (await Inspector.select(Inspector.id).first())["id"]
    user = (await User.select(User.id).first())["id"]
    now = datetime.now(UTC)
    rng = random.Random(7)
    store = work / "attachments" / "objects"
    photo_total = 0
    for start in range(0, tasks, 200):
        batch = range(start, min(start + 200, tasks))
        rows = await Task.insert(
            *(
                Task(
                    draw=draw["id"],
                    object=objects[n % len(objects)],
                    due_date=now.date(),
                    updated_at=now,
                )
                for n in batch
            )
        ).returning(Task.id)
        versions, attachments = [], []
        for row in rows:
            refs = []
            for _ in range(per_task):
                data = b"\xff\xd8\xff\xe0" + rng.randbytes(photo_bytes - 4)
                digest = hashlib.sha256(data).hexdigest()
                path = store / digest[:2] / digest
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                photo_total += len(data)
                attachments.append(
                    Attachment(
                        sha256=digest, size=len(data), media_type="image/jpeg", completed_at=now
                    )
                )
                refs.append(
                    {
                        "sha256": digest,
                        "size": len(data),
                        "media_type": "image/jpeg",
                        "taken_at": now.isoformat(),
                        "question": None,
                    }
                )
            versions.append(
                ResultVersion(
                    result_uuid=f"bench-{row['id']}",
                    task=row["id"],
                    item=item,
                    version=1,
                    body={"item": "X", "answers": {}, "category": "1", "photos": refs},
                    body_hash=hashlib.sha256(str(row["id"]).encode()).hexdigest(),
                    inspector=inspector,
                    user=user,
                    device_id="bench",
                    received_at=now,
                )
            )
        await ResultVersion.insert(*versions)
        for chunk in range(0, len(attachments), 100):
            await Attachment.insert(*attachments[chunk : chunk + 100])
    return draw["plan_code"], photo_total


def _bare_zip(store: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        for path in sorted(store.rglob("*")):
            if path.is_file():
                archive.write(path, f"photos/{path.name}.jpg", compress_type=zipfile.ZIP_STORED)


async def _ours(plan_code: str, target: Path) -> None:
    from server.records.archive import plan_archive

    await plan_archive(plan_code, target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1_000)
    parser.add_argument("--photos-per-task", type=int, default=5)
    parser.add_argument("--photo-kib", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="suicha-archive-bench-") as tmp:
        work = Path(tmp)
        _configure(work)
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        plan_code, photo_total = asyncio.run(
            _setup(work, args.tasks, args.photos_per_task, args.photo_kib * 1024)
        )
        megabytes = photo_total / 1e6
        bare, ours = [], []
        for n in range(args.repeat):
            target = work / f"bare-{n}.zip"
            started = time.perf_counter()
            _bare_zip(work / "attachments" / "objects", target)
            bare.append(time.perf_counter() - started)
            target.unlink()
            target = work / f"ours-{n}.zip"
            started = time.perf_counter()
            asyncio.run(_ours(plan_code, target))
            ours.append(time.perf_counter() - started)
            target.unlink()
    bare_rate, our_rate = megabytes / min(bare), megabytes / min(ours)
    print(
        f"archive of a plan: {args.tasks} tasks, {args.tasks * args.photos_per_task} photos, "
        f"{megabytes:.0f} MB of photos"
    )
    print(f"  bare zipfile of the photos : {min(bare):6.2f} s  {bare_rate:7.1f} MB/s")
    print(f"  suicha plan archive        : {min(ours):6.2f} s  {our_rate:7.1f} MB/s")
    print(f"  ratio (ours / bare, target >= 0.5): {our_rate / bare_rate:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
