"""Characters no stored text may hold (控制字符), one rule for rosters and checklists.

A NUL or another control character saved in a roster field broke the XLSX
export for everyone (XML 1.0 cannot carry it) and is never part of a real
name, address or code. Refused everywhere: C0 and C1 controls, DEL, lone
surrogates (not storable as UTF-8), the line and paragraph separators U+2028
and U+2029, and Unicode noncharacters. A single-line field also refuses tab,
line feed and carriage return; a multi-line field (a legal basis) keeps them.
"""

from __future__ import annotations

import re

_NONCHARACTERS = "".join(
    chr(plane * 0x10000 + low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF)
)
_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_MULTI_LINE = re.compile(f"[{_ALWAYS}{_NONCHARACTERS}]")
_SINGLE_LINE = re.compile(f"[\t\n\r{_ALWAYS}{_NONCHARACTERS}]")


def forbidden_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character `text` may not hold, or None when it is clean."""
    if text.isprintable():
        # Fast path (C speed, most cells): printable text holds no control character,
        # surrogate, separator or noncharacter; other text is looked at character-wise.
        return None
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(text)
    return None if found is None else found.group()


def character_name(character: str) -> tuple[str, str]:
    """How a refused character is named in a message: (zh, en), e.g. 换行符（U+000A）."""
    code = f"U+{ord(character):04X}"
    zh = _NAMES_ZH.get(character, "控制字符")
    return f"{zh}（{code}）", f"{_NAMES_EN.get(character, 'control character')} ({code})"


_NAMES_ZH = {"\x00": "空字符", "\t": "制表符", "\n": "换行符", "\r": "回车符"}
_NAMES_EN = {"\x00": "NUL", "\t": "tab", "\n": "line feed", "\r": "carriage return"}
