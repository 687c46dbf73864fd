"""A fault-injecting HTTP/1.1 proxy on 127.0.0.1, between a real client and a real server.

It reads each request whole from the client, asks a `FaultPlan` what to do
with it, and then:

- `pass`: forwards it and returns the answer;
- `cut_request`: forwards only a prefix of the request, then closes both
  sides (the server sees a broken request, the client no answer);
- `drop_response`: forwards it, reads the server's whole answer (the server
  has committed), then closes the client's connection without sending it;
- `duplicate`: forwards it twice and returns the second answer;
- `reorder`: holds it back (the client's connection is closed, so it retries)
  and delivers the held copy later, after the next requests: the server then
  sees an old request after newer ones;
- `kill`: forwards it, then kills the server process (SIGKILL) at once and
  starts it again in the background; the client's connection is closed.

The proxy runs its own event loop in a thread, so synchronous and async tests
can use it alike. It stops by itself when its owner calls `stop()` (or on
exit of the `with` block). Every decision is logged in `log`.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

ACTIONS = ("pass", "cut_request", "drop_response", "duplicate", "reorder", "kill")


@dataclass(frozen=True)
class Message:
    """One HTTP/1.1 message as raw bytes, with what the proxy needs to know of it."""

    raw: bytes
    start_line: str
    headers: dict[str, str]

    @property
    def method(self) -> str:
        return self.start_line.split(" ", 1)[0]

    @property
    def path(self) -> str:
        parts = self.start_line.split(" ")
        return parts[1] if len(parts) > 1 else ""

    @property
    def status(self) -> int:
        parts = self.start_line.split(" ")
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


async def read_message(
    reader: asyncio.StreamReader, *, request_method: str | None = None
) -> Message | None:
    """Read one request (`request_method` None) or one answer to `request_method`.

    None when the peer closed the connection before a message began.
    """
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if not error.partial:
            return None
        raise
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    message = Message(head, lines[0], headers)
    body = b""
    no_body = request_method is not None and (
        request_method == "HEAD" or message.status in (204, 304) or 100 <= message.status < 200
    )
    if no_body:
        pass
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    elif "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif request_method is not None:
        body = await reader.read()  # an answer without length ends with the connection
    return Message(head + body, lines[0], headers)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    out = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        out += size_line
        size = int(size_line.split(b";")[0].strip(), 16)
        if size == 0:
            while True:  # trailers, then the empty line
                line = await reader.readuntil(b"\r\n")
                out += line
                if line == b"\r\n":
                    return bytes(out)
        out += await reader.readexactly(size + 2)


FaultPlan = Callable[[Message], str]
"""Given a request, the action to take (one of `ACTIONS`)."""


def random_plan(
    seed: int, rates: dict[str, float], *, max_kills: int = 1, max_faults: int | None = None
) -> FaultPlan:
    """Faults drawn from a seeded generator: `rates` maps an action to its probability.

    At most `max_kills` server kills and `max_faults` faults in all, so a run
    always ends.
    """
    rng = random.Random(seed)
    counts = {"kill": 0, "faults": 0}

    def plan(_: Message) -> str:
        if max_faults is not None and counts["faults"] >= max_faults:
            return "pass"
        roll = rng.random()
        for action, rate in rates.items():
            if roll < rate:
                if action == "kill":
                    if counts["kill"] >= max_kills:
                        return "pass"
                    counts["kill"] += 1
                counts["faults"] += 1
                return action
            roll -= rate
        return "pass"

    return plan


@dataclass
class FaultProxy:
    """Listens on 127.0.0.1:`port` (0: any free port) and forwards to `upstream_port`."""

    upstream_port: int
    plan: FaultPlan = field(default=lambda _: "pass")
    kill_server: Callable[[], None] | None = None
    """Kills the server and starts it again (blocking); called off the proxy's loop."""
    log: list[tuple[str, str, str]] = field(default_factory=list)
    """(method, path, action) of every request, in arrival order."""
    port: int = 0
    seed: int = 0
    """Seeds the proxy's own choices (where to cut, how long to hold, when to kill)."""
    _rng: random.Random = field(default_factory=random.Random)
    _held: list[tuple[Message, int]] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _server: asyncio.Server | None = None
    _restarts: list[threading.Thread] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._rng.seed(self.seed)
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._serve_client, "127.0.0.1", self.port)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="fault-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fault proxy did not start")
        return self

    def stop(self) -> None:
        for restart in self._restarts:
            restart.join(timeout=60)
        if self._loop is None or self._server is None:
            return

        async def shutdown() -> None:
            assert self._server is not None
            self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(timeout=10)

    def wait_restarts(self, timeout: float = 60) -> None:
        """Block until every server restart the proxy began has finished."""
        for restart in self._restarts:
            restart.join(timeout=timeout)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- forwarding -----------------------------------------------------------------------

    async def _serve_client(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                request = await read_message(client_reader)
                if request is None:
                    return
                await self._deliver_held()
                action = self.plan(request)
                self.log.append((request.method, request.path, action))
                keep_open = await self._apply(action, request, client_writer)
                if not keep_open:
                    return
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return
        except asyncio.CancelledError:  # the proxy is stopping
            return
        finally:
            client_writer.close()
            with contextlib.suppress(Exception):
                await client_writer.wait_closed()

    async def _apply(
        self, action: str, request: Message, client_writer: asyncio.StreamWriter
    ) -> bool:
        """Carry out `action`; True when the client's connection stays open."""
        if action == "reorder":
            self._held.append((request, self._rng.randint(1, 3)))
            return False
        if action == "cut_request":
            cut = self._rng.randint(1, max(1, len(request.raw) - 1))
            with contextlib.suppress(OSError):
                reader, writer = await self._connect()
                writer.write(request.raw[:cut])
                await writer.drain()
                del reader
                writer.close()
            return False
        if action == "kill":
            with contextlib.suppress(OSError):
                reader, writer = await self._connect()
                writer.write(request.raw)
                await writer.drain()
                # Give the server a moment to start on it: the kill then lands
                # before, during or after its commit.
                await asyncio.sleep(self._rng.uniform(0, 0.02))
            self._kill_and_restart()
            return False
        answer = await self._exchange(request)
        if action == "duplicate" and answer is not None:
            answer = await self._exchange(request) or answer
        if answer is None or action == "drop_response":
            return False
        client_writer.write(answer.raw)
        await client_writer.drain()
        return answer.headers.get("connection", "").lower() != "close"

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.upstream_port)

    async def _exchange(self, request: Message) -> Message | None:
        """Send one request on a fresh upstream connection; its answer, or None."""
        try:
            reader, writer = await self._connect()
        except OSError:
            return None
        try:
            writer.write(request.raw)
            await writer.drain()
            return await asyncio.wait_for(
                read_message(reader, request_method=request.method), timeout=60
            )
        except (OSError, asyncio.IncompleteReadError, TimeoutError):
            return None
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _deliver_held(self) -> None:
        """Count down held requests; send those whose turn came (answers discarded)."""
        due = []
        for index, (message, wait) in enumerate(self._held):
            self._held[index] = (message, wait - 1)
            if wait - 1 <= 0:
                due.append(message)
        self._held = [(m, w) for m, w in self._held if w > 0]
        for message in due:
            self.log.append((message.method, message.path, "delivered_late"))
            await self._exchange(message)

    async def flush_held(self) -> None:
        for message, _ in self._held:
            self.log.append((message.method, message.path, "delivered_late"))
            await self._exchange(message)
        self._held = []

    def deliver_held_now(self) -> None:
        """Deliver every request still held (from the test's thread)."""
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self.flush_held(), self._loop).result(timeout=120)

    def _kill_and_restart(self) -> None:
        if self.kill_server is None:
            return
        restart = threading.Thread(target=self.kill_server, name="server-restart", daemon=True)
        self._restarts = [t for t in self._restarts if t.is_alive()]
        self._restarts.append(restart)
        restart.start()
