"""The field app in its own process under Xvfb, driven line by line (see driver.py).

`AppProcess.start()` runs `xvfb-run -a python -m tests.mobile.app.driver DATA_DIR`
(or uses the display already set in `DISPLAY`); `call(op, ...)` sends one
command and returns its value; `kill()` sends SIGKILL, as a crash or the OS
killing the app would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty, Queue
from typing import Any

from tests.mobile.app.driver import REPLY

ROOT = Path(__file__).resolve().parents[3]


def xvfb_missing() -> str | None:
    """Why the app cannot be shown here, or None."""
    if shutil.which("xvfb-run") is None or shutil.which("Xvfb") is None:
        return "Xvfb is not installed (scripts/system-deps installs xvfb)"
    return None


class DriverError(AssertionError):
    pass


class AppProcess:
    def __init__(
        self, data_dir: Path, size: tuple[int, int] = (1280, 800), env: dict[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.size = size
        self.env = {
            **os.environ,
            "KIVY_NO_CONSOLELOG": "1",
            "KIVY_NO_FILELOG": "1",
            "KIVY_HOME": str(data_dir.parent / f"{data_dir.name}-kivy"),
            "SUICHA_WINDOW": f"{size[0]}x{size[1]}",
            **(env or {}),
        }
        self.process: subprocess.Popen[str] | None = None
        self.replies: Queue[str | None] = Queue()
        self.output: list[str] = []

    def start(self) -> AppProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        screen = f"-screen 0 {max(self.size) + 100}x{max(self.size) + 100}x24"
        command = [
            "xvfb-run",
            "-a",
            "-s",
            screen,
            sys.executable,
            "-m",
            "tests.mobile.app.driver",
            str(self.data_dir),
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,  # xvfb-run, Xvfb and the app: one group to kill
        )
        threading.Thread(target=self._read, daemon=True).start()
        # The first answer tells the app is up and built.
        self.call("wait", expr="app.manager is not None and app.manager.current", timeout=60)
        return self

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(REPLY):
                self.replies.put(line[len(REPLY) :])
            else:
                self.output.append(line)
        self.replies.put(None)

    def call(self, op: str, **args: Any) -> Any:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps({"op": op, **args}, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        try:
            line = self.replies.get(timeout=float(args.get("timeout", 90)) + 60)
        except Empty as error:
            raise DriverError(f"no answer to {op} {args}; app output:\n{self.tail()}") from error
        if line is None:
            raise DriverError(f"the app exited during {op} {args}; output:\n{self.tail()}")
        answer = json.loads(line)
        if not answer["ok"]:
            raise DriverError(f"{op} {args} failed: {answer['error']}\n{answer.get('trace', '')}")
        return answer["value"]

    # Shorthands the tests read well with.
    def tap(self, **target: Any) -> Any:
        return self.call("tap", target=target)

    def type(self, text: str, replace: bool = False, **target: Any) -> Any:
        return self.call("type", target=target, text=text, replace=replace)

    def eval(self, expr: str) -> Any:
        return self.call("eval", expr=expr)

    def wait(self, expr: str, timeout: float = 60) -> Any:
        return self.call("wait", expr=expr, timeout=timeout)

    def tail(self, lines: int = 60) -> str:
        return "".join(self.output[-lines:])

    def kill(self) -> None:
        """SIGKILL to the app (and its X server): no on_stop, no flush."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)
        except (subprocess.TimeoutExpired, BrokenPipeError, OSError):
            self.kill()

    def __enter__(self) -> AppProcess:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
