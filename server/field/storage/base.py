"""The one interface photo storage offers, and the local spool both backends share.

Photos are content-addressed: a photo's name is the SHA-256 of its bytes. An
upload arrives in pieces (`append` at an offset, resumable after a cut) into a
local spool file; only `complete` — after the hash and the media type are
checked — makes it a visible object. A refusal changes nothing: bytes of a
refused request are cut off again, and a photo that fails its checks is
discarded whole (rule 3: keep nothing that does not match).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from server.field import errors
from shared.errors import SuichaError

Inspector = Callable[[BinaryIO], str]
"""Reads a complete photo from the start and returns its media type, or raises."""

_HASH_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class UploadState:
    """What the server holds of one photo."""

    offset: int
    length: int
    complete: bool


class AttachmentStorage(ABC):
    """Where photo bytes live. Every method is safe to call again (retries)."""

    @abstractmethod
    async def state(self, sha256: str) -> UploadState | None:
        """The held offset and declared length, or None when nothing is held."""

    @abstractmethod
    async def append(
        self, sha256: str, offset: int, length: int, chunks: AsyncIterable[bytes]
    ) -> UploadState:
        """Add bytes at `offset` of a photo of `length` bytes; return the new state."""

    @abstractmethod
    async def complete(self, sha256: str, inspect: Inspector) -> str:
        """Check the hash and (with `inspect`) the media type, then publish; the media type."""

    @abstractmethod
    async def exists(self, sha256: str) -> bool:
        """Whether the complete, verified photo is visible."""

    @abstractmethod
    async def read(self, sha256: str) -> bytes:
        """The bytes of a complete photo."""

    @abstractmethod
    async def discard(self, sha256: str) -> None:
        """Forget a partial upload (a complete photo is never removed)."""


class SpooledStorage(AttachmentStorage):
    """Partial uploads in a local spool directory; subclasses publish complete photos.

    `<spool>/<sha>.part` holds the bytes received, `<sha>.length` the declared
    length. Appends to one photo are serialised by an asyncio lock within the
    process and a non-blocking `flock` between processes (a second writer is
    told the offset moved, and asks again).
    """

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    # --- what a backend provides

    @abstractmethod
    async def _published(self, sha256: str) -> tuple[int, str] | None:
        """Size and media type of the published photo, or None."""

    @abstractmethod
    async def _publish(self, sha256: str, path: Path, media_type: str) -> None: ...

    # --- the spool

    def _part(self, sha256: str) -> Path:
        return self.spool / f"{sha256}.part"

    def _length_file(self, sha256: str) -> Path:
        return self.spool / f"{sha256}.length"

    @contextlib.asynccontextmanager
    async def _lock(self, sha256: str) -> AsyncIterator[None]:
        """One writer per photo in this process; the lock is dropped when nobody holds or waits."""
        lock, users = self._locks.get(sha256, (asyncio.Lock(), 0))
        self._locks[sha256] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[sha256]
            if users == 1:
                del self._locks[sha256]
            else:
                self._locks[sha256] = (lock, users - 1)

    def _partial_state(self, sha256: str) -> UploadState | None:
        try:
            length = int(self._length_file(sha256).read_text())
            offset = self._part(sha256).stat().st_size
        except (FileNotFoundError, ValueError):
            return None
        return UploadState(offset=offset, length=length, complete=False)

    async def state(self, sha256: str) -> UploadState | None:
        published = await self._published(sha256)
        if published is not None:
            return UploadState(offset=published[0], length=published[0], complete=True)
        return self._partial_state(sha256)

    async def exists(self, sha256: str) -> bool:
        return await self._published(sha256) is not None

    async def discard(self, sha256: str) -> None:
        async with self._lock(sha256):
            self._remove_partial(sha256)

    def _remove_partial(self, sha256: str) -> None:
        self._part(sha256).unlink(missing_ok=True)
        self._length_file(sha256).unlink(missing_ok=True)

    async def append(
        self, sha256: str, offset: int, length: int, chunks: AsyncIterable[bytes]
    ) -> UploadState:
        async with self._lock(sha256):
            published = await self._published(sha256)
            if published is not None:
                return UploadState(offset=published[0], length=published[0], complete=True)
            held = self._partial_state(sha256)
            if held is not None and held.length != length:
                raise SuichaError(errors.LENGTH_MISMATCH, length=length, held=held.length)
            current = held.offset if held else 0
            if offset != current:
                raise SuichaError(
                    errors.OFFSET_MISMATCH,
                    extra={"upload_offset": current},
                    server_offset=current,
                    offset=offset,
                )
            written = await self._write(sha256, offset, length, chunks, new=held is None)
            return UploadState(offset=written, length=length, complete=False)

    async def _write(
        self, sha256: str, offset: int, length: int, chunks: AsyncIterable[bytes], *, new: bool
    ) -> int:
        self.spool.mkdir(parents=True, exist_ok=True)
        part = self._part(sha256)
        position = offset
        with part.open("ab") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SuichaError(
                    errors.OFFSET_MISMATCH,
                    extra={"upload_offset": offset},
                    server_offset=offset,
                    offset=offset,
                ) from None
            if new:
                self._length_file(sha256).write_text(str(length))
            try:
                async for chunk in chunks:
                    if position + len(chunk) > length:
                        raise SuichaError(
                            errors.TOO_LARGE, size=position + len(chunk), limit=length
                        )
                    handle.write(chunk)
                    position += len(chunk)
            except SuichaError:
                # A refused request leaves what was held before it, exactly.
                handle.truncate(offset)
                if new:
                    handle.close()
                    self._remove_partial(sha256)
                raise
            finally:
                # Bytes that arrived before a cut connection are kept: the
                # device resumes from them.
                if not handle.closed:
                    handle.flush()
                    await asyncio.to_thread(os.fsync, handle.fileno())
        return position

    async def complete(self, sha256: str, inspect: Inspector) -> str:
        async with self._lock(sha256):
            published = await self._published(sha256)
            if published is not None:
                return published[1]
            held = self._partial_state(sha256)
            if held is None or held.offset != held.length:
                offset = held.offset if held else 0
                raise SuichaError(
                    errors.OFFSET_MISMATCH,
                    extra={"upload_offset": offset},
                    server_offset=offset,
                    offset=held.length if held else 0,
                )
            part = self._part(sha256)
            try:
                media_type = await asyncio.to_thread(_verify, part, sha256, inspect)
            except SuichaError:
                self._remove_partial(sha256)
                raise
            await self._publish(sha256, part, media_type)
            self._remove_partial(sha256)
            return media_type


def _verify(path: Path, sha256: str, inspect: Inspector) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
        if digest.hexdigest() != sha256:
            raise SuichaError(errors.HASH_MISMATCH)
        handle.seek(0)
        return inspect(handle)
