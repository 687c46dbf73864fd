"""How many objects a stratum gives (`suicha-draw/1` §4), in exact arithmetic.

`k = min(n, ceil(n * r))`; at least 1 when `r > 0` and `n > 0`; at most the cap.
The ratio is a decimal string and is read as an exact `Fraction`, so
`37 * 0.05 = 1.85` rounds up to 2 and `10 * 0.1 = 1` stays 1, never 1.0000000000000002.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from shared.draw.errors import CAP_INVALID, RATIO_NOT_DECIMAL, RATIO_OUT_OF_RANGE
from shared.errors import SuichaError

# Plain decimal notation only: no sign, exponent, fraction bar, NaN or spaces.
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")


def parse_ratio(ratio: object) -> Fraction:
    """The exact value of a ratio string in [0, 1]."""
    if not isinstance(ratio, str) or _DECIMAL.fullmatch(ratio) is None:
        raise SuichaError(RATIO_NOT_DECIMAL, ratio=ratio)
    value = Fraction(ratio)
    if value > 1:
        raise SuichaError(RATIO_OUT_OF_RANGE, ratio=ratio)
    return value


def check_cap(cap: object) -> int | None:
    if cap is None:
        return None
    if type(cap) is not int or cap < 0:
        raise SuichaError(CAP_INVALID, cap=cap)
    return cap


def object_count(n: int, ratio: str, cap: int | None) -> int:
    """The number of objects drawn from a stratum of `n` eligible IDs."""
    if type(n) is not int or n < 0:
        raise ValueError(f"n must be a whole number of at least 0, got {n!r}")
    r = parse_ratio(ratio)
    c = check_cap(cap)
    k = min(n, math.ceil(n * r))
    if r > 0 and n > 0:
        k = max(k, 1)
    if c is not None:
        k = min(k, c)
    return k
