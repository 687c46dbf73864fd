"""Resumable, content-addressed photo uploads (rule 3).

Bytes go to attachment storage as they arrive (never the whole body in
memory); when the declared length is reached the storage checks the SHA-256
and the media type and publishes the photo, and the photo gets its
`Attachment` row (with an audit entry) in one write transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from datetime import UTC, datetime

from server.accounts.principal import Principal
from server.audit.log import append as audit
from server.db.transaction import write_transaction
from server.field import errors, queries
from server.field.media import MAGIC_LENGTH, check_head, inspect_photo
from server.field.results import SHA256_PATTERN
from server.field.storage import UploadState, attachment_storage
from server.settings import get_settings
from shared.errors import SuichaError
from shared.sync.protocol import ATTACHMENT_CONTENT_TYPE


def check_sha(sha256: str) -> None:
    if not SHA256_PATTERN.match(sha256):
        raise SuichaError(errors.BAD_SHA256, sha256=sha256[:80])


def parse_length_header(name: str, value: str | None) -> int:
    if value is None or not value.strip().isdigit():
        raise SuichaError(errors.BAD_HEADER, header=name)
    return int(value.strip())


async def upload_state(principal: Principal, sha256: str) -> UploadState | None:
    """What the server holds of a photo (HEAD)."""
    check_sha(sha256)
    state = await attachment_storage().state(sha256)
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
    limit = get_settings().attachments.max_photo_bytes
    if length > limit:
        raise SuichaError(errors.TOO_LARGE, size=length, limit=limit)
    if length == 0:
        raise SuichaError(errors.BAD_HEADER, header="Upload-Length")
    storage = attachment_storage()
    body = _checked_head(chunks) if offset == 0 else chunks
    state = await storage.append(sha256, offset, length, body)
    if not state.complete and state.offset == state.length:
        state = UploadState(offset=length, length=length, complete=True)
        await _register(principal, sha256, length)
    elif state.complete:
        await _register(principal, sha256, state.length)
    return state


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
    media_type = await attachment_storage().complete(sha256, inspect_photo)
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
