"""The photo pipeline (照片处理): what the camera gave → the JPEG kept and sent.

In order: read the capture time and GPS from the source's EXIF; resize to the
long edge (before rotating: the long edge is the same either way and rotating
the small image is cheaper); apply the EXIF orientation; stamp a small visible
evidence line (time, task code, inspector badge) on a dimmed band; encode as
JPEG (quality 85 by default) with a fresh EXIF block carrying the capture
time (with its UTC offset) and GPS, orientation reset to normal, no stale
thumbnail; hash the encoded bytes; write them durably under their SHA-256.

The bytes hashed are the bytes written, which are the bytes `Store.add_photo`
files and the sync engine uploads: the SHA-256 recorded is the one of what is
sent.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, UnidentifiedImageError
from PIL.ExifTags import GPS, IFD, Base

from mobile.photos.errors import LONG_EDGE_RANGE, PHOTO_UNREADABLE, QUALITY_RANGE
from mobile.photos.stamp_font import stamp_font
from mobile.sync.store import write_durably
from shared.errors import SuichaError

MEDIA_TYPE = "image/jpeg"
LONG_EDGE_BOUNDS = (320, 8192)
QUALITY_BOUNDS = (30, 95)
RESAMPLE = Image.Resampling.LANCZOS
EXIF_TIME = "%Y:%m:%d %H:%M:%S"
STAMP_SHADE = 0.55
"""How much the band behind the evidence line is darkened (0 none, 1 black)."""


@dataclass(frozen=True)
class EvidenceLine:
    """What the visible stamp says, and the fallbacks when the source's EXIF has none."""

    taken_at: datetime
    task_code: str
    badge: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class PreparedPhoto:
    path: Path
    sha256: str
    size: int
    media_type: str
    taken_at: datetime
    """Capture time: the source's EXIF time when it has one, else the evidence time."""
    latitude: float | None
    longitude: float | None
    width: int
    height: int

    @property
    def location(self) -> dict[str, float] | None:
        """As `Store.add_photo` and the protocol's `Location` want it."""
        if self.latitude is None or self.longitude is None:
            return None
        return {"lat": self.latitude, "lon": self.longitude}


def prepare_photo(
    source: Path,
    dest_dir: Path,
    *,
    evidence: EvidenceLine,
    long_edge: int = 2048,
    quality: int = 85,
) -> PreparedPhoto:
    """Process `source` into `dest_dir/<sha256>.jpg`; the source is left untouched."""
    _check_range(LONG_EDGE_RANGE, long_edge, LONG_EDGE_BOUNDS)
    _check_range(QUALITY_RANGE, quality, QUALITY_BOUNDS)
    try:
        image = Image.open(source)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise SuichaError(PHOTO_UNREADABLE, name=Path(source).name) from error
    with image:
        exif = image.getexif()
        taken_at = _exif_time(exif, evidence.taken_at) or evidence.taken_at
        latitude, longitude = _exif_gps(exif) or (evidence.latitude, evidence.longitude)
        out = _oriented(_resized(_rgb(image), long_edge), exif.get(Base.Orientation, 1))
        _stamp(out, _evidence_text(evidence, taken_at))
        data = _encode(out, quality, _exif_bytes(exif, taken_at, latitude, longitude))
    digest = hashlib.sha256(data).hexdigest()
    dest_dir.mkdir(parents=True, exist_ok=True)
    path = dest_dir / f"{digest}.jpg"
    if not path.exists():
        write_durably(path, data)
    return PreparedPhoto(
        path=path,
        sha256=digest,
        size=len(data),
        media_type=MEDIA_TYPE,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
        width=out.width,
        height=out.height,
    )


def _check_range(spec: Any, value: int, bounds: tuple[int, int]) -> None:
    if not bounds[0] <= value <= bounds[1]:
        raise SuichaError(spec, low=bounds[0], high=bounds[1], value=value)


# -- pixels ----------------------------------------------------------------------------


def _rgb(image: Image.Image) -> Image.Image:
    """RGB for JPEG; transparency (a PNG screenshot) goes on white, not black."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _resized(image: Image.Image, long_edge: int) -> Image.Image:
    width, height = image.size
    scale = long_edge / max(width, height)
    if scale >= 1:
        return image  # never enlarged
    return image.resize((max(1, round(width * scale)), max(1, round(height * scale))), RESAMPLE)


_TRANSPOSES = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
"""EXIF orientation → the transpose that shows the picture upright (as ImageOps does)."""


def _oriented(image: Image.Image, orientation: Any) -> Image.Image:
    method = _TRANSPOSES.get(orientation) if isinstance(orientation, int) else None
    return image.transpose(method) if method is not None else image


def _stamp(image: Image.Image, text: str) -> None:
    """A one-line stamp at the bottom left, on a dimmed band (legible on any picture)."""
    size = max(14, max(image.size) // 64)
    font = stamp_font(size)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    pad = max(4, size // 3)
    band_h = bottom - top + 2 * pad
    band_w = min(image.width, right - left + 2 * pad)
    box = (0, image.height - band_h, band_w, image.height)
    band = image.crop(box)
    image.paste(Image.blend(band, Image.new("RGB", band.size, (0, 0, 0)), STAMP_SHADE), box)
    draw.text((pad - left, image.height - band_h + pad - top), text, font=font, fill="white")


def _evidence_text(evidence: EvidenceLine, taken_at: datetime) -> str:
    when = taken_at.strftime("%Y-%m-%d %H:%M")
    return f"{when}  任务 {evidence.task_code}  执法证号 {evidence.badge}"


# -- EXIF ------------------------------------------------------------------------------


def _exif_time(exif: Image.Exif, fallback: datetime) -> datetime | None:
    """DateTimeOriginal (with OffsetTimeOriginal when present, else the fallback's zone)."""
    details = exif.get_ifd(IFD.Exif)
    raw = details.get(Base.DateTimeOriginal) or exif.get(Base.DateTime)
    if not isinstance(raw, str):
        return None
    try:
        naive = datetime.strptime(raw.strip("\x00 "), EXIF_TIME)
    except ValueError:
        return None
    offset = _parse_offset(details.get(Base.OffsetTimeOriginal))
    zone = offset if offset is not None else fallback.tzinfo
    return naive.replace(tzinfo=zone)


def _parse_offset(raw: Any) -> timezone | None:
    if not isinstance(raw, str) or len(raw.strip()) != 6 or raw[0] not in "+-":
        return None
    try:
        hours, minutes = int(raw[1:3]), int(raw[4:6])
    except ValueError:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if raw[0] == "-" else delta)


def _exif_gps(exif: Image.Exif) -> tuple[float, float] | None:
    gps = exif.get_ifd(IFD.GPSInfo)
    try:
        lat = _degrees(gps[GPS.GPSLatitude], gps.get(GPS.GPSLatitudeRef, "N"))
        lon = _degrees(gps[GPS.GPSLongitude], gps.get(GPS.GPSLongitudeRef, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _degrees(dms: Any, ref: Any) -> float:
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).strip("\x00 ").upper() in ("S", "W") else value


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return float(degrees), float(minutes), seconds


def _exif_bytes(
    source: Image.Exif, taken_at: datetime, latitude: float | None, longitude: float | None
) -> bytes:
    """A fresh EXIF block: camera make/model kept, time with offset, GPS, orientation 1."""
    exif = Image.Exif()
    for tag in (Base.Make, Base.Model, Base.Software):
        if tag in source:
            exif[tag] = source[tag]
    exif[Base.Orientation] = 1
    stamp = taken_at.strftime(EXIF_TIME)
    exif[Base.DateTime] = stamp
    details = exif.get_ifd(IFD.Exif)
    details[Base.DateTimeOriginal] = stamp
    offset = taken_at.utcoffset()
    if offset is not None:
        minutes = int(offset.total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        details[Base.OffsetTimeOriginal] = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    if latitude is not None and longitude is not None:
        gps = exif.get_ifd(IFD.GPSInfo)
        gps[GPS.GPSLatitudeRef] = "S" if latitude < 0 else "N"
        gps[GPS.GPSLatitude] = _dms(latitude)
        gps[GPS.GPSLongitudeRef] = "W" if longitude < 0 else "E"
        gps[GPS.GPSLongitude] = _dms(longitude)
    return exif.tobytes()


def _encode(image: Image.Image, quality: int, exif: bytes) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()
