"""The photo pipeline: orientation, size, EXIF time and GPS, the stamp, the hash."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image
from PIL.ExifTags import GPS, IFD, Base

from mobile.photos import EvidenceLine, prepare_photo
from mobile.sync import Store
from shared.errors import SuichaError

BEIJING = timezone(timedelta(hours=8))
EVIDENCE = EvidenceLine(
    taken_at=datetime(2026, 11, 30, 10, 5, tzinfo=BEIJING),
    task_code="T-12",
    badge="110123",
    latitude=39.9042,
    longitude=116.4074,
)


def _camera_jpeg(path: Path, size: tuple[int, int], **exif_tags: object) -> Path:
    """A picture whose left half is red and right half blue, as a camera would store it."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    if "orientation" in exif_tags:
        exif[Base.Orientation] = exif_tags["orientation"]
    if "taken" in exif_tags:
        exif.get_ifd(IFD.Exif)[Base.DateTimeOriginal] = exif_tags["taken"]
    if "offset" in exif_tags:
        exif.get_ifd(IFD.Exif)[Base.OffsetTimeOriginal] = exif_tags["offset"]
    if "gps" in exif_tags:
        gps = exif.get_ifd(IFD.GPSInfo)
        gps.update(exif_tags["gps"])  # type: ignore[arg-type]
    image.save(path, "JPEG", quality=95, exif=exif.tobytes())
    return path


def test_resized_to_the_long_edge_and_hashed_as_written(tmp_path: Path) -> None:
    source = _camera_jpeg(tmp_path / "in.jpg", (4000, 3000))
    photo = prepare_photo(source, tmp_path / "out", evidence=EVIDENCE)
    data = photo.path.read_bytes()
    assert (photo.width, photo.height) == (2048, 1536)
    assert photo.media_type == "image/jpeg" and data.startswith(b"\xff\xd8\xff")
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.size == len(data) and photo.path.name == f"{photo.sha256}.jpg"
    with Image.open(photo.path) as image:
        assert image.size == (2048, 1536)
    assert source.stat().st_size > 0  # the source is untouched


def test_long_edge_is_configurable_and_small_pictures_are_not_enlarged(tmp_path: Path) -> None:
    source = _camera_jpeg(tmp_path / "in.jpg", (1200, 1600))
    assert prepare_photo(source, tmp_path, evidence=EVIDENCE, long_edge=800).height == 800
    small = prepare_photo(source, tmp_path / "b", evidence=EVIDENCE, long_edge=4096)
    assert (small.width, small.height) == (1200, 1600)


def test_quality_changes_the_bytes(tmp_path: Path) -> None:
    source = _camera_jpeg(tmp_path / "in.jpg", (1000, 800))
    low = prepare_photo(source, tmp_path / "a", evidence=EVIDENCE, quality=40)
    high = prepare_photo(source, tmp_path / "b", evidence=EVIDENCE, quality=85)
    assert low.sha256 != high.sha256


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    # Orientation 6: the camera was turned; the viewer rotates 90° clockwise, so the
    # red left half of the stored picture ends up on top.
    source = _camera_jpeg(tmp_path / "in.jpg", (4000, 3000), orientation=6)
    photo = prepare_photo(source, tmp_path / "out", evidence=EVIDENCE)
    assert (photo.width, photo.height) == (1536, 2048)
    with Image.open(photo.path) as image:
        assert image.getexif().get(Base.Orientation) == 1
        top = image.getpixel((768, 200))
        bottom = image.getpixel((768, 1700))
    assert top[0] > 200 and top[2] < 60  # red
    assert bottom[2] > 200 and bottom[0] < 60  # blue


def test_capture_time_and_gps_of_the_camera_are_kept(tmp_path: Path) -> None:
    source = _camera_jpeg(
        tmp_path / "in.jpg",
        (3000, 2000),
        taken="2026:11:29 08:30:15",
        offset="+08:00",
        gps={
            GPS.GPSLatitudeRef: "N",
            GPS.GPSLatitude: (31.0, 14.0, 0.0),
            GPS.GPSLongitudeRef: "E",
            GPS.GPSLongitude: (121.0, 28.0, 12.0),
        },
    )
    photo = prepare_photo(source, tmp_path / "out", evidence=EVIDENCE)
    assert photo.taken_at == datetime(2026, 11, 29, 8, 30, 15, tzinfo=BEIJING)
    assert photo.latitude == pytest.approx(31 + 14 / 60)
    assert photo.longitude == pytest.approx(121 + 28 / 60 + 12 / 3600)
    with Image.open(photo.path) as image:
        exif = image.getexif()
        details = exif.get_ifd(IFD.Exif)
        gps = exif.get_ifd(IFD.GPSInfo)
    assert details[Base.DateTimeOriginal] == "2026:11:29 08:30:15"
    assert details[Base.OffsetTimeOriginal] == "+08:00"
    assert gps[GPS.GPSLatitudeRef] == "N" and gps[GPS.GPSLongitudeRef] == "E"
    assert float(gps[GPS.GPSLatitude][1]) == 14.0


def test_without_camera_exif_the_evidence_time_and_place_are_written(tmp_path: Path) -> None:
    source = _camera_jpeg(tmp_path / "in.jpg", (800, 600))
    south_west = EvidenceLine(
        taken_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        task_code="T-1",
        badge="9",
        latitude=-33.8688,
        longitude=-70.25,
    )
    photo = prepare_photo(source, tmp_path / "out", evidence=south_west)
    assert photo.taken_at == south_west.taken_at
    assert photo.location == {"lat": -33.8688, "lon": -70.25}
    with Image.open(photo.path) as image:
        exif = image.getexif()
        gps = exif.get_ifd(IFD.GPSInfo)
        assert exif.get_ifd(IFD.Exif)[Base.OffsetTimeOriginal] == "+00:00"
    assert gps[GPS.GPSLatitudeRef] == "S" and gps[GPS.GPSLongitudeRef] == "W"
    lat = sum(float(v) / 60**i for i, v in enumerate(gps[GPS.GPSLatitude]))
    assert lat == pytest.approx(33.8688, abs=1e-5)


def test_no_location_means_no_gps_block(tmp_path: Path) -> None:
    source = _camera_jpeg(tmp_path / "in.jpg", (800, 600))
    indoors = EvidenceLine(EVIDENCE.taken_at, "T-1", "9")
    photo = prepare_photo(source, tmp_path / "out", evidence=indoors)
    assert photo.location is None
    with Image.open(photo.path) as image:
        assert not image.getexif().get_ifd(IFD.GPSInfo)


def test_the_evidence_line_is_stamped_bottom_left(tmp_path: Path) -> None:
    white = tmp_path / "white.jpg"
    Image.new("RGB", (2048, 1536), (255, 255, 255)).save(white, quality=95)
    photo = prepare_photo(white, tmp_path / "out", evidence=EVIDENCE)
    with Image.open(photo.path) as image:
        band = image.crop((0, 1536 - 30, 300, 1536)).convert("L")
        untouched = image.crop((1700, 1536 - 30, 2048, 1536)).convert("L")
        top = image.crop((0, 0, 300, 30)).convert("L")
    assert band.getextrema()[0] < 150  # the dimmed band and its text
    assert untouched.getextrema()[0] > 240 and top.getextrema()[0] > 240
    other = prepare_photo(
        white, tmp_path / "out", evidence=EvidenceLine(EVIDENCE.taken_at, "T-13", "110123")
    )
    assert other.sha256 != photo.sha256  # the task code is in the pixels


def test_png_with_transparency_becomes_a_jpeg_on_white(tmp_path: Path) -> None:
    source = tmp_path / "shot.png"
    Image.new("RGBA", (400, 300), (0, 0, 0, 0)).save(source)
    photo = prepare_photo(source, tmp_path / "out", evidence=EVIDENCE)
    with Image.open(photo.path) as image:
        assert image.format == "JPEG"
        assert image.getpixel((390, 5))[0] > 240


def test_not_an_image_is_refused_with_a_chinese_reason(tmp_path: Path) -> None:
    source = tmp_path / "notes.jpg"
    source.write_text("not a picture")
    with pytest.raises(SuichaError) as caught:
        prepare_photo(source, tmp_path / "out", evidence=EVIDENCE)
    assert caught.value.code == "device.photo_unreadable"
    assert "无法读取照片" in caught.value.detail_zh
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(("long_edge", "quality"), [(100, 85), (9000, 85), (2048, 5), (2048, 99)])
def test_settings_out_of_range_are_refused(tmp_path: Path, long_edge: int, quality: int) -> None:
    source = _camera_jpeg(tmp_path / "in.jpg", (100, 100))
    with pytest.raises(SuichaError) as caught:
        prepare_photo(source, tmp_path, evidence=EVIDENCE, long_edge=long_edge, quality=quality)
    assert caught.value.code in ("device.photo_long_edge", "device.photo_quality")


def test_store_files_the_prepared_bytes_unchanged(tmp_path: Path) -> None:
    store = Store(tmp_path / "device")
    try:
        source = _camera_jpeg(tmp_path / "in.jpg", (3000, 2000))
        photo = prepare_photo(source, store.photo_dir, evidence=EVIDENCE)
        info = store.add_photo(photo.path, taken_at=photo.taken_at.isoformat())
        assert info.sha256 == photo.sha256 and info.path == photo.path
        assert hashlib.sha256(info.path.read_bytes()).hexdigest() == photo.sha256
    finally:
        store.close()
