"""A CJK font for Kivy: resolved once, registered as the default of every widget.

Kivy's bundled Roboto draws boxes for Chinese, and Kivy's SDL2 text backend
opens face 0 of a `.ttc` collection (Japanese glyph shapes in Noto CJK). So
face 2 of Noto Sans CJK (Simplified Chinese) is extracted with fontTools into
the app's data dir once; WenQuanYi Micro Hei is the fallback. The Android
build bundles the extracted file under `mobile/app/fonts/` (see
buildozer.spec), which is looked at first.

Plain Python except `register_default_font`, so the photo pipeline can reuse
`resolve_cjk_font` with Pillow.
"""

from __future__ import annotations

import os
from pathlib import Path

FONT_NAME = "SuichaCJK"
EXTRACTED = "NotoSansCJKsc-Regular.otf"
BUNDLED_DIR = Path(__file__).with_name("fonts")
NOTO_COLLECTIONS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
)
NOTO_SC_FACE = 2
"""Face index of Simplified Chinese in Noto Sans CJK collections."""
SINGLE_FACE_FALLBACKS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)


class FontMissing(RuntimeError):
    """No Chinese-capable font could be found: the app would show boxes."""


def resolve_cjk_font(cache_dir: str | os.PathLike[str]) -> Path:
    """A font file that renders Simplified Chinese, extracting Noto's SC face once."""
    bundled = BUNDLED_DIR / EXTRACTED
    if bundled.is_file():
        return bundled
    cached = Path(cache_dir) / EXTRACTED
    if cached.is_file() and cached.stat().st_size > 0:
        return cached
    for collection in NOTO_COLLECTIONS:
        if collection.is_file():
            return extract_face(collection, NOTO_SC_FACE, cached)
    for fallback in SINGLE_FACE_FALLBACKS:
        if fallback.is_file():
            return fallback
    raise FontMissing(
        "找不到中文字体：请安装 fonts-noto-cjk 或 fonts-wqy-microhei / "
        "No Chinese font found: install fonts-noto-cjk or fonts-wqy-microhei"
    )


def extract_face(collection: Path, face: int, out: Path) -> Path:
    from fontTools.ttLib import TTCollection

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    TTCollection(str(collection)).fonts[face].save(str(tmp))
    tmp.replace(out)  # atomic: a half-written font is never picked up
    return out


def register_default_font(cache_dir: str | os.PathLike[str]) -> Path:
    """Make the CJK font Kivy's default (`Roboto` is what every widget asks for)."""
    from kivy.core.text import LabelBase

    path = str(resolve_cjk_font(cache_dir))
    LabelBase.register(FONT_NAME, path, path, path, path)
    # Every Label/TextInput/Button/Popup defaults to "Roboto": aliasing it covers them all,
    # including widgets built by Kivy itself (FileChooser, Popup titles).
    LabelBase.register("Roboto", path, path, path, path)
    return Path(path)
