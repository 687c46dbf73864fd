"""Camera-like JPEGs for the UI tests: large, with EXIF capture time and orientation."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image


def camera_jpeg(path: Path, seed: int, size: tuple[int, int] = (3000, 2000)) -> Path:
    """A JPEG like a phone camera's: bigger than 2048 px, EXIF time and orientation 6."""
    rng = random.Random(seed)
    small = Image.frombytes("RGB", (60, 40), rng.randbytes(60 * 40 * 3))
    image = small.resize(size, Image.Resampling.BILINEAR)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° to show it upright
    exif[0x0132] = "2026:05:04 09:30:00"
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="JPEG", quality=92, exif=exif)
    return path
