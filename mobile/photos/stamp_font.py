"""The CJK font of the evidence stamp, for Pillow.

Same files as the app's Kivy font (`mobile.app.fonts`), but Pillow opens a
face of a `.ttc` collection by index, so Noto CJK needs no extraction here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from mobile.app.fonts import (
    BUNDLED_DIR,
    EXTRACTED,
    NOTO_COLLECTIONS,
    NOTO_SC_FACE,
    SINGLE_FACE_FALLBACKS,
    FontMissing,
)

StampFont = ImageFont.FreeTypeFont


def _candidates() -> list[tuple[Path, int]]:
    return [
        (BUNDLED_DIR / EXTRACTED, 0),
        *((path, NOTO_SC_FACE) for path in NOTO_COLLECTIONS),
        *((path, 0) for path in SINGLE_FACE_FALLBACKS),
    ]


@lru_cache(maxsize=8)
def stamp_font(size: int) -> StampFont:
    """A Simplified-Chinese-capable font at `size` pixels (cached: photos come in runs)."""
    for path, index in _candidates():
        if path.is_file():
            return ImageFont.truetype(str(path), size, index=index)
    raise FontMissing(
        "找不到中文字体：请安装 fonts-noto-cjk 或 fonts-wqy-microhei / "
        "No Chinese font found: install fonts-noto-cjk or fonts-wqy-microhei"
    )
