"""Text rules of `suicha-draw/1`: UTF-8, NFC, IDs compared by code point.

Python's `str` ordering is code-point ordering, so `sorted()` is the spec's
"ascending"; database collations are never used for it.
"""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence

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


def all_clean(ordered: Sequence[str]) -> bool:
    """Whether IDs already sorted are all non-empty NFC strings free of control characters.

    One joined string is checked instead of each ID (a million credit codes in
    milliseconds): "\n" is a starter that composes with nothing, so the joined
    text is NFC exactly when every ID is, and it holds n-1 line breaks exactly
    when no ID holds one. Sorted, an empty ID would come first.
    """
    if not ordered:
        return True
    try:
        joined = "\n".join(ordered)
    except TypeError:
        return False
    return (
        ordered[0] != ""
        and joined.count("\n") == len(ordered) - 1
        and _FORBIDDEN_BUT_LF.search(joined) is None
        and unicodedata.is_normalized("NFC", joined)
    )


def first_repeat(ordered: Sequence[str]) -> str | None:
    """The first ID repeated in a sorted list (repeats sit side by side), or None."""
    if all(map(operator.lt, ordered, ordered[1:])):
        return None
    for before, after in itertools.pairwise(ordered):
        if before == after:
            return after
    return None


def sorted_ids(ids: Iterable[object], *, where: str) -> list[str]:
    """The IDs in NFC and ascending code-point order; refuses bad or repeated IDs."""
    values = list(ids)
    try:
        ordered = sorted(values)  # type: ignore[type-var]
    except TypeError:
        ordered = []
    if len(ordered) != len(values) or not all_clean(ordered):
        ordered = sorted(check_id(v) for v in values)
    repeated = first_repeat(ordered)
    if repeated is not None:
        raise SuichaError(DUPLICATE_ID, id=repeated, where=where)
    return ordered
