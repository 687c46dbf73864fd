"""Drawing inspectors for the drawn objects (`suicha-draw/1` §5).

For each task (object) in task order and each department in ascending code,
`m(d)` times: pick the inspector of `pool(d, x)` (the pool minus those with a
declared conflict with `x`, minus those already on the task) with the smallest
`(load(i), ikey(i, x))`, where `ikey(i, x) = int.from_bytes(H(seed ||
"inspector|" + x + "|" + i), "big")`; then `load(i) += 1`. A pool that runs dry
names the department in the task's `understaffed` list.

Only inspectors of the lowest load present can win, so keys are computed for
that group only: the result is the one the rule defines, without hashing every
pool member for every task.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_EMPTY: frozenset[str] = frozenset()
_DIGEST = hashlib.sha256().digest_size


def required_count(per_task: int, department_count: int) -> int:
    """m(d): the plan's count, but two officers on site when one department goes alone."""
    return max(per_task, 2) if department_count == 1 else per_task


def inspector_key(seed: bytes, object_id: str, inspector_id: str) -> int:
    text = "inspector|" + object_id + "|" + inspector_id
    return int.from_bytes(hashlib.sha256(seed + text.encode("utf-8")).digest())


@dataclass(frozen=True)
class DepartmentPool:
    """A department as the algorithm sees it: code, m(d) and the ordered pool."""

    code: str
    count: int
    pool: Sequence[str]


@dataclass
class _Levels:
    """A department's pool grouped by current load (load → UTF-8 inspector IDs)."""

    by_load: dict[int, set[bytes]] = field(default_factory=dict)
    lowest: int = 0
    highest: int = 0

    def move_up(self, inspector: bytes, load: int) -> None:
        group = self.by_load[load]
        group.discard(inspector)
        self.by_load.setdefault(load + 1, set()).add(inspector)
        self.highest = max(self.highest, load + 1)
        if not group:
            del self.by_load[load]
            while self.lowest not in self.by_load and self.lowest < self.highest:
                self.lowest += 1


def _best(prefix: bytes, candidates: Iterable[bytes]) -> bytes:
    """The candidate (UTF-8 ID) with the smallest ikey.

    Each key is the digest followed by the ID itself: digests of equal length
    compare as their big-endian integers do, and the ID (UTF-8 order is
    code-point order) settles an impossible digest tie, so set iteration order
    never matters. This inner loop runs for every low-load candidate of every
    task, hence bytes throughout and no per-call lambda.
    """
    sha256 = hashlib.sha256
    return min([sha256(prefix + i).digest() + i for i in candidates])[_DIGEST:]


def assign_inspectors(
    seed: bytes,
    tasks: Sequence[str],
    departments: Sequence[DepartmentPool],
    conflicts: Mapping[str, frozenset[str] | set[str]],
) -> list[dict[str, Any]]:
    """One assignment per task: `{"object_id", "inspectors": {code: [...]}, "understaffed"}`."""
    loads: dict[bytes, int] = {}
    levels: dict[str, _Levels] = {}
    holders: dict[bytes, list[_Levels]] = {}
    for dept in departments:
        state = _Levels()
        for inspector in dept.pool:
            encoded = inspector.encode("utf-8")
            loads[encoded] = 0
            state.by_load.setdefault(0, set()).add(encoded)
            holders.setdefault(encoded, []).append(state)
        levels[dept.code] = state

    assignments: list[dict[str, Any]] = []
    for x in tasks:
        prefix = seed + ("inspector|" + x + "|").encode("utf-8")
        blocked = {i.encode("utf-8") for i in conflicts.get(x, _EMPTY)}
        team: dict[str, list[str]] = {}
        understaffed: list[str] = []
        for dept in departments:
            state = levels[dept.code]
            chosen: list[str] = []
            for _ in range(dept.count):
                picked = _pick(prefix, state, blocked)
                if picked is None:
                    understaffed.append(dept.code)
                    break
                chosen.append(picked.decode("utf-8"))
                blocked.add(picked)
                load = loads[picked]
                for holder in holders[picked]:
                    holder.move_up(picked, load)
                loads[picked] = load + 1
            team[dept.code] = chosen
        assignments.append({"object_id": x, "inspectors": team, "understaffed": understaffed})
    return assignments


def _pick(prefix: bytes, state: _Levels, blocked: set[bytes]) -> bytes | None:
    for load in range(state.lowest, state.highest + 1):
        group = state.by_load.get(load)
        if not group:
            continue
        candidates = group - blocked if blocked else group
        if candidates:
            return _best(prefix, candidates)
    return None


def pick_replacement(
    seed: bytes, object_id: str, pool: Iterable[str], loads: Mapping[str, int]
) -> str | None:
    """The §5 rule for a single pick over `pool` (already stripped of conflicts and
    of everyone on the task) with the given loads; None when the pool is empty."""
    candidates = list(pool)
    if not candidates:
        return None
    lowest = min(loads.get(i, 0) for i in candidates)
    prefix = seed + ("inspector|" + object_id + "|").encode("utf-8")
    group = [i.encode("utf-8") for i in candidates if loads.get(i, 0) == lowest]
    return _best(prefix, group).decode("utf-8")
