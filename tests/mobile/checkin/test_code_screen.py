"""亮码 under Xvfb: the screen shows the code, and its QR read from the screenshot is the URL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.screenshots import SCREENSHOTS

ROOT = Path(__file__).resolve().parents[3]
SHOT = SCREENSHOTS / "app-inspection-code.png"
CODE = "2026-SCJG-65YQ3QG"
URL = "https://suicha.example.gov.cn/check/2026-SCJG-65YQ3QG?s=" + "A" * 86


def test_the_code_is_shown_full_screen_and_its_qr_scans(tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("Xvfb is not installed (scripts/system-deps installs xvfb)")
    out = tmp_path / "code.png"
    env = {
        **os.environ,
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_NO_FILELOG": "1",
        "KIVY_NO_ARGS": "1",
        "KIVY_HOME": str(tmp_path / "kivy"),
    }
    subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 800x1280x24",
            sys.executable,
            "-m",
            "tests.mobile.checkin.code_screen_main",
            str(out),
            CODE,
            URL,
            str(tmp_path / "fonts"),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    saved = sorted(tmp_path.glob("code*.png"))
    assert saved, "no screenshot"
    with Image.open(saved[-1]) as image:
        results = zxingcpp.read_barcodes(image.convert("L"))
        width = image.width
        qr = [r for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]
        assert [r.text for r in qr] == [URL]
        # Full-screen: the QR spans most of the window's width.
        position = qr[0].position
        assert position.top_right.x - position.top_left.x > width * 0.5
        SHOT.parent.mkdir(parents=True, exist_ok=True)
        image.save(SHOT)
