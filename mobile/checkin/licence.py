"""Reading the business licence's QR (营业执照二维码) with zxing-cpp.

A licence QR holds a URL of the national enterprise credit publicity system or
text carrying the unified social credit code; we take the one valid 18-character
credit code it contains (check character verified by `shared.credit_code`).
"""

from __future__ import annotations

import re
from pathlib import Path

import zxingcpp
from PIL import Image

from shared.credit_code import is_valid_credit_code

_CANDIDATE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{18}(?![0-9A-Z])")


class LicenceUnreadable(ValueError):
    """No QR, or a QR without a valid unified social credit code."""

    zh = "未能识别营业执照二维码中的统一社会信用代码，请重新扫描或手工输入。"


def credit_code_in(text: str) -> str:
    """The valid credit code inside a licence QR's text."""
    found = [c for c in _CANDIDATE.findall(text.upper()) if is_valid_credit_code(c)]
    if len(set(found)) != 1:
        raise LicenceUnreadable(text[:200])
    return found[0]


def decode_image(path: Path) -> str:
    """The credit code of the licence QR in a photo or camera frame saved as a file."""
    try:
        with Image.open(path) as image:
            return decode_frame(image)
    except OSError:  # not an image, or unreadable: nothing to decode
        raise LicenceUnreadable(str(path)) from None


def decode_frame(image: Image.Image) -> str:
    """The credit code of the licence QR in one camera frame (any PIL mode)."""
    results = zxingcpp.read_barcodes(image.convert("L"))
    for result in results:
        if result.format == zxingcpp.BarcodeFormat.QRCode and result.text:
            try:
                return credit_code_in(result.text)
            except LicenceUnreadable:
                continue
    raise LicenceUnreadable("no licence QR in the frame")
