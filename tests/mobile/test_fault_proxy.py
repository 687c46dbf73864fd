"""The fault proxy does what it says to a counting upstream (so the fault test means something)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.support.fault_proxy import FaultProxy, random_plan


class Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, bytes]] = []

    def _answer(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        if len(body) < length:  # a cut request: like a real server, act on nothing
            self.close_connection = True
            return
        self.seen.append((self.path, body))
        self._answer(b"n=%d" % len(self.seen))

    def do_HEAD(self) -> None:
        self.seen.append((self.path, b""))
        self._answer(b"ignored body")

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[ThreadingHTTPServer]:
    Counting.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def proxy_for(upstream: ThreadingHTTPServer, actions: list[str]) -> FaultProxy:
    queue = list(actions)
    return FaultProxy(upstream.server_address[1], plan=lambda _: queue.pop(0) if queue else "pass")


def post(client: httpx.Client, path: str, body: bytes = b"x" * 1000) -> httpx.Response:
    return client.post(path, content=body)


def test_pass_and_keep_alive(upstream: ThreadingHTTPServer) -> None:
    with proxy_for(upstream, []) as proxy, httpx.Client(base_url=proxy.url) as client:
        assert post(client, "/a").text == "n=1"
        assert client.head("/h").status_code == 200  # no body read for HEAD
        assert post(client, "/b").text == "n=3"
    assert [p for p, _ in Counting.seen] == ["/a", "/h", "/b"]


def test_drop_response_reaches_the_server_but_not_the_client(
    upstream: ThreadingHTTPServer,
) -> None:
    with proxy_for(upstream, ["drop_response"]) as proxy, httpx.Client(base_url=proxy.url) as c:
        with pytest.raises(httpx.HTTPError):
            post(c, "/a")
        assert post(c, "/a").text == "n=2"
    assert [p for p, _ in Counting.seen] == ["/a", "/a"]


def test_cut_request_never_reaches_the_handler(upstream: ThreadingHTTPServer) -> None:
    with proxy_for(upstream, ["cut_request"]) as proxy, httpx.Client(base_url=proxy.url) as c:
        with pytest.raises(httpx.HTTPError):
            post(c, "/a", b"y" * 5000)
        assert post(c, "/b").text == "n=1"
    assert [p for p, _ in Counting.seen] == ["/b"]


def test_duplicate_sends_twice(upstream: ThreadingHTTPServer) -> None:
    with proxy_for(upstream, ["duplicate"]) as proxy, httpx.Client(base_url=proxy.url) as c:
        assert post(c, "/a").text == "n=2"
    assert [p for p, _ in Counting.seen] == ["/a", "/a"]


def test_reorder_delivers_the_held_request_after_later_ones(
    upstream: ThreadingHTTPServer,
) -> None:
    proxy = proxy_for(upstream, ["reorder"])
    with proxy, httpx.Client(base_url=proxy.url) as c:
        with pytest.raises(httpx.HTTPError):
            post(c, "/old", b"old")
        for name in ("/n1", "/n2", "/n3", "/n4"):
            post(c, name)
        proxy.deliver_held_now()
    paths = [p for p, _ in Counting.seen]
    assert paths.index("/old") > paths.index("/n1")
    assert paths.count("/old") == 1


def test_kill_calls_the_restart_hook(upstream: ThreadingHTTPServer) -> None:
    kills: list[int] = []
    proxy = proxy_for(upstream, ["kill"])
    proxy.kill_server = lambda: kills.append(1)
    with proxy, httpx.Client(base_url=proxy.url) as c:
        with pytest.raises(httpx.HTTPError):
            post(c, "/a")
        proxy.wait_restarts()
    assert kills == [1]


def test_random_plan_is_reproducible_and_bounded() -> None:
    rates = {"drop_response": 0.3, "kill": 0.3}
    first = random_plan(5, rates, max_kills=1, max_faults=4)
    second = random_plan(5, rates, max_kills=1, max_faults=4)
    a = [first(None) for _ in range(50)]  # type: ignore[arg-type]
    b = [second(None) for _ in range(50)]  # type: ignore[arg-type]
    assert a == b
    assert a.count("kill") <= 1 and sum(x != "pass" for x in a) <= 4
