"""Fixtures of the field-sync tests: a private attachment store per test, S3 on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from server.settings import get_settings

S3_KEYS = {"SUICHA_S3_ACCESS_KEY": "testing", "SUICHA_S3_SECRET_KEY": "testing"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's S3 server, on loopback only, for the whole session."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )


_buckets = iter(range(1, 1_000_000))


@pytest.fixture(params=["filesystem", "s3"])
def backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Point attachment settings at a fresh store of each backend; yields the backend name."""
    monkeypatch.setenv("SUICHA_ATTACHMENT_DIR", str(tmp_path / "attachments"))
    monkeypatch.setenv("SUICHA_ATTACHMENT_BACKEND", request.param)
    if request.param == "s3":
        endpoint = request.getfixturevalue("moto_endpoint")
        bucket = f"suicha-test-{next(_buckets)}"
        s3_client(endpoint).create_bucket(Bucket=bucket)
        monkeypatch.setenv("SUICHA_S3_ENDPOINT", endpoint)
        monkeypatch.setenv("SUICHA_S3_BUCKET", bucket)
        for name, value in S3_KEYS.items():
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield request.param
    get_settings.cache_clear()


@pytest.fixture
def filesystem_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh filesystem attachment store for one test; yields its directory."""
    directory = tmp_path / "attachments"
    monkeypatch.setenv("SUICHA_ATTACHMENT_DIR", str(directory))
    monkeypatch.setenv("SUICHA_ATTACHMENT_BACKEND", "filesystem")
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()
