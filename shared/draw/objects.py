"""Drawing objects (`suicha-draw/1` §4).

`key(x) = int.from_bytes(H(seed || "object|" + x), "big")`; a stratum gives the
`k` IDs with the smallest key, in ascending key order. Digests of equal length
compare as bytes exactly as their big-endian integers do, so the bytes are
compared directly.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Mapping, Sequence

from shared.draw.counting import object_count
from shared.draw.model import StratumSpec
from shared.draw.population import normalized_strata
from shared.draw.text import check_id


def object_key(seed: bytes, object_id: str) -> int:
    return int.from_bytes(hashlib.sha256(seed + b"object|" + object_id.encode("utf-8")).digest())


def select_from(seed: bytes, ids: Sequence[str], k: int) -> list[str]:
    """The `k` IDs of one stratum with the smallest keys, in ascending key order."""
    if k <= 0:
        return []
    prefix = seed + b"object|"
    sha256 = hashlib.sha256
    keyed = ((sha256(prefix + x.encode("utf-8")).digest(), x) for x in ids)
    # Digests never collide in practice; the ID breaks a tie deterministically anyway.
    return [x for _, x in heapq.nsmallest(k, keyed)]


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
