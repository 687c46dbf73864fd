"""Photos as files: `<directory>/objects/ab/abcdef…`, partial uploads in `<directory>/partial`."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from server.field.media import sniff_media_type
from server.field.storage.base import SpooledStorage


class FilesystemStorage(SpooledStorage):
    """The default backend: one disk. Publication is an atomic rename on that disk."""

    def __init__(self, directory: Path) -> None:
        # The spool sits under the same directory so the rename stays on one filesystem.
        super().__init__(directory / "partial")
        self.objects = directory / "objects"

    def _object(self, sha256: str) -> Path:
        return self.objects / sha256[:2] / sha256

    async def _published(self, sha256: str) -> tuple[int, str] | None:
        path = self._object(sha256)
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                head = handle.read(16)
        except FileNotFoundError:
            return None
        return size, sniff_media_type(head) or "application/octet-stream"

    async def _publish(self, sha256: str, path: Path, media_type: str) -> None:
        target = self._object(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(_durable_rename, path, target)

    def local_path(self, sha256: str) -> Path | None:
        return self._object(sha256)

    async def read(self, sha256: str) -> bytes:
        return await asyncio.to_thread(self._object(sha256).read_bytes)


def _durable_rename(source: Path, target: Path) -> None:
    with source.open("rb") as handle:
        os.fsync(handle.fileno())
    source.replace(target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
