"""The CJK font, the app's words, the screen layout rules and the Android spec (no window)."""

from __future__ import annotations

import configparser
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from mobile.app import fonts
from mobile.app.i18n import TEXTS, translate
from mobile.app.screens import SCREENS, SCREENS_DIR
from mobile.cli import build_parser

ROOT = Path(__file__).resolve().parents[3]


def test_resolved_font_draws_chinese(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    path = fonts.resolve_cjk_font(tmp_path)
    cmap = TTFont(str(path), fontNumber=0).getBestCmap()
    for char in "随查现场检查同步签名提交未发现问题后续处置":
        assert ord(char) in cmap, char
    if path.parent == tmp_path:
        # The Simplified Chinese face, not the Japanese face 0 of the collection.
        name = TTFont(str(path))["name"].getDebugName(4)
        assert "SC" in name, name
        assert fonts.resolve_cjk_font(tmp_path) == path  # extracted once, then reused


def test_missing_font_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "BUNDLED_DIR", tmp_path / "none")
    monkeypatch.setattr(fonts, "NOTO_COLLECTIONS", (tmp_path / "missing.ttc",))
    monkeypatch.setattr(fonts, "SINGLE_FACE_FALLBACKS", ())
    with pytest.raises(fonts.FontMissing, match="fonts-noto-cjk"):
        fonts.resolve_cjk_font(tmp_path)


def _without_placeholders(text: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "", text)


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_is_chinese_and_english(key: str) -> None:
    zh, en = TEXTS[key]
    assert zh.strip() and en.strip()
    assert set(re.findall(r"\{(\w+)\}", zh)) == set(re.findall(r"\{(\w+)\}", en))
    if key != "language":  # the switch names the other language
        letters = set(_without_placeholders(zh)) & set(string.ascii_letters)
        assert not letters, f"{key}: Latin letters in the Chinese text: {zh}"


def test_translate_fills_parameters() -> None:
    assert translate("unsent", "zh", count=3) == "未发送：3项"
    assert translate("unsent", "en", count=3) == "Unsent: 3"


def test_services_and_words_load_without_kivy() -> None:
    # Kivy takes over the root logger when imported: only the app's own process may,
    # and the services must stay usable (and testable) without a window.
    code = (
        "import sys, mobile.field, mobile.app.fonts, mobile.app.i18n, mobile.app.screens;"
        "sys.exit('kivy' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60).returncode == 0


def test_one_module_and_one_kv_per_screen() -> None:
    for name in SCREENS:
        assert (SCREENS_DIR / f"{name}.py").is_file(), name
        assert (SCREENS_DIR / f"{name}.kv").is_file(), name
    kv_texts = " ".join(p.read_text() for p in SCREENS_DIR.glob("*.kv"))
    # Every word on screen comes from the translation table, none typed into a kv rule.
    assert not re.search(r"text:\s*'[^']*[\u4e00-\u9fff]", kv_texts)
    for key in re.findall(r"app\.t\('(\w+)'", kv_texts):
        assert key in TEXTS, key


def test_no_arguments_opens_the_app() -> None:
    parser = build_parser()
    assert parser.parse_args([]).command is None
    args = parser.parse_args(["app", "--window", "800x1280", "--lang", "en"])
    assert (args.command, args.window, args.lang) == ("app", "800x1280", "en")


def test_buildozer_spec_for_android() -> None:
    spec = configparser.ConfigParser()
    spec.read(ROOT / "mobile" / "buildozer.spec", encoding="utf-8")
    app = spec["app"]
    assert [a.strip() for a in app["android.archs"].split(",")] == ["arm64-v8a", "armeabi-v7a"]
    permissions = {p.strip() for p in app["android.permissions"].split(",")}
    assert {"CAMERA", "ACCESS_FINE_LOCATION", "INTERNET"} <= permissions
    assert "otf" in app["source.include_exts"].split(",")
    assert (ROOT / app["android.extra_manifest_application_arguments"]).is_file()
    assert (ROOT / app["entrypoint"]).is_file()
    assert "kivy==2.3.1" in app["requirements"]
