"""Drawing objects (`suicha-draw/1` §4).

`key(x) = int.from_bytes(H(seed || "object|" + x), "big")`; a stratum gives the
`k` IDs with the smallest key, in ascending key order. Digests of equal length
compare as bytes exactly as their big-endian integers do, so the bytes are
compared directly.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from operator import methodcaller

from shared.draw.counting import object_count
from shared.draw.model import StratumSpec
from shared.draw.population import normalized_strata
from shared.draw.text import check_id

_DIGEST = methodcaller("digest")


def object_key(seed: bytes, object_id: str) -> int:
    return int.from_bytes(hashlib.sha256(seed + b"object|" + object_id.encode("utf-8")).digest())


def first_guess(k: int) -> int:
    """How many keys the first threshold should admit: k plus a wide margin."""
    return k + 6 * math.isqrt(k) + 16


def select_from(seed: bytes, ids: Sequence[str], k: int) -> list[str]:
    """The `k` IDs of one stratum with the smallest keys, in ascending key order.

    Each key is the digest followed by the UTF-8 ID (digests compare as their
    big-endian integers; the ID settles an impossible tie and is read back from
    the key). Keys are uniform, so only those below a threshold expected to
    admit k + 6σ + 16 of them are sorted; if fewer than k pass (about never),
    the threshold doubles. The result is exact either way: the k smallest keys
    are always below a threshold that admits at least k. The pipeline is
    `map`/`filter` over C functions so a million IDs cost little more than a
    bare hashing loop.
    """
    n = len(ids)
    if k <= 0 or n == 0:
        return []
    encoded = list(map(str.encode, ids))
    prefix = seed + b"object|"
    wanted = first_guess(k)
    while True:
        keys = map(
            bytes.__add__,
            map(_DIGEST, map(hashlib.sha256, map(prefix.__add__, encoded))),
            encoded,
        )
        bound = (wanted << 256) // n
        if bound >= 1 << 256:
            kept = sorted(keys)
        else:
            kept = sorted(filter(bound.to_bytes(32, "big").__gt__, keys))
        if len(kept) >= k:
            return [key[32:].decode("utf-8") for key in kept[:k]]
        wanted *= 2


def select_ordered(
    seed: bytes, ordered: Mapping[str, Sequence[str]], specs: Mapping[str, StratumSpec]
) -> dict[str, list[str]]:
    """Selections for strata whose populations are already normalised, in stratum order."""
    return {
        name: select_from(seed, ids, object_count(len(ids), specs[name].ratio, specs[name].cap))
        for name, ids in ordered.items()
    }


def select_objects(seed: bytes, strata: Mapping[str, StratumSpec]) -> dict[str, list[str]]:
    """The selected IDs per stratum (strata in ascending name, IDs in key order)."""
    specs = {check_id(name): spec for name, spec in strata.items()}
    ordered = normalized_strata({name: spec.population for name, spec in specs.items()})
    return select_ordered(seed, ordered, specs)
