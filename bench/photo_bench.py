"""The photo pipeline on a 12-megapixel camera JPEG, against Pillow's bare path.

    .venv/bin/python bench/photo_bench.py [--runs 7] [--long-edge 2048]

A 4000×3000 JPEG like a phone camera's (textured content, quality 92, EXIF
orientation 6, capture time with its offset, GPS) is generated once. Then, in
the same process and interleaved run by run:

- **baseline**: `Image.open` + `resize` to the same output size with the same
  filter (Lanczos) + `save` as JPEG quality 85 to a file — Pillow's bare path;
- **ours**: `mobile.photos.prepare_photo` — EXIF read, resize, orientation
  applied, CJK evidence stamp, fresh EXIF (time, offset, GPS), JPEG quality 85,
  SHA-256 of the bytes, durable write (fsync + rename) under the hash.

Reports the median ms per photo of each and `ours / baseline` (target ≤ 1.5×).
One untimed run of each comes first (font loading, file cache).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402
from PIL.ExifTags import GPS, IFD, Base  # noqa: E402

from mobile.photos import EvidenceLine, prepare_photo  # noqa: E402
from mobile.photos.pipeline import RESAMPLE  # noqa: E402

SIZE = (4000, 3000)


def camera_jpeg(path: Path) -> Path:
    """Textured like a photo (gradients, shapes, fine noise), so JPEG has real work to do."""
    noise = Image.effect_noise(SIZE, 48).convert("RGB")
    base = Image.linear_gradient("L").resize(SIZE)
    image = Image.merge(
        "RGB", (base, base.transpose(Image.Transpose.ROTATE_90).resize(SIZE), noise.getchannel(0))
    )
    draw = ImageDraw.Draw(image)
    for n in range(60):
        x, y = (n * 173) % SIZE[0], (n * 97) % SIZE[1]
        draw.rectangle((x, y, x + 300, y + 200), outline=(n * 4 % 255, 90, 200), width=6)
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(1)), noise, 0.25)
    exif = Image.Exif()
    exif[Base.Make] = "BenchCam"
    exif[Base.Orientation] = 6
    details = exif.get_ifd(IFD.Exif)
    details[Base.DateTimeOriginal] = "2026:11:30 09:41:07"
    details[Base.OffsetTimeOriginal] = "+08:00"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps.update(
        {
            GPS.GPSLatitudeRef: "N",
            GPS.GPSLatitude: (45.0, 17.0, 42.5),
            GPS.GPSLongitudeRef: "E",
            GPS.GPSLongitude: (130.0, 58.0, 3.1),
        }
    )
    image.save(path, "JPEG", quality=92, exif=exif.tobytes())
    return path


def baseline(source: Path, out: Path, long_edge: int) -> None:
    with Image.open(source) as image:
        scale = long_edge / max(image.size)
        size = (round(image.width * scale), round(image.height * scale))
        image.resize(size, RESAMPLE).save(out, "JPEG", quality=85)


def ours(source: Path, out_dir: Path, long_edge: int) -> None:
    evidence = EvidenceLine(
        taken_at=datetime.now(timezone(timedelta(hours=8))),
        task_code="JH2026-01-1234",
        badge="23030201",
        latitude=45.29,
        longitude=130.97,
    )
    prepare_photo(source, out_dir, evidence=evidence, long_edge=long_edge)


def timed(call: Callable[[], None]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--long-edge", type=int, default=2048)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = camera_jpeg(work / "camera.jpg")
        size_mb = source.stat().st_size / 1e6
        base_times: list[float] = []
        our_times: list[float] = []
        for run in range(args.runs + 1):
            out_dir = work / f"out{run}"
            elapsed_base = timed(lambda: baseline(source, work / "bare.jpg", args.long_edge))
            elapsed_ours = timed(lambda: ours(source, out_dir, args.long_edge))  # noqa: B023
            if run:  # the first run of each warms caches and loads the font
                base_times.append(elapsed_base)
                our_times.append(elapsed_ours)
        kept = next((work / f"out{args.runs}").iterdir())
        base_ms = statistics.median(base_times) * 1000
        our_ms = statistics.median(our_times) * 1000
        print(
            f"photo pipeline: 12 MP camera JPEG ({SIZE[0]}×{SIZE[1]}, {size_mb:.1f} MB) "
            f"→ long edge {args.long_edge}, median of {args.runs}"
        )
        print(f"{'':<10}{'ms/photo':>10}{'output':>12}")
        print(
            f"{'baseline':<10}{base_ms:>10.0f}{(work / 'bare.jpg').stat().st_size / 1e3:>10.0f}kB"
        )
        print(f"{'ours':<10}{our_ms:>10.0f}{kept.stat().st_size / 1e3:>10.0f}kB")
        print(f"ours / baseline: {our_ms / base_ms:.2f}× (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
