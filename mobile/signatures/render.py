"""Strokes → PNG with Pillow: dark ink on white, the same bytes for the same strokes."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw

from mobile.signatures.errors import PAD_SIZE
from mobile.signatures.strokes import Point
from shared.errors import SuichaError

INK = (20, 20, 60)
SIZE_BOUNDS = (64, 4096)


def render_png(strokes: Sequence[Sequence[Point]], width: int, height: int) -> bytes:
    """The signature as a PNG of `width`×`height` pixels.

    Points are normalised with the origin at the bottom left (Kivy's touch
    coordinates); images have it at the top left, hence the flip of y. Pillow's
    PNG encoder writes no time stamp, so equal strokes give equal bytes (and
    the same content address).
    """
    low, high = SIZE_BOUNDS
    if not (low <= width <= high and low <= height <= high):
        raise SuichaError(PAD_SIZE, low=low, high=high, width=width, height=height)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    pen = max(2, round(min(width, height) / 120))
    for stroke in strokes:
        points = [(x * (width - 1), (1.0 - y) * (height - 1)) for x, y in stroke]
        if len(points) == 1 or all(p == points[0] for p in points):
            cx, cy = points[0]
            r = pen / 2
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=INK)
            continue
        draw.line(points, fill=INK, width=pen, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()
