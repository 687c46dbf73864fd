"""Checks that a Chinese message (`detail.zh`) is Chinese from start to end."""

from __future__ import annotations

import re

FORMAT_NAMES = frozenset({"JSON", "CSV", "XLSX", "JPEG", "PNG", "SHA-256", "SQLite", "PostgreSQL"})
"""File formats, algorithms and products with no Chinese name: Chinese text writes them as is."""

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_QUOTED = re.compile(r"“[^”]*”")
"""What a user typed, quoted back (a value, a question id): data, not wording."""
_CODE_IN_PARENTHESES = re.compile(r"（[\x20-\x7e“”、]*）")
"""A code a caller must send, after its Chinese name: 部门年度计划（annual）."""
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_+./-]*")


def english_words(zh: str, *, templates: bool = False) -> list[str]:
    """Latin-letter words left in a Chinese message once data and codes are set aside.

    With `templates`, `{placeholders}` are set aside too (an `ErrorSpec.zh`).
    """
    text = _PLACEHOLDER.sub("", zh) if templates else zh
    text = _QUOTED.sub("", text)
    text = _CODE_IN_PARENTHESES.sub("", text)
    return [word for word in _WORD.findall(text) if word not in FORMAT_NAMES]
