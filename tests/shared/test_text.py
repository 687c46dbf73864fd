"""The one rule for characters no stored text may hold (shared/text.py)."""

from __future__ import annotations

import pytest

from shared.text import character_name, forbidden_character


@pytest.mark.parametrize(
    "text",
    ["鸡西市鸡冠区1号", "a\u3000b", "a\xa0b", "👨\u200d👩", "é", "𠀀", "O'Brien", ""],
)
def test_ordinary_text_is_clean(text: str) -> None:
    assert forbidden_character(text) is None
    assert forbidden_character(text, multiline=True) is None


@pytest.mark.parametrize(
    "bad",
    [
        "\x00",
        "\x01",
        "\x1b",
        "\x7f",
        "\x85",
        "\x9f",
        "\u2028",
        "\u2029",
        "\ud800",
        "\ufdd0",
        "\ufffe",
        "\uffff",
        "\U0001fffe",
        "\U0010ffff",
    ],
)
def test_control_characters_are_refused_everywhere(bad: str) -> None:
    assert forbidden_character(f"甲{bad}乙") == bad
    assert forbidden_character(f"甲{bad}乙", multiline=True) == bad


@pytest.mark.parametrize("bad", ["\t", "\n", "\r"])
def test_line_breaks_and_tabs_only_in_multi_line_text(bad: str) -> None:
    assert forbidden_character(f"甲{bad}乙") == bad
    assert forbidden_character(f"甲{bad}乙", multiline=True) is None


def test_a_refused_character_is_named_in_both_languages() -> None:
    assert character_name("\x00") == ("空字符（U+0000）", "NUL (U+0000)")
    assert character_name("\x1b") == ("控制字符（U+001B）", "control character (U+001B)")
