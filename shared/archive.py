"""The one-inspection archive (一次一档): its layout, its manifest and its check.

An archive is a ZIP. `manifest.json` at its root lists every other file with
its SHA-256 and size; nothing else may be in the ZIP. Files under `draws/`
are draw records exactly as the public endpoint serves them and are re-run with
`shared.draw.verify_record`; `audit.json` is the excerpt of the audit chain for
everything in the archive, re-checked with `shared.audit_chain`.

`ArchiveWriter` streams files into a ZIP and writes the manifest last;
`verify_archive` needs nothing but the file, so anyone holding an archive can
check it (`suicha verify-archive FILE`).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from shared.audit_chain import excerpt_breaks
from shared.canonical import canonical_json

__all__ = [
    "AUDIT_FILE",
    "DRAW_DIR",
    "FORMAT",
    "MANIFEST",
    "ArchiveProblem",
    "ArchiveWriter",
    "verify_archive",
]

FORMAT = "suicha-archive/1"
MANIFEST = "manifest.json"
AUDIT_FILE = "audit.json"
DRAW_DIR = "draws/"
_CHUNK = 1024 * 1024
_STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".pdf", ".zip", ".xlsx")
"""Already compressed: stored as they are, which keeps archiving close to disk speed."""


@dataclass(frozen=True)
class ArchiveProblem:
    """One thing wrong with an archive, naming the file."""

    path: str
    code: str
    zh: str
    en: str

    def line(self) -> str:
        return f"{self.path}: {self.zh} / {self.en} [{self.code}]"


class ArchiveWriter:
    """Write files into a ZIP, hashing each as it goes; `close()` adds the manifest."""

    def __init__(self, target: str | Path | IO[bytes], *, kind: str, subject: str) -> None:
        self._zip = zipfile.ZipFile(target, "w", allowZip64=True)
        self._files: list[dict[str, Any]] = []
        self._names: set[str] = set()
        self.kind = kind
        self.subject = subject
        self._stamp = datetime.now(UTC).timetuple()[:6]

    def _info(self, path: str) -> zipfile.ZipInfo:
        if path == MANIFEST or path in self._names or path.startswith("/") or ".." in path:
            raise ValueError(f"archive path refused: {path!r}")
        self._names.add(path)
        info = zipfile.ZipInfo(path, date_time=self._stamp)
        stored = path.lower().endswith(_STORED_SUFFIXES)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        return info

    def add_bytes(self, path: str, data: bytes) -> None:
        with self._zip.open(self._info(path), "w") as out:
            out.write(data)
        self._files.append(
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        )

    def add_json(self, path: str, value: Any) -> None:
        """Pretty JSON for people; hashes cover these exact bytes."""
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        self.add_bytes(path, text.encode("utf-8"))

    def add_stream(self, path: str, chunks: Iterable[bytes], *, sha256: str | None = None) -> None:
        """Stream a file in. A content-addressed file (a photo stored under its SHA-256,
        checked when it was uploaded) passes that hash instead of being hashed again;
        `verify_archive` recomputes every hash, so stored bytes that no longer match
        their address are caught there, by name."""
        digest = None if sha256 else hashlib.sha256()
        size = 0
        with self._zip.open(self._info(path), "w", force_zip64=True) as out:
            for chunk in chunks:
                if digest is not None:
                    digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        known = sha256 or digest.hexdigest()  # type: ignore[union-attr]
        self._files.append({"path": path, "sha256": known, "size": size})

    def add_file(self, path: str, source: Path, *, sha256: str | None = None) -> None:
        def chunks() -> Iterator[bytes]:
            with source.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    yield chunk

        self.add_stream(path, chunks(), sha256=sha256)

    def close(self, created_at: str) -> dict[str, Any]:
        manifest = {
            "format": FORMAT,
            "kind": self.kind,
            "subject": self.subject,
            "created_at": created_at,
            "files": sorted(self._files, key=lambda f: f["path"]),
        }
        self._zip.writestr(MANIFEST, canonical_json(manifest).encode("utf-8"))
        self._zip.close()
        return manifest


def _problem(path: str, code: str, zh: str, en: str) -> ArchiveProblem:
    return ArchiveProblem(path=path, code=code, zh=zh, en=en)


def _hash_member(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_draw(archive: zipfile.ZipFile, name: str) -> list[ArchiveProblem]:
    from shared.draw import verify_record

    try:
        record = json.loads(archive.read(name))
    except ValueError:
        return [
            _problem(
                name,
                "archive.draw_unreadable",
                "抽签记录不是有效的JSON",
                "the draw record is not valid JSON",
            )
        ]
    if not isinstance(record, dict):
        return [
            _problem(
                name,
                "archive.draw_unreadable",
                "抽签记录不是JSON对象",
                "the draw record is not a JSON object",
            )
        ]
    record = {
        k: v
        for k, v in record.items()
        if k not in ("draw_id", "status", "record_hash", "seal_intact")
    }
    if record.get("seed") is None:
        return []  # drawn later than the archive: nothing to re-run yet
    return [
        _problem(
            name,
            "archive.draw_discrepancy",
            f"抽签复核不一致：{d.message_zh}",
            f"the draw does not re-run ({d.field}): {d.message_en}",
        )
        for d in verify_record(record)
    ]


def _check_audit(archive: zipfile.ZipFile) -> list[ArchiveProblem]:
    try:
        entries = json.loads(archive.read(AUDIT_FILE))
        breaks = excerpt_breaks(entries)
    except (ValueError, KeyError, TypeError):
        return [
            _problem(
                AUDIT_FILE,
                "archive.audit_unreadable",
                "审计摘录无法读取",
                "the audit excerpt cannot be read",
            )
        ]
    return [
        _problem(
            AUDIT_FILE,
            "archive.audit_break",
            f"审计条目 {entry_id}：{reason}",
            f"audit entry {entry_id} does not hold its hash link",
        )
        for entry_id, reason in breaks
    ]


def verify_archive(path: str | Path) -> list[ArchiveProblem]:
    """Everything wrong with the archive at `path`; empty when it is intact."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return [
            _problem(
                str(path),
                "archive.unreadable",
                "无法作为ZIP文件打开",
                "cannot be opened as a ZIP file",
            )
        ]
    with archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if MANIFEST not in names:
            return [
                _problem(MANIFEST, "archive.no_manifest", "缺少清单文件", "the manifest is missing")
            ]
        try:
            manifest = json.loads(archive.read(MANIFEST))
            listed = {entry["path"]: entry for entry in manifest["files"]}
        except (ValueError, KeyError, TypeError):
            return [
                _problem(
                    MANIFEST,
                    "archive.bad_manifest",
                    "清单文件无法读取",
                    "the manifest cannot be read",
                )
            ]
        problems: list[ArchiveProblem] = []
        if manifest.get("format") != FORMAT:
            problems.append(
                _problem(
                    MANIFEST,
                    "archive.format",
                    f"不支持的归档格式：{manifest.get('format')}",
                    "unsupported archive format",
                )
            )
        present = set(names) - {MANIFEST}
        for name in sorted(present - listed.keys()):
            problems.append(
                _problem(
                    name,
                    "archive.extra_file",
                    "清单中没有此文件（多出的文件）",
                    "a file the manifest does not list",
                )
            )
        for name in sorted(listed.keys() - present):
            problems.append(
                _problem(
                    name,
                    "archive.missing_file",
                    "清单中的文件缺失",
                    "a file the manifest lists is missing",
                )
            )
        for name in sorted(listed.keys() & present):
            digest, size = _hash_member(archive, name)
            if digest != listed[name]["sha256"] or size != listed[name]["size"]:
                problems.append(
                    _problem(
                        name,
                        "archive.altered_file",
                        "文件内容与清单中的SHA-256不符",
                        "the file does not match its SHA-256 in the manifest",
                    )
                )
        for name in sorted(
            n for n in present & listed.keys() if n.startswith(DRAW_DIR) and n.endswith(".json")
        ):
            problems.extend(_check_draw(archive, name))
        if AUDIT_FILE in present:
            problems.extend(_check_audit(archive))
        return problems
