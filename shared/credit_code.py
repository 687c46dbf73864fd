"""Unified social credit codes (统一社会信用代码), GB 32100-2015.

18 characters from a 31-symbol alphabet (digits and upper-case letters without
I, O, S, V, Z); the last is a check character over the first 17 with weights
3^i mod 31. Input is normalised first: full-width characters (as typed with a
Chinese input method) become ASCII, lower case becomes upper case, and white
space is dropped; what remains must be exactly a valid code.
"""

from __future__ import annotations

import unicodedata

from shared.errors import SuichaError, define

__all__ = ["ALPHABET", "check_character", "is_valid_credit_code", "parse_credit_code"]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

CREDIT_CODE_LENGTH = define(
    "credit_code.length",
    422,
    "统一社会信用代码应为18位，实际为{length}位",
    "A unified social credit code has 18 characters, got {length}",
)
CREDIT_CODE_CHARACTER = define(
    "credit_code.character",
    422,
    "统一社会信用代码第{position}位含非法字符“{char}”",
    "Character {position} of the credit code, {char!r}, is not allowed",
)
CREDIT_CODE_CHECK = define(
    "credit_code.check_digit",
    422,
    "统一社会信用代码校验位错误：应为“{expected}”，实际为“{actual}”",
    "Wrong check character in the credit code: expected {expected}, got {actual}",
)


def check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).upper()


def parse_credit_code(text: str) -> str:
    """The canonical code for `text`, or a `SuichaError` saying what is wrong."""
    code = _normalise(text)
    if len(code) != 18:
        raise SuichaError(CREDIT_CODE_LENGTH, length=len(code))
    for position, char in enumerate(code, start=1):
        if char not in _VALUE:
            raise SuichaError(CREDIT_CODE_CHARACTER, position=position, char=char)
    expected = check_character(code[:17])
    if code[17] != expected:
        raise SuichaError(CREDIT_CODE_CHECK, expected=expected, actual=code[17])
    return code


def is_valid_credit_code(text: str) -> bool:
    try:
        parse_credit_code(text)
    except SuichaError:
        return False
    return True
