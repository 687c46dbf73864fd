"""The nginx configuration shipped in docs/deploy/ passes `nginx -t`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI

CONFIG = Path(__file__).parents[3] / "docs" / "deploy" / "nginx.conf"


def test_the_shipped_nginx_config_is_valid(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        if IN_CI:
            pytest.fail("nginx is missing: scripts/system-deps installs nginx-light")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    (tmp_path / "logs").mkdir()
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path / 'nginx.pid'};\n"
        f"error_log {tmp_path / 'logs' / 'error.log'};\n"
        "events {}\n"
        "http {\n"
        f"    access_log {tmp_path / 'logs' / 'access.log'};\n"
        f"    include {CONFIG};\n"
        "}\n",
        encoding="utf-8",
    )
    outcome = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert outcome.returncode == 0, outcome.stderr
    assert "syntax is ok" in outcome.stderr
