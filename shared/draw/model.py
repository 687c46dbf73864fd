"""Inputs of a draw, as plain frozen dataclasses."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StratumSpec:
    """One stratum (normally a credit-risk class A–D, or `all`).

    `ratio` is a decimal string in [0, 1] (`"0.05"`); `cap` limits the count
    (general items, 一般事项) or is None; `population` are the eligible IDs.
    """

    ratio: str
    cap: int | None
    population: Sequence[str]


@dataclass(frozen=True)
class DepartmentSpec:
    """A participating department: `pool` are its active inspectors holding
    every qualification in `required_qualifications` (before per-task conflicts)."""

    code: str
    per_task: int
    pool: Sequence[str]
    required_qualifications: Sequence[str] = ()


@dataclass(frozen=True)
class DrawInput:
    """Everything a draw needs. `conflicts` are declared (object_id, inspector_id)
    pairs (回避); `exclusions` are `{"id": ..., "reason": <code>}`."""

    plan_id: str
    server_secret: bytes
    witness_input: str
    strata: Mapping[str, StratumSpec]
    exclusions: Sequence[Mapping[str, str]]
    departments: Sequence[DepartmentSpec]
    conflicts: Collection[tuple[str, str]]
    drawn_at: str
    witness: str
    signatures: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
