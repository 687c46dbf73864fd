"""The archive format: a manifest of SHA-256s, draw records re-run, the audit excerpt re-linked."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.archive import AUDIT_FILE, MANIFEST, ArchiveWriter, verify_archive
from shared.audit_chain import GENESIS_HASH, entry_hash
from shared.canonical import canonical_json
from shared.draw import run_draw
from tests.shared.draw.builders import medium_input


def audit_entries(count: int) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    prev = GENESIS_HASH
    start = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    for n in range(1, count + 1):
        entry = {
            "id": n,
            "at": (start + timedelta(minutes=n)).isoformat(),
            "actor": "office",
            "action": "publication.publish",
            "entity": "task",
            "entity_id": str(n),
            "change": canonical_json({"n": n}),
            "prev_hash": prev,
        }
        entry["entry_hash"] = entry_hash(entry)
        prev = entry["entry_hash"]
        entries.append(entry)
    return entries


def make_archive(path: Path, *, audit: list[dict[str, Any]] | None = None) -> None:
    record = json.loads(json.dumps(run_draw(medium_input()), ensure_ascii=False))
    photo = path.parent / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    writer = ArchiveWriter(path, kind="task", subject="42")
    writer.add_json("plan.json", {"code": "P-1", "name": "联合抽查"})
    writer.add_bytes("draws/P-1-D1.json", json.dumps(record).encode())
    writer.add_file("photos/photo.jpg", photo)
    writer.add_json(AUDIT_FILE, audit if audit is not None else audit_entries(5))
    writer.close(created_at="2026-11-30T08:00:00+00:00")


def rewrite(
    source: Path, target: Path, change: dict[str, bytes | None], add: dict[str, bytes]
) -> None:
    """Copy an archive, replacing (bytes) or dropping (None) members, and adding others."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    new.writestr(info.filename, change[info.filename])  # type: ignore[arg-type]
                continue
            new.writestr(info, old.read(info.filename))
        for name, data in add.items():
            new.writestr(name, data)


def test_an_untouched_archive_verifies(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    make_archive(archive)
    assert verify_archive(archive) == []
    manifest = json.loads(zipfile.ZipFile(archive).read(MANIFEST))
    assert {f["path"] for f in manifest["files"]} == {
        "plan.json",
        "draws/P-1-D1.json",
        "photos/photo.jpg",
        AUDIT_FILE,
    }


def test_an_altered_photo_byte_a_dropped_file_and_an_extra_file_are_each_named(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "a.zip"
    make_archive(archive)
    photo = bytearray(zipfile.ZipFile(archive).read("photos/photo.jpg"))
    photo[100] ^= 0x01
    altered = tmp_path / "altered.zip"
    rewrite(archive, altered, {"photos/photo.jpg": bytes(photo)}, {})
    assert [(p.path, p.code) for p in verify_archive(altered)] == [
        ("photos/photo.jpg", "archive.altered_file")
    ]
    dropped = tmp_path / "dropped.zip"
    rewrite(archive, dropped, {"plan.json": None}, {})
    assert [(p.path, p.code) for p in verify_archive(dropped)] == [
        ("plan.json", "archive.missing_file")
    ]
    extra = tmp_path / "extra.zip"
    rewrite(archive, extra, {}, {"photos/planted.jpg": b"\xff\xd8\xff"})
    assert [(p.path, p.code) for p in verify_archive(extra)] == [
        ("photos/planted.jpg", "archive.extra_file")
    ]


def test_a_draw_record_that_does_not_re_run_is_caught_even_with_a_matching_manifest(
    tmp_path: Path,
) -> None:
    record = json.loads(json.dumps(run_draw(medium_input())))
    record["witness_input"] = record["witness_input"] + "改"
    archive = tmp_path / "draw.zip"
    writer = ArchiveWriter(archive, kind="plan", subject="P-1")
    writer.add_bytes("draws/P-1-D1.json", json.dumps(record).encode())
    writer.close(created_at="2026-11-30T08:00:00+00:00")
    problems = verify_archive(archive)
    assert problems and {p.code for p in problems} == {"archive.draw_discrepancy"}
    assert all(p.path == "draws/P-1-D1.json" for p in problems)


def test_an_audit_excerpt_with_a_changed_entry_breaks_its_link(tmp_path: Path) -> None:
    entries = audit_entries(4)
    entries[2]["actor"] = "someone-else"  # content no longer matches its hash
    archive = tmp_path / "audit.zip"
    make_archive(archive, audit=entries)
    problems = verify_archive(archive)
    assert [(p.path, p.code) for p in problems] == [(AUDIT_FILE, "archive.audit_break")]
    assert "审计条目 3" in problems[0].zh


def test_a_missing_manifest_and_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("plan.json", "{}")
    assert [p.code for p in verify_archive(plain)] == ["archive.no_manifest"]
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    assert [p.code for p in verify_archive(junk)] == ["archive.unreadable"]
