"""The one interface photo storage offers, and the local spool both backends share.

Photos are content-addressed: a photo's name is the SHA-256 of its bytes. An
upload arrives in pieces (`append` at an offset, resumable after a cut) into a
local spool file; only `complete` — after the hash and the media type are
checked — makes it a visible object. A refusal changes nothing: bytes of a
refused request are cut off again, and a photo that fails its checks is
discarded whole (rule 3: keep nothing that does not match).

A partial upload belongs to the device that started it (`owner`, an opaque
hex key the upload service derives from the account and device id): another
device uploading the same photo gets a separate partial upload, so nobody can
append to, spoil or block an upload that is not theirs.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from server.field import errors
from shared.errors import SuichaError

Inspector = Callable[[BinaryIO], str]
"""Reads a complete photo from the start and returns its media type, or raises."""

_HASH_BLOCK = 1024 * 1024
_HASHES_KEPT = 10_000
"""Running hashes of partial uploads kept per process at most (a lost one is recomputed)."""
_OWNER = re.compile(r"[0-9a-f]{32}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class UploadState:
    """What the server holds of one photo."""

    offset: int
    length: int
    complete: bool


@dataclass(frozen=True)
class PartialUpload:
    """One partial upload in the spool (部分上传)."""

    owner: str
    sha256: str
    offset: int
    length: int
    touched_at: float
    """Time (epoch seconds) its last byte was written, or it was started."""


class AttachmentStorage(ABC):
    """Where photo bytes live. Every method is safe to call again (retries)."""

    swept_at: float = 0.0
    """When expired partial uploads were last removed (epoch seconds, this process)."""

    @abstractmethod
    async def state(self, sha256: str, owner: str) -> UploadState | None:
        """The photo if complete, else `owner`'s partial upload of it, else None."""

    @abstractmethod
    async def append(
        self, sha256: str, owner: str, offset: int, length: int, chunks: AsyncIterable[bytes]
    ) -> UploadState:
        """Add bytes at `offset` of `owner`'s upload of a photo of `length` bytes.

        Refuses at once (409 `attachment.offset_mismatch`, `busy`) while another
        request appends to the same upload: it never waits for it."""

    @abstractmethod
    async def complete(self, sha256: str, owner: str, inspect: Inspector) -> str:
        """Check the hash and (with `inspect`) the media type, then publish; the media type."""

    @abstractmethod
    async def exists(self, sha256: str) -> bool:
        """Whether the complete, verified photo is visible."""

    def local_path(self, sha256: str) -> Path | None:
        """The file holding a complete attachment, for bulk readers (archives), or None
        when the backend keeps no local file (S3)."""
        return None

    @abstractmethod
    async def read(self, sha256: str) -> bytes:
        """The bytes of a complete photo."""

    @abstractmethod
    async def discard(self, sha256: str, owner: str) -> None:
        """Forget `owner`'s partial upload (a complete photo is never removed)."""

    @abstractmethod
    async def partial_uploads(self, owner: str | None = None) -> list[PartialUpload]:
        """The partial uploads held, of one owner or of all."""

    @abstractmethod
    async def remove_stale(self, touched_before: float) -> list[PartialUpload]:
        """Remove partial uploads last written before `touched_before` (epoch seconds)
        and not being written now; return what was removed."""


def _busy(offset: int) -> SuichaError:
    return SuichaError(
        errors.OFFSET_MISMATCH,
        extra={"upload_offset": offset, "busy": True},
        server_offset=offset,
        offset=offset,
    )


class SpooledStorage(AttachmentStorage):
    """Partial uploads in a local spool directory; subclasses publish complete photos.

    `<spool>/<owner>/<sha>.part` holds the bytes received, `<sha>.length` the
    declared length. One request at a time appends to an upload: a second one
    is refused at once, never queued behind the first (a dead connection
    would otherwise hold every later request of the device). Within the
    process an asyncio lock is tried, between processes a non-blocking `flock`.
    """

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self._busy: set[tuple[str, str]] = set()
        self._hashes: dict[tuple[str, str], _Hashing] = {}
        """(owner, sha256) → running hash of that partial upload, in this process."""

    # --- what a backend provides

    @abstractmethod
    async def _published(self, sha256: str) -> tuple[int, str] | None:
        """Size and media type of the published photo, or None."""

    @abstractmethod
    async def _publish(self, sha256: str, path: Path, media_type: str) -> None: ...

    # --- the spool

    def _directory(self, owner: str) -> Path:
        if not _OWNER.fullmatch(owner):
            raise ValueError(f"not an owner key: {owner!r}")
        return self.spool / owner

    def _part(self, sha256: str, owner: str) -> Path:
        return self._directory(owner) / f"{sha256}.part"

    def _length_file(self, sha256: str, owner: str) -> Path:
        return self._directory(owner) / f"{sha256}.length"

    @contextlib.contextmanager
    def _claim(self, sha256: str, owner: str) -> Iterator[None]:
        """The one request working on this upload in this process; refuses a second at once."""
        key = (owner, sha256)
        if key in self._busy:
            held = self._partial_state(sha256, owner)
            raise _busy(held.offset if held else 0)
        self._busy.add(key)
        try:
            yield
        finally:
            self._busy.discard(key)

    def _partial_state(self, sha256: str, owner: str) -> UploadState | None:
        try:
            length = int(self._length_file(sha256, owner).read_text())
            offset = self._part(sha256, owner).stat().st_size
        except (FileNotFoundError, ValueError):
            return None
        return UploadState(offset=offset, length=length, complete=False)

    async def state(self, sha256: str, owner: str) -> UploadState | None:
        published = await self._published(sha256)
        if published is not None:
            return UploadState(offset=published[0], length=published[0], complete=True)
        return self._partial_state(sha256, owner)

    async def exists(self, sha256: str) -> bool:
        return await self._published(sha256) is not None

    async def discard(self, sha256: str, owner: str) -> None:
        with self._claim(sha256, owner):
            self._remove_partial(sha256, owner)

    def _remove_partial(self, sha256: str, owner: str) -> None:
        self._hashes.pop((owner, sha256), None)
        self._part(sha256, owner).unlink(missing_ok=True)
        self._length_file(sha256, owner).unlink(missing_ok=True)
        # The device's folder stays: removing it could race with its next upload.

    async def append(
        self, sha256: str, owner: str, offset: int, length: int, chunks: AsyncIterable[bytes]
    ) -> UploadState:
        # A complete photo answers at once, whoever else is uploading it.
        published = await self._published(sha256)
        if published is not None:
            return UploadState(offset=published[0], length=published[0], complete=True)
        with self._claim(sha256, owner):
            held = self._partial_state(sha256, owner)
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
            written = await self._write(sha256, owner, offset, length, chunks, new=held is None)
            return UploadState(offset=written, length=length, complete=False)

    async def _write(
        self,
        sha256: str,
        owner: str,
        offset: int,
        length: int,
        chunks: AsyncIterable[bytes],
        *,
        new: bool,
    ) -> int:
        self._directory(owner).mkdir(parents=True, exist_ok=True)
        part = self._part(sha256, owner)
        position = offset
        with part.open("ab") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise _busy(offset) from None
            if new:
                self._length_file(sha256, owner).write_text(str(length))
            # The SHA-256 of the bytes held, carried on as new ones arrive, so that
            # completion does not read the photo again to hash it.
            digest = await self._digest_at(sha256, owner, handle, offset)
            before = digest.copy()
            try:
                async for chunk in chunks:
                    if position + len(chunk) > length:
                        raise SuichaError(
                            errors.TOO_LARGE, size=position + len(chunk), limit=length
                        )
                    handle.write(chunk)
                    # To the OS at once: HEAD shows what arrived even while the body
                    # is still coming (or has stalled).
                    handle.flush()
                    digest.update(chunk)
                    position += len(chunk)
            except SuichaError:
                # A refused request leaves what was held before it, exactly.
                handle.truncate(offset)
                position, digest = offset, before
                if new:
                    handle.close()
                    self._remove_partial(sha256, owner)
                raise
            finally:
                if not handle.closed:
                    handle.flush()
                    # An answered offset is durable: the bytes that arrived (also
                    # before a cut or stalled connection) are on disk before the
                    # answer, and the device resumes from them. The request that
                    # brings the last byte skips this fsync: completion publishes the
                    # photo with one fsync of the whole file (filesystem) or its
                    # upload to S3, before the answer.
                    if position < length:
                        await asyncio.to_thread(os.fsync, handle.fileno())
                    if len(self._hashes) >= _HASHES_KEPT:  # e.g. uploads another worker ended
                        self._hashes.clear()
                    self._hashes[(owner, sha256)] = _Hashing(
                        digest, _identity(os.fstat(handle.fileno()))
                    )
        return position

    async def _digest_at(self, sha256: str, owner: str, handle: BinaryIO, offset: int) -> Any:
        """The running hash of the `offset` bytes held: kept from the previous request of
        this upload in this process, or computed from the partial file (after a restart,
        or when another process wrote the last bytes)."""
        kept = self._hashes.pop((owner, sha256), None)
        if offset == 0:
            return hashlib.sha256()
        info = os.fstat(handle.fileno())
        if kept is not None and kept.file == _identity(info) and info.st_size == offset:
            return kept.digest
        return await asyncio.to_thread(_hash_prefix, self._part(sha256, owner), offset)

    async def complete(self, sha256: str, owner: str, inspect: Inspector) -> str:
        published = await self._published(sha256)
        if published is not None:
            return published[1]
        with self._claim(sha256, owner):
            published = await self._published(sha256)
            if published is not None:
                return published[1]
            held = self._partial_state(sha256, owner)
            if held is None or held.offset != held.length:
                offset = held.offset if held else 0
                raise SuichaError(
                    errors.OFFSET_MISMATCH,
                    extra={"upload_offset": offset},
                    server_offset=offset,
                    offset=held.length if held else 0,
                )
            part = self._part(sha256, owner)
            kept = self._hashes.pop((owner, sha256), None)
            digest = None
            if kept is not None and kept.file == _identity(part.stat()):
                digest = kept.digest.hexdigest()
            try:
                media_type = await asyncio.to_thread(_verify, part, sha256, inspect, digest)
            except SuichaError:
                self._remove_partial(sha256, owner)
                raise
            await self._publish(sha256, part, media_type)
            self._remove_partial(sha256, owner)
            return media_type

    async def partial_uploads(self, owner: str | None = None) -> list[PartialUpload]:
        return await asyncio.to_thread(self._scan, owner)

    def _scan(self, owner: str | None) -> list[PartialUpload]:
        if owner is not None:
            directories = [self._directory(owner)]
        elif self.spool.is_dir():
            directories = [d for d in self.spool.iterdir() if _OWNER.fullmatch(d.name)]
        else:
            directories = []
        found = []
        for directory in directories:
            if not directory.is_dir():
                continue
            for part in directory.glob("*.part"):
                sha256 = part.name.removesuffix(".part")
                if not _SHA256.fullmatch(sha256):
                    continue
                try:
                    length = int((directory / f"{sha256}.length").read_text())
                    stat = part.stat()
                except (FileNotFoundError, ValueError):
                    continue
                found.append(
                    PartialUpload(directory.name, sha256, stat.st_size, length, stat.st_mtime)
                )
        return found

    async def remove_stale(self, touched_before: float) -> list[PartialUpload]:
        removed = []
        for upload in await self.partial_uploads():
            if upload.touched_at >= touched_before:
                continue
            try:
                with self._claim(upload.sha256, upload.owner):
                    if self._remove_unless_written(upload, touched_before):
                        removed.append(upload)
            except SuichaError:
                continue  # being written to right now: not stale
        return removed

    def _remove_unless_written(self, upload: PartialUpload, touched_before: float) -> bool:
        part = self._part(upload.sha256, upload.owner)
        try:
            handle = part.open("rb")
        except FileNotFoundError:
            return False
        with handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # another process is writing it
            if part.stat().st_mtime >= touched_before:
                return False
            self._remove_partial(upload.sha256, upload.owner)
        return True


def owner_key(account: int, device_id: str) -> str:
    """The spool key of one device of one account (a partial upload's owner)."""
    return hashlib.sha256(f"{account}\n{device_id}".encode()).hexdigest()[:32]


def _verify(path: Path, sha256: str, inspect: Inspector, digest: str | None) -> str:
    """Check the hash (hashed while streaming when `digest` is given, else now) and the
    media type of a fully received photo."""
    with path.open("rb") as handle:
        if digest is None:
            hashing = hashlib.sha256()
            while block := handle.read(_HASH_BLOCK):
                hashing.update(block)
            digest = hashing.hexdigest()
            handle.seek(0)
        if digest != sha256:
            raise SuichaError(errors.HASH_MISMATCH)
        return inspect(handle)


@dataclass(frozen=True)
class _Hashing:
    """The running hash of a partial upload and the state of the file it covers."""

    digest: Any
    """A `hashlib.sha256()` object."""
    file: tuple[int, int, int]


def _identity(info: os.stat_result) -> tuple[int, int, int]:
    """(inode, size, mtime in ns) of the partial file: a write by another process, a
    truncation or a new file under the same name changes it, so a kept hash is used
    only for exactly the bytes it covers."""
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _hash_prefix(path: Path, length: int) -> Any:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        left = length
        while left > 0 and (block := handle.read(min(_HASH_BLOCK, left))):
            digest.update(block)
            left -= len(block)
    return digest
