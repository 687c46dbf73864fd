"""One data location: `suicha import`, `suicha serve` and the demo use the same default.

A clerk who imports without `--db` must see the rows in the server the demo
starts; photos go under the same folder.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.server.rosters.helpers import OBJECT_HEADER, object_row, write_csv

SUICHA = [sys.executable, "-m", "server.cli"]


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUICHA_")}
    env["SUICHA_DATA_DIR"] = str(data_dir)
    return subprocess.run([*SUICHA, *args], capture_output=True, text=True, env=env, timeout=180)


def test_import_without_db_writes_where_the_server_and_demo_read(tmp_path: Path) -> None:
    data = tmp_path / "data"
    where = _run(data, "where")
    assert where.returncode == 0, where.stderr
    assert f"sqlite:///{data / 'suicha.db'}" in where.stdout
    assert str(data / "attachments") in where.stdout

    rows = write_csv(tmp_path / "objects.csv", OBJECT_HEADER, [object_row(1), object_row(2)])
    imported = _run(data, "import", "objects", str(rows))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    with sqlite3.connect(data / "suicha.db") as conn:
        assert conn.execute("SELECT count(*) FROM inspection_object").fetchone()[0] == 2


def test_the_demo_script_uses_the_default_location() -> None:
    script = (Path(__file__).parents[2] / "scripts" / "demo").read_text(encoding="utf-8")
    assert "var/demo.db" not in script
    assert "data_dir()" in script
