"""The inspection code's QR as a PNG for the full-screen 亮码 screen (segno, no window)."""

from __future__ import annotations

import io

import segno


def qr_png(url: str, scale: int = 10) -> bytes:
    """A PNG of the QR holding `url` (`/check/{code}?s=…`), quiet zone included."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
