"""Resumable, content-addressed photo uploads (rule 3).

Bytes go to attachment storage as they arrive (never the whole body in
memory); when the declared length is reached the storage checks the SHA-256
and the media type and publishes the photo, and the photo gets its
`Attachment` row (with an audit entry) in one write transaction.

A partial upload belongs to the device (account and device id) that started
it; another device sending the same photo makes its own. A body that stops
arriving is ended after an idle timeout, keeping what arrived; partial
uploads expire; a device may hold only so many bytes in partial uploads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterable, AsyncIterator
from datetime import UTC, datetime

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.field import errors, queries
from server.field.media import MAGIC_LENGTH, check_head, inspect_photo
from server.field.results import SHA256_PATTERN
from server.field.storage import AttachmentStorage, UploadState, attachment_storage
from server.field.storage.base import PartialUpload, owner_key
from server.settings import AttachmentSettings, get_settings
from shared.errors import SuichaError
from shared.sync.protocol import ATTACHMENT_CONTENT_TYPE

log = logging.getLogger(__name__)


class BodyStalled(Exception):
    """The request body stopped arriving (idle timeout) or took too long in all."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no body bytes for {seconds} s")
        self.seconds = seconds


def check_sha(sha256: str) -> None:
    if not SHA256_PATTERN.fullmatch(sha256):
        raise SuichaError(errors.BAD_SHA256, sha256=sha256[:80])


def parse_length_header(name: str, value: str | None) -> int:
    text = (value or "").strip()
    # ASCII digits only ("²".isdigit() is true), and within the 64-bit range.
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise SuichaError(errors.BAD_HEADER, header=name)
    return int(text)


def owner_of(principal: Principal) -> str:
    """A partial upload's owner: the device of the account (survives a new login)."""
    return owner_key(principal.user_id, principal.device_id)


async def upload_state(principal: Principal, sha256: str) -> UploadState | None:
    """What the server holds of a photo for this device (HEAD)."""
    check_sha(sha256)
    state = await attachment_storage().state(sha256, owner_of(principal))
    if state is not None and state.complete:
        await _register(principal, sha256, state.length)
    return state


async def append(
    principal: Principal,
    sha256: str,
    *,
    offset_header: str | None,
    length_header: str | None,
    content_type: str | None,
    chunks: AsyncIterable[bytes],
) -> UploadState:
    """Append the body at the given offset; completes the photo on its last byte (PATCH)."""
    check_sha(sha256)
    if (content_type or "").split(";")[0].strip().lower() != ATTACHMENT_CONTENT_TYPE:
        raise SuichaError(errors.CONTENT_TYPE)
    offset = parse_length_header("Upload-Offset", offset_header)
    length = parse_length_header("Upload-Length", length_header)
    settings = get_settings().attachments
    if length > settings.max_photo_bytes:
        raise SuichaError(errors.TOO_LARGE, size=length, limit=settings.max_photo_bytes)
    if length == 0:
        raise SuichaError(errors.BAD_HEADER, header="Upload-Length")
    storage = attachment_storage()
    owner = owner_of(principal)
    await sweep_if_due(storage, settings)
    await _check_quota(storage, settings, owner, sha256, length)
    timed = _with_idle_timeout(chunks, settings.body_idle_seconds, settings.body_max_seconds)
    body = _checked_head(timed) if offset == 0 else timed
    try:
        state = await storage.append(sha256, owner, offset, length, body)
    except BodyStalled as stalled:
        held = await storage.state(sha256, owner)
        raise SuichaError(
            errors.IDLE_TIMEOUT,
            extra={"upload_offset": held.offset if held else 0},
            seconds=stalled.seconds,
            offset=held.offset if held else 0,
        ) from None
    if not state.complete and state.offset == state.length:
        state = UploadState(offset=length, length=length, complete=True)
        await _register(principal, sha256, length)
    elif state.complete:
        await _register(principal, sha256, state.length)
    return state


async def _check_quota(
    storage: AttachmentStorage, settings: AttachmentSettings, owner: str, sha256: str, length: int
) -> None:
    """Refuse a photo that would take the device's partial uploads over its quota.

    Declared lengths count (not bytes received), so a device can never stream
    past its quota; the photo being resumed counts once."""
    held = sum(p.length for p in await storage.partial_uploads(owner) if p.sha256 != sha256)
    quota = settings.device_partial_bytes
    if held + length > quota:
        raise SuichaError(
            errors.QUOTA_EXCEEDED,
            extra={"held_bytes": held, "quota_bytes": quota},
            held=held,
            length=length,
            quota=quota,
        )


async def _with_idle_timeout(
    chunks: AsyncIterable[bytes], idle: float, longest: float
) -> AsyncIterator[bytes]:
    """The body, ended by `BodyStalled` when no byte comes for `idle` seconds or the
    whole body takes longer than `longest` (a trickle must not hold the upload either)."""
    deadline = time.monotonic() + longest
    iterator = aiter(chunks)
    while True:
        wait = min(idle, deadline - time.monotonic())
        if wait <= 0:
            raise BodyStalled(longest)
        try:
            async with asyncio.timeout(wait):
                chunk = await anext(iterator)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise BodyStalled(idle if wait == idle else longest) from None
        yield chunk


async def sweep_if_due(storage: AttachmentStorage, settings: AttachmentSettings) -> None:
    """Remove expired partial uploads, at most once per sweep interval per storage."""
    now = time.time()
    if now - storage.swept_at < settings.sweep_interval_seconds:
        return
    storage.swept_at = now
    await remove_expired(storage, settings, now)


async def sweep_periodically() -> None:
    """Remove expired partial uploads in the background, every sweep interval, for as
    long as the server runs (a tablet that never comes back leaves nothing behind)."""
    while True:
        settings = get_settings().attachments
        try:
            await sweep_if_due(attachment_storage(), settings)
        except Exception:  # a failed sweep is tried again; it must not end the loop
            log.exception("sweeping expired partial uploads failed")
        await asyncio.sleep(max(settings.sweep_interval_seconds, 0.05))


@contextlib.asynccontextmanager
async def partial_upload_sweeper(_: object) -> AsyncIterator[None]:
    """The app's lifespan part that runs `sweep_periodically`."""
    task = asyncio.create_task(sweep_periodically())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def remove_expired(
    storage: AttachmentStorage, settings: AttachmentSettings, now: float
) -> list[PartialUpload]:
    """Remove partial uploads not written for the expiry time, with an audit entry each."""
    removed = await storage.remove_stale(now - settings.partial_expiry_seconds)
    if removed:
        async with write_transaction():
            for upload in removed:
                await audit(
                    actor="system",
                    action="field.attachment.partial_expired",
                    entity="attachment",
                    entity_id=upload.sha256,
                    change={
                        "owner": upload.owner,
                        "offset": upload.offset,
                        "length": upload.length,
                    },
                )
    return removed


async def _checked_head(chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    """Pass the body through, refusing it before its first byte is stored if it is no photo."""
    head = b""
    checked = False
    async for chunk in chunks:
        if checked:
            if chunk:
                yield chunk
            continue
        head += chunk
        if len(head) >= MAGIC_LENGTH:
            check_head(head)
            checked = True
            yield head
    if not checked and head:
        yield head  # too short to judge here: the check at completion decides


async def _register(principal: Principal, sha256: str, size: int) -> None:
    """Verify and publish a fully received photo, then record it (once)."""
    media_type = await attachment_storage().complete(sha256, owner_of(principal), inspect_photo)
    if await queries.attachment(sha256) is not None:
        return
    async with write_transaction():
        # Racing uploads of one photo both get here; only the first records it.
        inserted = await queries.insert_attachment(
            sha256=sha256,
            size=size,
            media_type=media_type,
            user=principal.user_id,
            device_id=principal.device_id,
            completed_at=datetime.now(UTC),
        )
        if not inserted:
            return
        await audit(
            actor=principal.username,
            action="field.attachment.complete",
            entity="attachment",
            entity_id=sha256,
            change={"size": size, "media_type": media_type, "device": principal.device_id},
        )


async def read(sha256: str) -> tuple[bytes, str]:
    check_sha(sha256)
    row = await queries.attachment(sha256)
    if row is None:
        raise SuichaError(errors.ATTACHMENT_UNKNOWN, sha256=sha256)
    return await attachment_storage().read(sha256), row["media_type"]
