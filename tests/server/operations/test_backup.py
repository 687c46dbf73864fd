"""`suicha backup` / `suicha restore` on SQLite: a restore gives back the same data and photos."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from server.operations.backup import restore_backup, write_backup
from shared.errors import SuichaError

SUICHA = [sys.executable, "-m", "server.cli"]


def _run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUICHA_")}
    env["SUICHA_DATA_DIR"] = str(data)
    return subprocess.run([*SUICHA, *args], capture_output=True, text=True, env=env, timeout=300)


def _photo(store: Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = store / "attachments" / "objects" / digest[:2] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return digest


def _table_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        names = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: connection.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def test_backup_then_restore_into_a_new_folder_gives_the_same_data(tmp_path: Path) -> None:
    live = tmp_path / "live"
    demo = _run(live, "demo", "--objects", "300")
    assert demo.returncode == 0, demo.stderr
    # The demo's own inspection cycle stores some photos; three more are added here.
    from_demo = sum(1 for p in (live / "attachments" / "objects").rglob("*") if p.is_file())
    photos = {_photo(live, bytes([n]) * 5000): bytes([n]) * 5000 for n in range(3)}
    backup = tmp_path / "suicha-backup.tar"
    made = _run(live, "backup", "-o", str(backup))
    assert made.returncode == 0, made.stderr
    assert f"照片 / photos {from_demo + 3}," in made.stdout

    fresh = tmp_path / "fresh"
    restored = _run(fresh, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert _table_counts(fresh / "suicha.db") == _table_counts(live / "suicha.db")
    for digest, data in photos.items():
        assert (fresh / "attachments" / "objects" / digest[:2] / digest).read_bytes() == data
    # The restored audit chain still verifies, and the server's own check agrees.
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import asyncio; from server.audit.log import verify_chain;"
            "print(len(asyncio.run(verify_chain())))",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("SUICHA_")},
            "SUICHA_DATA_DIR": str(fresh),
        },
    )
    assert check.stdout.strip() == "0", check.stderr

    # A database holding data is not overwritten without --force.
    again = _run(fresh, "restore", str(backup))
    assert again.returncode == 1 and "backup.target_not_empty" not in again.stdout
    assert "已有数据" in again.stderr
    assert _run(fresh, "restore", str(backup), "--force").returncode == 0


def test_a_damaged_backup_changes_nothing(tmp_path: Path) -> None:
    live = tmp_path / "live"
    live.mkdir()
    database = live / "suicha.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE audit_entry (id INTEGER PRIMARY KEY)")
    _photo(live, b"\xff\xd8\xff" + b"x" * 100)
    backup = tmp_path / "b.tar"
    write_backup(database, live / "attachments", backup)

    damaged = tmp_path / "damaged.tar"
    with tarfile.open(backup) as old, tarfile.open(damaged, "w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("attachments/"):
                data = data[:-1] + b"y"
            member.size = len(data)
            import io

            new.addfile(member, io.BytesIO(data))
    target = tmp_path / "target"
    with pytest.raises(SuichaError) as refused:
        restore_backup(damaged, target / "suicha.db", target / "attachments", force=False)
    assert refused.value.code == "backup.invalid"
    assert not target.exists()  # nothing written
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar")
    with pytest.raises(SuichaError):
        restore_backup(junk, target / "suicha.db", target / "attachments", force=False)


def test_serve_refuses_several_workers_on_sqlite(tmp_path: Path) -> None:
    outcome = _run(tmp_path, "serve", "--workers", "2", "--port", "0")
    assert outcome.returncode == 2
    assert "SQLite 只能由一个服务进程写入" in outcome.stderr
