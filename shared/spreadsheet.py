"""Text written into a spreadsheet cell (CSV or XLSX) that a spreadsheet never runs.

Formula injection (OWASP "CSV injection"): a cell starting with = + - @ tab or
CR may be run as a formula when the file is opened (`=cmd|' /C calc'!A0`).
`neutralise` puts a `'` before such text, so it shows as written; `restore`
takes that quote off when a file exported this way is read back in. Text that
already starts with `'` gets one more, so the round trip is exact. The one
rule for every export: roster files, open-data CSV.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = (*FORMULA_STARTS, "'")


def neutralise(text: str) -> str:
    """The text with a leading `'` when a spreadsheet could run it as a formula."""
    return "'" + text if text.startswith(_QUOTED) else text


def restore(text: str) -> str:
    """The text `neutralise` was given (one `'` before a formula character taken off)."""
    if text.startswith("'") and text[1:].startswith(_QUOTED):
        return text[1:]
    return text
