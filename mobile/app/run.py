"""Start the app: window size, Kivy's home folder and the data dir, set before Kivy loads."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DATA_DIR_ENV = "SUICHA_FIELD_DATA_DIR"
WINDOW_ENV = "SUICHA_WINDOW"
"""Window size as WIDTHxHEIGHT (desktop only; a device uses its screen)."""
DEFAULT_WINDOW = (1280, 800)


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or user_data_dir("suicha-field", appauthor=False))


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    size = (int(width), int(height))
    if not (200 <= size[0] <= 8000 and 200 <= size[1] <= 8000):
        raise ValueError(f"window size out of range: {text}")
    return size


def configure_kivy(data_dir: Path, size: tuple[int, int] | None = None) -> None:
    """Settings Kivy reads once at import: must run before any `kivy.*` import."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    # Kivy's own config and logs go to the app's data dir, not ~/.kivy.
    os.environ.setdefault("KIVY_HOME", str(data_dir / "kivy"))
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    if size is None:
        env = os.environ.get(WINDOW_ENV)
        size = parse_size(env) if env else DEFAULT_WINDOW
    width, height = size
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "1")
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0")


def run_app(
    data_dir: Path | None = None, lang: str = "zh", size: tuple[int, int] | None = None
) -> int:
    data_dir = data_dir or default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    configure_kivy(data_dir, size)
    from mobile.app.main import SuichaFieldApp

    SuichaFieldApp(data_dir=data_dir, lang=lang).run()
    return 0
