"""Photo storage behind one interface (`base.AttachmentStorage`): filesystem or S3."""

from __future__ import annotations

from functools import lru_cache

from server.field.errors import STORAGE_BACKEND
from server.field.storage.base import AttachmentStorage, UploadState
from server.settings import AttachmentSettings, get_settings
from shared.errors import SuichaError

__all__ = ["AttachmentStorage", "UploadState", "attachment_storage", "build_storage"]


@lru_cache
def build_storage(settings: AttachmentSettings) -> AttachmentStorage:
    """One storage per configuration: it owns the per-photo upload locks."""
    if settings.backend == "s3":
        from server.field.storage.s3 import S3Storage

        return S3Storage(settings)
    if settings.backend != "filesystem":
        raise SuichaError(STORAGE_BACKEND, backend=settings.backend)
    from server.field.storage.filesystem import FilesystemStorage

    return FilesystemStorage(settings.directory)


def attachment_storage() -> AttachmentStorage:
    return build_storage(get_settings().attachments)
