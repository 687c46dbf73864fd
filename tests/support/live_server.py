"""A real Suicha server process on 127.0.0.1, for end-to-end and fault tests.

`ServerProcess` starts `python -m uvicorn --factory server.app:create_app`
against the database in the environment (the test database:
`SUICHA_DATABASE_URL`), waits until it answers, and can be killed with
SIGKILL and started again on the same port, as a power cut or a crash would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """One uvicorn process serving the app; `url` is its base address."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        port: int | None = None,
        app: str = "server.app:create_app",
    ) -> None:
        self.app = app
        """The app factory uvicorn serves (`module:function`)."""
        self.port = port or free_port()
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.log_path = Path(self.env.get("SUICHA_DATA_DIR", "/tmp")) / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed on stop
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                self.app,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.starts += 1
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited at start: {self.log_tail()}")
            try:
                httpx.get(f"{self.url}/api/v1/auth/me", timeout=2.0)
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError(f"server did not answer within {timeout}s: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, as a crash."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
