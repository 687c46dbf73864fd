"""Field sync under load: 50 devices at once against one server process on 127.0.0.1.

Each simulated device (an asyncio task with its own store, engine and HTTP
connections) syncs 10 photos of 2 MB, then 20 item results, then submits its
task, all devices at the same time, against ONE `uvicorn` process of the real
app. The baseline is a bare Litestar app (`baseline_app` below) that writes
the same bytes to disk, served the same way, driven with the same requests
(same count, same bytes, same concurrency) by plain httpx clients, in the same
run. Suicha sends its results twice over (different items of the same tasks):
first with one PUT per result, as the baseline does, then in batches
(`POST /field/tasks/{id}/results`, sync-v1.2) as the field app does when the
server offers them; the `batched` row sets the second against the same bare
PUT baseline. Printed: absolute figures and Suicha/bare ratios. At the end the server
must hold every result once and every photo with the right SHA-256 (zero
errors, zero loss), or the bench fails.

    .venv/bin/python bench/sync_bench.py [--devices 50] [--results 20] [--photos 10]
        [--photo-mb 2] [--db URL]

Default database: a fresh SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import math
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get, head, patch, put

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHUNK = 512 * 1024
PASSWORD = "correct horse battery"


# -- the bare baseline: same bytes to disk, no domain, no database ----------------------


def baseline_app() -> Litestar:
    """A Litestar app that stores result bodies and appends photo chunks to files."""
    store = Path(os.environ.get("SUICHA_BENCH_BASELINE_DIR", tempfile.mkdtemp()))
    store.mkdir(parents=True, exist_ok=True)
    durable = os.environ.get("SUICHA_BENCH_BASELINE_FSYNC") == "1"

    @get("/api/v1/field/tasks", sync_to_thread=False)
    def feed() -> dict[str, object]:
        return {"cursor": "0", "tasks": [], "removed": []}

    @head("/api/v1/field/attachments/{sha:str}", sync_to_thread=False)
    def state(sha: str) -> Response[None]:
        path = store / sha
        if not path.exists():
            return Response(None, status_code=404)
        return Response(None, headers={"Upload-Offset": str(path.stat().st_size)})

    @patch("/api/v1/field/attachments/{sha:str}", status_code=200)
    async def append(sha: str, request: Request) -> Response[None]:
        data = await request.body()
        offset = int(request.headers["upload-offset"])
        _write_at(store / sha, offset, data, durable)
        return Response(None, headers={"Upload-Offset": str(offset + len(data))})

    @put("/api/v1/field/tasks/{task_id:int}/results/{result_id:str}", status_code=200)
    async def result(task_id: int, result_id: str, request: Request) -> dict[str, object]:
        data = await request.body()
        _write_at(store / f"r-{task_id}-{result_id}", 0, data, durable)
        return {"result_id": result_id, "version": 1, "status": "stored"}

    return Litestar([feed, state, append, result], debug=False)


def profiled_app() -> Litestar:
    """The real app with cProfile on in the server process (`--profile FILE`): the
    statistics are written to `SUICHA_BENCH_PROFILE` when the server shuts down."""
    import cProfile

    from server.app import create_app

    profiler = cProfile.Profile()
    app = create_app()

    def dump() -> None:
        profiler.disable()
        profiler.dump_stats(os.environ["SUICHA_BENCH_PROFILE"])

    app.on_shutdown.append(dump)
    profiler.enable()
    return app


def _write_at(path: Path, offset: int, data: bytes, durable: bool) -> None:
    """Write at `offset`; with `durable`, fsync before answering (what a store that
    acknowledges only durable writes must do at the least)."""
    with open(path, "r+b" if path.exists() else "wb") as handle:
        handle.seek(offset)
        handle.write(data)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())


# -- data ---------------------------------------------------------------------------------


def photo_template(megabytes: float) -> bytes:
    """One noise JPEG of about the size asked (incompressible, like a real photo)."""
    from PIL import Image

    rng = random.Random(1)

    def encode(side: int) -> bytes:
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=95)
        return out.getvalue()

    guess = encode(500)  # bytes grow with the pixel count: scale once from a probe
    return encode(int(500 * math.sqrt(megabytes * 1e6 / len(guess))))


def unique_photo(template: bytes, label: str) -> bytes:
    """The template with a JPEG comment segment after SOI: a distinct, valid photo."""
    comment = label.encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return template[:2] + segment + template[2:]


# -- the Suicha side ------------------------------------------------------------------------


@dataclass
class Device:
    index: int
    task_id: int
    items: list[str]
    username: str
    store: object
    engine: object
    transport: object


async def seed(devices: int, results: int) -> list[tuple[int, list[str], str]]:
    from piccolo.engine.postgres import PostgresEngine

    from server.db.migrate import migrate
    from server.db.transaction import current_engine, write_transaction
    from tests.server.field import factory

    await migrate()
    engine = current_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool()
    out = []
    async with write_transaction():
        for d in range(devices):
            task = await factory.field_task(
                team={f"BENCH{d}": "SCJG"},
                items={f"BI{d}-{n:02d}": "SCJG" for n in range(results)},
            )
            out.append((task.task_id, sorted(task.items), task.users[f"BENCH{d}"]))
    return out


async def suicha_run(args: argparse.Namespace, work: Path, template: bytes) -> dict[str, float]:
    from mobile.sync import HttpTransport, RetryPolicy, Store, SyncEngine
    from mobile.sync.session import login
    from tests.support.live_server import ServerProcess

    # Twice the items: one set of results goes with a PUT each, the other in batches.
    tasks = await seed(args.devices, 2 * args.results)
    server = (ServerProcess if args.workers == 1 else partial(workers_server, args.workers))(
        env={
            "SUICHA_DATA_DIR": str(work / "server"),
            "SUICHA_ATTACHMENT_DIR": str(work / "attachments"),
            "SUICHA_ATTACHMENT_BACKEND": "filesystem",
            "SUICHA_BENCH_PROFILE": args.profile or "",
        },
        app="bench.sync_bench:profiled_app" if args.profile else "server.app:create_app",
    )
    server.start()
    try:
        devices = []
        for index, (task_id, items, username) in enumerate(tasks):
            store = Store(work / f"device-{index}")
            transport = HttpTransport(server.url, timeout=300)
            assert (
                await login(
                    store, transport, username=username, password=PASSWORD, device_id=f"b{index}"
                )
            ).ok
            engine = SyncEngine(
                store, transport, retry=RetryPolicy(attempts=3, base_delay=0.2), chunk_size=CHUNK
            )
            devices.append(Device(index, task_id, items, username, store, engine, transport))
        # Task packages first (not timed), then the photos are taken.
        await asyncio.gather(*(d.engine.sync_once() for d in devices))  # type: ignore[attr-defined]
        shas: list[str] = []
        for d in devices:
            for p in range(args.photos):
                shas.append(
                    d.store.add_photo(unique_photo(template, f"dev{d.index}-photo{p}")).sha256  # type: ignore[attr-defined]
                )

        async def timed_pass() -> float:
            start = time.perf_counter()
            reports = await asyncio.gather(*(d.engine.sync_once() for d in devices))  # type: ignore[attr-defined]
            elapsed = time.perf_counter() - start
            bad = [r for r in reports if not r.complete]
            if bad:
                raise SystemExit(f"sync errors: {bad[0].failures or bad[0].stopped}")
            return elapsed

        photo_seconds = await timed_pass()
        result_ids: list[str] = []

        def record(first: int) -> None:
            for d in devices:
                for n, item in enumerate(d.items[first : first + args.results]):
                    photo = [shas[d.index * args.photos + n]] if n < args.photos else []
                    result_ids.append(
                        d.store.record_result(  # type: ignore[attr-defined]
                            d.task_id, item, answers={"q1": True}, category="1", photos=photo
                        )
                    )

        for d in devices:  # first with one PUT per result, as the bare baseline sends them
            d.engine.batches = False  # type: ignore[attr-defined]
        record(0)
        result_seconds = await timed_pass()
        for d in devices:  # then the same number in batches (sync-v1.2), as the app does
            d.engine.batches = True  # type: ignore[attr-defined]
        record(args.results)
        batch_seconds = await timed_pass()
        for d in devices:
            d.store.request_submission(d.task_id)  # type: ignore[attr-defined]
        await timed_pass()
        for d in devices:
            await d.transport.aclose()  # type: ignore[attr-defined]
        await verify(result_ids, shas, [d.task_id for d in devices], work / "attachments")
    finally:
        server.stop()
    return {
        "photo_seconds": photo_seconds,
        "result_seconds": result_seconds,
        "batch_seconds": batch_seconds,
    }


def workers_server(workers: int, **kwargs: Any) -> Any:
    """A `ServerProcess` running `uvicorn --workers N` on one port (PostgreSQL only,
    as `suicha serve --workers N`)."""
    import subprocess

    from tests.support.live_server import ROOT as SERVER_ROOT
    from tests.support.live_server import ServerProcess

    class Workers(ServerProcess):
        def start(self, timeout: float = 60.0) -> None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
            command = [sys.executable, "-m", "uvicorn", "--factory", self.app]
            command += ["--host", "127.0.0.1", "--port", str(self.port)]
            command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
            self.process = subprocess.Popen(
                command,
                cwd=SERVER_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            log.close()
            self.starts += 1
            self._wait_ready(timeout)

    return Workers(**kwargs)


async def verify(result_ids: list[str], shas: list[str], task_ids: list[int], folder: Path) -> None:
    """Zero loss: every result once, every photo once with its bytes, every task submitted."""
    from server.field.storage import build_storage
    from server.field.tables import Attachment, ItemResult, ResultVersion, TaskSubmission
    from server.settings import AttachmentSettings

    heads = await ItemResult.count().where(ItemResult.result_uuid.is_in(result_ids))
    versions = await ResultVersion.count().where(ResultVersion.result_uuid.is_in(result_ids))
    attachments = await Attachment.count().where(Attachment.sha256.is_in(shas))
    submitted = await TaskSubmission.count().where(TaskSubmission.task.is_in(task_ids))
    storage = build_storage(AttachmentSettings(directory=folder))
    wrong = [s for s in shas if hashlib.sha256(await storage.read(s)).hexdigest() != s]
    expected = (len(result_ids), len(result_ids), len(shas), len(task_ids), 0)
    found = (heads, versions, attachments, submitted, len(wrong))
    if found != expected:
        raise SystemExit(f"LOSS OR DUPLICATES: expected {expected}, found {found}")
    print(
        f"verified: {heads} results (one version each), {attachments} photos "
        f"(SHA-256 of stored bytes all match), {submitted} submissions"
    )


# -- the baseline side -----------------------------------------------------------------------


async def _retrying(send: Any, url: str, **kwargs: Any) -> Any:
    """Send again when the connection broke (a kept-alive connection the server closed
    at that moment): the engine does the same, and both requests are idempotent."""
    import httpx

    for attempt in range(3):
        try:
            return await send(url, **kwargs)
        except httpx.TransportError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


async def baseline_run(
    args: argparse.Namespace, work: Path, template: bytes, result_body: bytes, durable: bool
) -> dict[str, float]:
    import httpx

    from tests.support.live_server import ServerProcess

    shutil.rmtree(work / "baseline", ignore_errors=True)
    server = ServerProcess(
        env={
            "SUICHA_BENCH_BASELINE_DIR": str(work / "baseline"),
            "SUICHA_BENCH_BASELINE_FSYNC": "1" if durable else "0",
        },
        app="bench.sync_bench:baseline_app",
    )
    server.start()
    clients = [
        httpx.AsyncClient(base_url=server.url + "/api/v1", timeout=300) for _ in range(args.devices)
    ]
    photos = [
        [unique_photo(template, f"base{d}-photo{p}") for p in range(args.photos)]
        for d in range(args.devices)
    ]

    async def photos_of(d: int) -> None:
        client = clients[d]
        await _retrying(client.get, "/field/tasks")
        for data in photos[d]:
            sha = hashlib.sha256(data).hexdigest()
            (await client.head(f"/field/attachments/{sha}")).status_code  # noqa: B018
            for offset in range(0, len(data), CHUNK):
                response = await _retrying(
                    client.patch,
                    f"/field/attachments/{sha}",
                    content=data[offset : offset + CHUNK],
                    headers={
                        "Upload-Offset": str(offset),
                        "Upload-Length": str(len(data)),
                        "Content-Type": "application/offset+octet-stream",
                    },
                )
                response.raise_for_status()

    async def results_of(d: int) -> None:
        client = clients[d]
        await _retrying(client.get, "/field/tasks")
        for n in range(args.results):
            response = await _retrying(
                client.put,
                f"/field/tasks/{d}/results/{n}",
                content=result_body,
                headers={"Content-Type": "application/json"},
            )
            response.raise_for_status()

    try:
        start = time.perf_counter()
        await asyncio.gather(*(photos_of(d) for d in range(args.devices)))
        photo_seconds = time.perf_counter() - start
        start = time.perf_counter()
        await asyncio.gather(*(results_of(d) for d in range(args.devices)))
        result_seconds = time.perf_counter() - start
        stored = sum(1 for p in (work / "baseline").iterdir() if p.name.startswith("r-"))
        if stored != args.devices * args.results:
            raise SystemExit(f"baseline lost results: {stored}")
    finally:
        for client in clients:
            await client.aclose()
        server.stop()
    return {"photo_seconds": photo_seconds, "result_seconds": result_seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--results", type=int, default=20)
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--photo-mb", type=float, default=2.0)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes on one port (PostgreSQL)"
    )
    parser.add_argument("--profile", help="write the server's cProfile statistics to this file")
    args = parser.parse_args()
    if args.workers > 1 and not (args.db or "").startswith("postgres"):
        parser.error("--workers > 1 needs --db postgresql://… (SQLite takes one process)")
    if args.photos > args.results:
        parser.error("--photos may not exceed --results (each photo belongs to a result)")

    work = Path(tempfile.mkdtemp(prefix="suicha-sync-bench-"))
    os.environ["SUICHA_DATABASE_URL"] = args.db or f"sqlite:///{work / 'bench.db'}"
    os.environ["PICCOLO_CONF"] = "server.piccolo_conf"
    os.environ["SUICHA_DATA_DIR"] = str(work / "server")
    try:
        template = photo_template(args.photo_mb)
        photo_mb = (len(template) + 20) / 1e6
        sample_body = (
            b'{"item":"BI0-00","answers":{"q1":true},"findings":"","category":"1",'
            b'"recorded_at":"2026-05-01T09:00:00+00:00","base_version":0,"photos":[{"sha256":"'
            + b"0"
            * 64
            + b'","size":2000000,"media_type":"image/jpeg","taken_at":'
            b'"2026-05-01T09:00:00+00:00","location":null,"question":null}]}'
        )
        print(
            f"{args.devices} devices × ({args.results} results + {args.photos} photos of "
            f"{photo_mb:.2f} MB), {args.workers} server process(es), 127.0.0.1; database "
            f"{os.environ['SUICHA_DATABASE_URL'].split(':')[0]}"
        )
        suicha = asyncio.run(suicha_run(args, work, template))
        print(f"Suicha: {suicha}", flush=True)
        bare = asyncio.run(baseline_run(args, work, template, sample_body, durable=False))
        synced = asyncio.run(baseline_run(args, work, template, sample_body, durable=True))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results = args.devices * args.results
    megabytes = args.devices * args.photos * photo_mb
    rows = [
        ("results/s", results, "result_seconds"),
        ("photo MB/s", megabytes, "photo_seconds"),
    ]
    print(f"\n{'metric':<12}{'Suicha':>10}{'bare':>10}{'ratio':>8}{'bare+fsync':>12}{'ratio':>8}")
    for name, amount, key in rows:
        ours, theirs, durable = (amount / run[key] for run in (suicha, bare, synced))
        print(
            f"{name:<12}{ours:>10.1f}{theirs:>10.1f}{ours / theirs:>8.2f}"
            f"{durable:>12.1f}{ours / durable:>8.2f}"
        )
    batched = results / suicha["batch_seconds"]
    print(
        f"{'batched':<12}{batched:>10.1f}{results / bare['result_seconds']:>10.1f}"
        f"{batched * bare['result_seconds'] / results:>8.2f}"
        f"{results / synced['result_seconds']:>12.1f}"
        f"{batched * synced['result_seconds'] / results:>8.2f}"
        "   (Suicha's results in batches of one task, against the bare PUT each)"
    )
    print(
        f"(totals: {results} results in {suicha['result_seconds']:.1f} s vs "
        f"{bare['result_seconds']:.1f} s bare, {synced['result_seconds']:.1f} s bare+fsync; "
        f"{megabytes:.0f} MB of photos in {suicha['photo_seconds']:.1f} s vs "
        f"{bare['photo_seconds']:.1f} s, {synced['photo_seconds']:.1f} s; zero errors, "
        f"zero loss verified)"
    )


if __name__ == "__main__":
    main()
