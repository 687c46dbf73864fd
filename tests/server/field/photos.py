"""Real photo bytes for upload tests."""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image


def png(size: int = 160, seed: int = 1) -> bytes:
    """A PNG of noise (incompressible, so `size`² × 3 bytes or so)."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (size, size), rng.randbytes(size * size * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg(size: int = 64, seed: int = 2) -> bytes:
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (size, size), rng.randbytes(size * size * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="GIF")
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
