"""Where tests save the screenshots people look at.

`docs/screenshots/` by default, so a test run refreshes the pictures the docs show;
`SUICHA_SCREENSHOTS` sends them elsewhere (scripts/test gives each of its two
concurrent passes its own folder, so one never reads a picture the other is writing).
"""

from __future__ import annotations

import os
from pathlib import Path

SCREENSHOTS = Path(
    os.environ.get("SUICHA_SCREENSHOTS")
    or Path(__file__).resolve().parents[1] / "docs" / "screenshots"
)
SCREENSHOTS.mkdir(parents=True, exist_ok=True)
