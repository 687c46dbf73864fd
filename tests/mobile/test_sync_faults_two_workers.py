"""The fault-injection suite against two server processes behind one port.

`suicha serve --workers 2` on PostgreSQL (SQLite refuses more than one worker),
the same seeded runs as `test_sync_faults.py` (real engine, fault proxy: cut
requests, lost answers, duplicates, reordering), and in every third run one
of the two workers is SIGKILLed mid-request; uvicorn's supervisor starts a new
one while the other keeps serving. A device's requests land in either worker
(each new connection goes to whichever accepts it), so upload offsets, the
running hash of a photo, the audit chain's order, the caches and the
idempotent result writes are all exercised across processes. Afterwards every
guarantee holds as with one process, and the audit chain verifies.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from server.db.transaction import write_transaction
from tests import dbsetup
from tests.mobile.test_sync_faults import (
    World,
    check_every_fault_was_exercised,
    check_the_audit_chain,
    one_run,
)
from tests.server.field import factory
from tests.support.live_field import fresh_database
from tests.support.live_server import ROOT, ServerProcess

RUNS = int(os.environ.get("SUICHA_FAULT_RUNS_WORKERS", "60"))
KILL_EVERY = 3
"""Runs whose seed is a multiple of this kill one worker once."""
SEED_BASE = 10_000
"""Seeds (and badges) apart from the one-process suite's, should both share a database."""


class TwoWorkers(ServerProcess):
    """`suicha serve --workers 2`; `restart()` SIGKILLs one worker (not the supervisor)
    and waits until the supervisor has started its replacement."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(env=env)
        self._turn = itertools.count()

    def start(self, timeout: float = 90.0) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed on stop
        command = [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", "2"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.starts += 1
        self._wait_ready(timeout)
        self._wait_workers(2, timeout)

    def workers(self) -> list[int]:
        """Pids of the worker processes (children running the app, not helpers)."""
        assert self.process is not None
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            return []
        found = []
        for child in children:
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"spawn_main" in command:
                found.append(int(child))
        return found

    def _wait_workers(self, count: int, timeout: float, gone: int | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            alive = self.workers()
            if len(alive) >= count and gone not in alive:
                return
            time.sleep(0.05)
        raise RuntimeError(f"workers not back within {timeout}s: {self.log_tail()}")

    def restart(self) -> None:
        """SIGKILL one worker (in turn), as a crash of one process of the two."""
        workers = sorted(self.workers())
        victim = workers[next(self._turn) % len(workers)]
        os.kill(victim, signal.SIGKILL)
        self._wait_workers(2, 90.0, gone=victim)
        # The new worker answers once it has started; the other served meanwhile.
        deadline = time.monotonic() + 90.0
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/api/v1/auth/me", timeout=2.0)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        self.starts += 1


@pytest.fixture(scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    from tests.conftest import UNUSABLE_REASON

    if UNUSABLE_REASON:
        pytest.skip(UNUSABLE_REASON)
    if dbsetup.ENGINE != "postgres":
        pytest.skip("--workers 2 needs PostgreSQL (SQLite refuses more than one worker)")
    await fresh_database()
    work = tmp_path_factory.mktemp("faults-two-workers")
    async with write_transaction():
        tasks = {
            seed: await factory.field_task(
                team={f"FX{seed}": "SCJG"},
                items={f"FX{seed}-{n}": "SCJG" for n in range(1, 3 + seed % 2)},
            )
            for seed in range(SEED_BASE, SEED_BASE + RUNS)
        }
    server = TwoWorkers(
        env={
            "SUICHA_DATA_DIR": str(work / "server-data"),
            "SUICHA_ATTACHMENT_DIR": str(work / "attachments"),
            "SUICHA_ATTACHMENT_BACKEND": "filesystem",
        }
    )
    server.start()
    try:
        yield World(server, work, tasks)
    finally:
        server.stop()


def test_serve_refuses_two_workers_on_sqlite(tmp_path: Path) -> None:
    """The other half of the rule: SQLite is served by one process."""
    env = {
        **os.environ,
        "SUICHA_DATABASE_URL": f"sqlite:///{tmp_path / 'one.db'}",
        "SUICHA_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--workers", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "SQLite" in done.stderr


@pytest.mark.parametrize("seed", range(SEED_BASE, SEED_BASE + RUNS))
async def test_exactly_once_under_faults_with_two_workers(world: World, seed: int) -> None:
    await one_run(world, seed, kill_every=KILL_EVERY)


async def test_every_fault_was_exercised_with_two_workers(world: World) -> None:
    if world.runs < RUNS:
        pytest.skip("only meaningful after all the seeded runs")
    check_every_fault_was_exercised(world)


async def test_the_audit_chain_verifies_after_killing_workers(world: World) -> None:
    if world.runs < RUNS:
        pytest.skip("only meaningful after all the seeded runs")
    await check_the_audit_chain(world, RUNS)
