"""Text rules of `suicha-draw/1`: UTF-8, NFC, IDs compared by code point.

Python's `str` ordering is code-point ordering, so `sorted()` is the spec's
"ascending"; database collations are never used for it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

from shared.draw.errors import DUPLICATE_ID, INVALID_ID
from shared.errors import SuichaError

# A line break inside an ID would make `population_text` ambiguous; other
# control characters are never part of a real code or badge number.
_FORBIDDEN = frozenset(chr(c) for c in range(0x20)) | {"\x7f", "\u2028", "\u2029", "\x85"}
_FORBIDDEN_BUT_LF = re.compile("[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def check_id(value: object) -> str:
    """One ID in NFC, or `draw.invalid_id`."""
    if not isinstance(value, str) or not value or not _FORBIDDEN.isdisjoint(value):
        raise SuichaError(INVALID_ID, id=value)
    return nfc(value)


def sorted_ids(ids: Iterable[object], *, where: str) -> list[str]:
    """The IDs in NFC and ascending code-point order; refuses bad or repeated IDs.

    Fast path for the common case (a million plain ASCII credit codes): one
    joined string is checked for NFC and control characters instead of each ID.
    """
    values = list(ids)
    if not all(type(v) is str for v in values):
        for v in values:
            check_id(v)
    # "\n" is a starter that composes with nothing, so the joined text is NFC
    # exactly when every ID is, and it holds n-1 line breaks exactly when no
    # ID holds one.
    joined = "\n".join(values)
    clean = (
        unicodedata.is_normalized("NFC", joined)
        and _FORBIDDEN_BUT_LF.search(joined) is None
        and joined.count("\n") == max(len(values) - 1, 0)
        and "" not in values
    )
    del joined
    ordered = sorted(values) if clean else sorted(check_id(v) for v in values)
    return _refuse_duplicates(ordered, where=where)


def _refuse_duplicates(ordered: list[str], *, where: str) -> list[str]:
    if len(set(ordered)) != len(ordered):
        # Sorted, so a repeated ID sits next to itself.
        for before, after in itertools.pairwise(ordered):
            if before == after:
                raise SuichaError(DUPLICATE_ID, id=after, where=where)
    return ordered
