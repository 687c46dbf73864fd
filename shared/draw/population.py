"""The eligible population and its digest (`suicha-draw/1` §2).

```
population_text = for each stratum name s in ascending order:
                    "stratum:" + s + "\\n", then each ID x of s in ascending order: x + "\\n"
population_digest = hex(H(population_text))
```
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence

from shared.draw.text import check_id, sorted_ids

# IDs hashed per `update()` call: large enough to be fast, small enough that
# a million IDs never become one 20 MB string.
_CHUNK = 50_000


def normalized_strata(strata: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Strata in ascending name, each with its IDs in NFC and ascending order.

    Refuses an invalid name or ID and an ID repeated within a stratum; an ID in
    two strata is refused by the draw, which sees every stratum.
    """
    named = {check_id(name): ids for name, ids in strata.items()}
    return {name: sorted_ids(named[name], where=f"stratum {name}") for name in sorted(named)}


def _pieces(ordered: Mapping[str, Sequence[str]]) -> Iterator[str]:
    for name, ids in ordered.items():
        yield "stratum:" + name + "\n"
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            yield "\n".join(chunk) + "\n"


def population_text(strata: Mapping[str, Sequence[str]]) -> str:
    return "".join(_pieces(normalized_strata(strata)))


def digest_of_ordered(ordered: Mapping[str, Sequence[str]]) -> str:
    """The digest of strata already normalised and ordered."""
    h = hashlib.sha256()
    for piece in _pieces(ordered):
        h.update(piece.encode("utf-8"))
    return h.hexdigest()


def population_digest(strata: Mapping[str, Sequence[str]]) -> str:
    return digest_of_ordered(normalized_strata(strata))
