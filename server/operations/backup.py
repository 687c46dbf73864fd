"""Backup and restore of a SQLite deployment: the database and the photo store, together.

`write_backup` takes a consistent snapshot of the live database with SQLite's
online backup API (writers may go on meanwhile) and adds every complete photo
under `attachments/objects/`, in one tar file with a manifest of SHA-256s.
`restore_backup` checks the whole file before it touches anything, refuses to
overwrite a database that holds data, and writes the database and photos back
(the database last, through a temporary file and a rename, so a failed restore
never leaves half a database).

PostgreSQL deployments use `pg_dump` / `pg_restore` and their object store's own
tools instead (see docs/deploy.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from shared.errors import SuichaError, define

__all__ = ["BACKUP_FORMAT", "BackupSummary", "restore_backup", "write_backup"]

BACKUP_FORMAT = "suicha-backup/1"
_DB_NAME = "suicha.db"
_MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024

NOT_SQLITE = define(
    "backup.not_sqlite",
    400,
    "此命令只备份SQLite数据库；PostgreSQL请使用其自带的备份工具（pg_dump），详见部署说明",
    "This command backs up SQLite only; use pg_dump for PostgreSQL (see docs/deploy.md)",
)
NO_DATABASE = define(
    "backup.no_database", 404, "数据库文件不存在：{path}", "No database file at {path}"
)
BAD_BACKUP = define(
    "backup.invalid",
    422,
    "备份文件无效，未做任何更改：{reason}",
    "The backup is invalid; nothing was changed: {reason}",
)
TARGET_NOT_EMPTY = define(
    "backup.target_not_empty",
    409,
    "目标数据库已有数据，未做任何更改；确需覆盖请加上强制选项（--force）：{path}",
    "The target database holds data; nothing was changed (use --force to replace it): {path}",
)


@dataclass(frozen=True)
class BackupSummary:
    database_bytes: int
    photos: int
    photo_bytes: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _photos(attachments: Path) -> list[Path]:
    objects = attachments / "objects"
    return sorted(p for p in objects.rglob("*") if p.is_file()) if objects.is_dir() else []


def write_backup(database: Path, attachments: Path, target: Path) -> BackupSummary:
    """Snapshot `database` and the complete photos under `attachments` into the tar `target`."""
    if not database.is_file():
        raise SuichaError(NO_DATABASE, path=str(database))
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        snapshot = Path(tmp) / _DB_NAME
        source = sqlite3.connect(database)
        copy = sqlite3.connect(snapshot)
        try:
            source.backup(copy)  # a consistent snapshot while writers go on
        finally:
            copy.close()
            source.close()
        files = {_DB_NAME: snapshot}
        for photo in _photos(attachments):
            files[f"attachments/{photo.relative_to(attachments).as_posix()}"] = photo
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "files": {
                name: {"sha256": _sha256_file(p), "size": p.stat().st_size}
                for name, p in files.items()
            },
        }
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(_MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for name, path in files.items():
                tar.add(path, arcname=name, recursive=False)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
    photos = [f for f in manifest["files"] if f.startswith("attachments/")]
    return BackupSummary(
        database_bytes=manifest["files"][_DB_NAME]["size"],
        photos=len(photos),
        photo_bytes=sum(manifest["files"][f]["size"] for f in photos),
    )


def _holds_data(database: Path) -> bool:
    if not database.is_file() or database.stat().st_size == 0:
        return False
    with sqlite3.connect(database) as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_entry'"
            )
        ]
        if not tables:
            return False
        return connection.execute("SELECT count(*) FROM audit_entry").fetchone()[0] > 0


def _checked_members(tar: tarfile.TarFile) -> tuple[dict, dict[str, tarfile.TarInfo]]:
    members = {m.name: m for m in tar.getmembers()}
    if _MANIFEST not in members:
        raise SuichaError(BAD_BACKUP, reason="缺少清单 manifest.json")
    manifest_file = tar.extractfile(members[_MANIFEST])
    try:
        manifest = json.loads(manifest_file.read() if manifest_file else b"")
        listed: dict = manifest["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise SuichaError(BAD_BACKUP, reason="清单无法读取") from error
    if manifest.get("format") != BACKUP_FORMAT:
        raise SuichaError(BAD_BACKUP, reason="格式不符")
    for name, member in members.items():
        if name == _MANIFEST:
            continue
        if name not in listed or not member.isfile():
            raise SuichaError(BAD_BACKUP, reason=f"清单外的文件 {name}")
        if name != _DB_NAME and not name.startswith("attachments/objects/"):
            raise SuichaError(BAD_BACKUP, reason=f"不允许的路径 {name}")
        if ".." in Path(name).parts:
            raise SuichaError(BAD_BACKUP, reason=f"不允许的路径 {name}")
        handle = tar.extractfile(member)
        digest = hashlib.sha256()
        while handle and (chunk := handle.read(_CHUNK)):
            digest.update(chunk)
        if digest.hexdigest() != listed[name]["sha256"]:
            raise SuichaError(BAD_BACKUP, reason=f"文件 {name} 的SHA-256不符")
    missing = set(listed) - set(members)
    if missing:
        raise SuichaError(BAD_BACKUP, reason=f"缺少文件 {sorted(missing)[0]}")
    if _DB_NAME not in listed:
        raise SuichaError(BAD_BACKUP, reason="缺少数据库文件")
    return manifest, members


def restore_backup(
    source: Path, database: Path, attachments: Path, *, force: bool
) -> BackupSummary:
    """Check the whole backup, then write its photos and, last, its database."""
    if not source.is_file() or not tarfile.is_tarfile(source):
        raise SuichaError(BAD_BACKUP, reason="无法作为tar文件读取")
    with tarfile.open(source, "r") as tar:
        manifest, members = _checked_members(tar)
        if _holds_data(database) and not force:
            raise SuichaError(TARGET_NOT_EMPTY, path=str(database))
        photos = 0
        photo_bytes = 0
        for name, member in members.items():
            if not name.startswith("attachments/"):
                continue
            target = attachments / Path(name).relative_to("attachments")
            target.parent.mkdir(parents=True, exist_ok=True)
            handle = tar.extractfile(member)
            tmp = target.with_name(f".{target.name}.restoring")
            with tmp.open("wb") as out:
                while handle and (chunk := handle.read(_CHUNK)):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            tmp.replace(target)
            photos += 1
            photo_bytes += member.size
        database.parent.mkdir(parents=True, exist_ok=True)
        tmp_db = database.with_name(f".{database.name}.restoring")
        handle = tar.extractfile(members[_DB_NAME])
        with tmp_db.open("wb") as out:
            while handle and (chunk := handle.read(_CHUNK)):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        for stale in (
            database.with_name(database.name + "-wal"),
            database.with_name(database.name + "-shm"),
        ):
            stale.unlink(missing_ok=True)
        tmp_db.replace(database)
    return BackupSummary(
        database_bytes=manifest["files"][_DB_NAME]["size"], photos=photos, photo_bytes=photo_bytes
    )
