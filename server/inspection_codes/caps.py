"""The annual cap (年度检查次数上限): how often one business may be inspected per year.

A cap is set per jurisdiction (an administrative division code, GB/T 2260) and
counts every inspection of the business that year across all departments:
random tasks and directed ones alike (directed tasks are exempt from the cap
but counted toward it). A business's cap is that of the most specific
jurisdiction whose code prefixes the business's region. Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MAX_CAP = 52
"""A cap above weekly visits is no cap: refused as a setting."""


def cap_for(region: str, caps: Mapping[str, int]) -> int | None:
    """The cap of the longest jurisdiction code prefixing `region`; None when none is set."""
    best: tuple[int, int] | None = None
    for jurisdiction, cap in caps.items():
        if region.startswith(jurisdiction) and (best is None or len(jurisdiction) > best[0]):
            best = (len(jurisdiction), cap)
    return best[1] if best else None


def at_cap(
    objects: Iterable[tuple[str, str]], counts: Mapping[str, int], caps: Mapping[str, int]
) -> set[str]:
    """Credit codes (of `(credit code, region)` pairs) already inspected `cap` times this year."""
    out: set[str] = set()
    for object_id, region in objects:
        cap = cap_for(region, caps)
        if cap is not None and counts.get(object_id, 0) >= cap:
            out.add(object_id)
    return out
