"""Draw inputs for the tests: realistic credit codes and badge numbers."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence

from shared.credit_code import check_character
from shared.draw import DepartmentSpec, DrawInput, StratumSpec


def credit_codes(count: int, *, start: int = 0) -> list[str]:
    """`count` valid unified social credit codes (distinct, deterministic)."""
    codes = []
    for number in range(start, start + count):
        body = f"91110000{number:09d}"
        codes.append(body + check_character(body))
    return codes


def badges(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{n:03d}" for n in range(1, count + 1)]


def secret(label: str) -> bytes:
    return hashlib.sha256(label.encode()).digest()


def draw_input(
    *,
    strata: Mapping[str, tuple[str, int | None, Sequence[str]]],
    departments: Mapping[str, tuple[int, Sequence[str]]],
    conflicts: Collection[tuple[str, str]] = (),
    exclusions: Sequence[Mapping[str, str]] = (),
    witness_input: str = "20260302 李明 7391",
    plan_id: str = "2026-SCJG-007",
    server_secret: bytes | None = None,
) -> DrawInput:
    return DrawInput(
        plan_id=plan_id,
        server_secret=server_secret if server_secret is not None else secret(plan_id),
        witness_input=witness_input,
        strata={
            name: StratumSpec(ratio=ratio, cap=cap, population=list(ids))
            for name, (ratio, cap, ids) in strata.items()
        },
        exclusions=list(exclusions),
        departments=[
            DepartmentSpec(code=code, per_task=per_task, pool=list(pool))
            for code, (per_task, pool) in departments.items()
        ],
        conflicts=list(conflicts),
        drawn_at="2026-03-02T09:30:00+08:00",
        witness="纪检监察室 李明",
        signatures=[{"name": "李明", "role": "纪检监察", "at": "2026-03-02T09:35:00+08:00"}],
    )


def medium_input() -> DrawInput:
    """Four strata, two departments, a few conflicts and exclusions."""
    codes = credit_codes(400)
    return draw_input(
        strata={
            "A": ("0.05", None, codes[:100]),
            "B": ("0.1", None, codes[100:250]),
            "C": ("0.2", 5, codes[250:350]),
            "D": ("0.5", None, codes[350:398]),
        },
        departments={"SCJG": (1, badges("SC", 6)), "YJGL": (1, badges("YJ", 3))},
        conflicts=[(x, "SC-001") for x in codes[:400:3]] + [(codes[360], "YJ-002")],
        exclusions=[
            {"id": codes[398], "reason": "deregistered"},
            {"id": codes[399], "reason": "inspected_recently"},
        ],
    )
