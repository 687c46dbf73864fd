"""A second, deliberately naive implementation of suicha-draw/1, written from the
spec page alone (Decimal arithmetic, integer keys, full scans): the property
tests check that `shared.draw` gives the same record on generated inputs."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any


def H(data: bytes) -> bytes:  # the spec's name
    return hashlib.sha256(data).digest()


def reference_draw(
    *,
    secret: bytes,
    witness_input: str,
    plan_id: str,
    strata: Mapping[str, tuple[str, int | None, Sequence[str]]],
    departments: Mapping[str, tuple[int, Sequence[str]]],
    conflicts: set[tuple[str, str]],
) -> dict[str, Any]:
    text = ""
    for s in sorted(strata):
        text += "stratum:" + s + "\n"
        for x in sorted(strata[s][2]):
            text += x + "\n"
    digest = H(text.encode()).hex()
    seed = H(secret + ("|" + witness_input + "|" + digest + "|" + plan_id).encode())

    selected: dict[str, list[str]] = {}
    for s in sorted(strata):
        ratio, cap, ids = strata[s]
        n, r = len(ids), Decimal(ratio)
        k = min(n, math.ceil(n * r))
        if r > 0 and n > 0:
            k = max(k, 1)
        if cap is not None:
            k = min(k, cap)

        def key(x: str) -> int:
            return int.from_bytes(H(seed + ("object|" + x).encode()), "big")

        selected[s] = sorted(ids, key=key)[:k]
    tasks = [x for s in sorted(strata) for x in selected[s]]

    load: dict[str, int] = {}
    assignments = []
    for x in tasks:
        team: dict[str, list[str]] = {}
        understaffed: list[str] = []
        on_task: list[str] = []
        for d in sorted(departments):
            per_task, pool = departments[d]
            m = max(per_task, 2) if len(departments) == 1 else per_task
            team[d] = []
            for _ in range(m):
                candidates = [i for i in pool if (x, i) not in conflicts and i not in on_task]
                if not candidates:
                    understaffed.append(d)
                    break

                def rank(i: str, x: str = x) -> tuple[int, int]:
                    ikey = H(seed + ("inspector|" + x + "|" + i).encode())
                    return (load.get(i, 0), int.from_bytes(ikey, "big"))

                best = min(candidates, key=rank)
                team[d].append(best)
                on_task.append(best)
                load[best] = load.get(best, 0) + 1
        assignments.append({"object_id": x, "inspectors": team, "understaffed": understaffed})
    return {
        "population_digest": digest,
        "seed": seed.hex(),
        "selected": selected,
        "assignments": assignments,
    }
