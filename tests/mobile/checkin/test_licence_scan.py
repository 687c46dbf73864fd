"""A generated licence-style QR, saved as an image file, read back with zxing-cpp."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import segno
from PIL import Image

from mobile.checkin.arrival import WrongBusiness, arrive
from mobile.checkin.licence import LicenceUnreadable, credit_code_in, decode_image
from tests.server.draws.world import credit_code

BUSINESS = credit_code(3)
OTHER = credit_code(4)


def licence_qr(tmp_path: Path, text: str, name: str = "licence.png") -> Path:
    """A licence-style QR (a GSXT URL carrying the credit code) on a photo-like canvas."""
    path = tmp_path / name
    segno.make(text, error="m").save(str(tmp_path / "qr.png"), scale=6, border=4)
    with Image.open(tmp_path / "qr.png") as qr:
        canvas = Image.new("RGB", (qr.width + 240, qr.height + 320), (236, 230, 214))
        canvas.paste(qr.convert("RGB"), (120, 160))
        canvas.save(path)
    return path


def test_the_credit_code_is_read_from_a_licence_qr_image(tmp_path: Path) -> None:
    url = f"http://www.gsxt.gov.cn/index.html?uniscid={BUSINESS}&type=licence"
    assert decode_image(licence_qr(tmp_path, url)) == BUSINESS


def test_arrival_at_the_right_business_is_recorded_with_gps(tmp_path: Path) -> None:
    scanned = decode_image(licence_qr(tmp_path, f"统一社会信用代码:{BUSINESS}"))
    at = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    arrival = arrive(7, BUSINESS, scanned, at, gps=(45.77, 126.65))
    assert arrival.as_message() == {
        "credit_code": BUSINESS,
        "at": at.isoformat(),
        "latitude": 45.77,
        "longitude": 126.65,
    }


def test_a_mismatched_business_is_refused(tmp_path: Path) -> None:
    scanned = decode_image(licence_qr(tmp_path, f"uniscid={OTHER}"))
    with pytest.raises(WrongBusiness) as refused:
        arrive(7, BUSINESS, scanned, datetime.now(UTC))
    assert "不符" in refused.value.zh and OTHER in refused.value.zh


def test_no_qr_or_no_valid_code_is_unreadable(tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    Image.new("RGB", (300, 300), "white").save(blank)
    with pytest.raises(LicenceUnreadable):
        decode_image(blank)
    with pytest.raises(LicenceUnreadable):
        decode_image(licence_qr(tmp_path, "https://example.org/no-code-here", "other.png"))
    broken = BUSINESS[:-1] + ("0" if BUSINESS[-1] != "0" else "1")
    with pytest.raises(LicenceUnreadable):
        credit_code_in(f"uniscid={broken}")
