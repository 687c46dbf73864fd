"""What a photo is, judged from its bytes (never from what the device claims)."""

from __future__ import annotations

import warnings
from typing import BinaryIO

from PIL import Image

from server.field import errors
from shared.errors import SuichaError

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAGIC_LENGTH = len(PNG_MAGIC)
_PILLOW_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


def sniff_media_type(head: bytes) -> str | None:
    """`image/jpeg` or `image/png` from the first bytes, else None."""
    if head.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if head.startswith(PNG_MAGIC):
        return "image/png"
    return None


def check_head(head: bytes) -> None:
    """Refuse early when the first bytes already show the upload is no JPEG or PNG."""
    if len(head) >= MAGIC_LENGTH and sniff_media_type(head) is None:
        raise SuichaError(
            errors.MEDIA_TYPE,
            reason=f"文件头为{head[:MAGIC_LENGTH].hex()}",
            reason_en=f"the file starts with {head[:MAGIC_LENGTH].hex()}",
        )


def inspect_photo(handle: BinaryIO) -> str:
    """The media type of a complete photo: magic bytes, then Pillow's structural check."""
    head = handle.read(MAGIC_LENGTH)
    media_type = sniff_media_type(head)
    if media_type is None:
        check_head(head.ljust(MAGIC_LENGTH, b"\0"))
    handle.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(handle) as image:
                image_format = image.format
                image.verify()
    except Exception as error:  # Pillow raises many kinds for broken files
        raise SuichaError(
            errors.MEDIA_TYPE, reason="图像已损坏", reason_en=f"the image is damaged ({error})"
        ) from None
    if _PILLOW_FORMATS.get(image_format or "") != media_type:
        raise SuichaError(
            errors.MEDIA_TYPE,
            reason=f"内容为{image_format}",
            reason_en=f"the content is {image_format}",
        )
    return media_type  # type: ignore[return-value]
