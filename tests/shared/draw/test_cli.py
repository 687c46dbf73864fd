"""`suicha verify-draw FILE|URL` against files and a local HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from server.cli import main
from shared.draw import run_draw
from tests.shared.draw.builders import medium_input

RECORD = run_draw(medium_input())


def _write(tmp_path: Path, record: object, name: str = "draw.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_correct_record_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-draw", _write(tmp_path, RECORD)]) == 0
    assert capsys.readouterr().out.strip() == "OK 验证通过"


def test_a_tampered_record_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tampered = json.loads(json.dumps(RECORD))
    tampered["witness_input"] = "something else"
    tampered["selected"]["B"].reverse()
    assert main(["verify-draw", _write(tmp_path, tampered)]) == 1
    out = capsys.readouterr().out
    assert "[seed]" in out and "[selected.B]" in out
    assert "随机种子" in out and "the seed does not follow" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read"),
        ("[1, 2]", "must be a JSON object"),
        (b"\xff\xfe", "cannot read"),
    ],
)
def test_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    assert main(["verify-draw", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "无法读取" in err or "JSON对象" in err


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-draw", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/public/draws/1.json":
            body = json.dumps(RECORD, ensure_ascii=False).encode()
            self.send_response(200)
        else:
            body = b'{"status": 404}'
            self.send_response(404)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


@pytest.fixture
def local_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_record_by_url(local_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-draw", f"{local_server}/public/draws/1.json"]) == 0
    assert "OK 验证通过" in capsys.readouterr().out


def test_a_url_that_fails(local_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-draw", f"{local_server}/public/draws/404.json"]) == 2
    assert "404" in capsys.readouterr().err


def test_a_url_nobody_answers(capsys: pytest.CaptureFixture[str]) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    server.server_close()  # the port is now closed
    assert main(["verify-draw", f"http://127.0.0.1:{port}/draw.json"]) == 2
    assert "cannot read" in capsys.readouterr().err
