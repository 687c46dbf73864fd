"""Unified social credit codes for demo objects, unique by construction.

A code (GB 32100) is: registration authority (9 = market regulation), entity
type (1 企业, 2 个体工商户, 3 农民专业合作社), the 6-digit region code, a 9-character
organisation code (GB 11714: 8 characters and a check character) and the
GB 32100 check character over the first 17.

The organisation code's 8 characters come from the object's index through a
bijection on their range: an affine map (`(a * index + b) mod m`, `a` coprime
to `m`), the digits reversed, and a second affine map (so neighbouring indices
do not give neighbouring codes). Distinct indices therefore give distinct codes
without remembering the codes already issued — a million objects need no
million-entry set.
Newer entities carry codes of the post-2015 form `MA` + 6 characters; older
ones 8 digits.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from shared.credit_code import ALPHABET, check_character

_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_NEW_STYLE_SPACE = len(ALPHABET) ** 6
"""`MA` + 6 characters of the credit-code alphabet."""
_OLD_STYLE_SPACE = 10**8
"""8 digits."""


def organisation_check(body: str) -> str:
    """The GB 11714 check character for an 8-character organisation code body."""
    total = sum(int(char, 36) * weight for char, weight in zip(body, _GB11714_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def _base31(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, rest = divmod(value, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits))


def _coprime_multiplier(rng: random.Random, modulus: int) -> int:
    while True:
        candidate = rng.randrange(modulus // 3, modulus)
        if math.gcd(candidate, modulus) == 1:
            return candidate


@dataclass(frozen=True)
class _Scramble:
    """A seeded bijection on `range(modulus)`, where modulus = base ** width."""

    base: int
    width: int
    first: tuple[int, int]
    second: tuple[int, int]

    @classmethod
    def seeded(cls, rng: random.Random, base: int, width: int) -> _Scramble:
        modulus = base**width
        return cls(
            base=base,
            width=width,
            first=(_coprime_multiplier(rng, modulus), rng.randrange(modulus)),
            second=(_coprime_multiplier(rng, modulus), rng.randrange(modulus)),
        )

    def __call__(self, index: int) -> int:
        modulus = self.base**self.width
        value = (self.first[0] * index + self.first[1]) % modulus
        reversed_digits = 0
        for _ in range(self.width):
            value, digit = divmod(value, self.base)
            reversed_digits = reversed_digits * self.base + digit
        return (self.second[0] * reversed_digits + self.second[1]) % modulus


@dataclass(frozen=True)
class CreditCodeMaker:
    """Makes the credit code of object number `index` (0 ≤ index < capacity)."""

    new_style: _Scramble
    old_style: _Scramble

    @classmethod
    def seeded(cls, rng: random.Random) -> CreditCodeMaker:
        return cls(
            new_style=_Scramble.seeded(rng, len(ALPHABET), 6),
            old_style=_Scramble.seeded(rng, 10, 8),
        )

    @staticmethod
    def capacity() -> int:
        return min(_NEW_STYLE_SPACE, _OLD_STYLE_SPACE)

    def organisation_code(self, index: int, *, new_style: bool) -> str:
        if new_style:
            body = "MA" + _base31(self.new_style(index), 6)
        else:
            body = f"{self.old_style(index):08d}"
        return body + organisation_check(body)

    def credit_code(self, index: int, *, type_character: str, region: str, new_style: bool) -> str:
        first17 = "9" + type_character + region + self.organisation_code(index, new_style=new_style)
        return first17 + check_character(first17)
