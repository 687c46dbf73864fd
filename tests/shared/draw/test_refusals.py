"""Bad draw inputs are refused with a stable code before anything is drawn."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from shared.draw import DepartmentSpec, StratumSpec, commitment, derive_seed, object_count, run_draw
from shared.errors import SuichaError
from tests.shared.draw.builders import badges, credit_codes, draw_input

CODES = credit_codes(20)
DEPARTMENTS = {"SCJG": (1, badges("SC", 3))}


def _refused(code: str, **overrides: Any) -> SuichaError:
    base = draw_input(strata={"A": ("0.1", None, CODES)}, departments=DEPARTMENTS)
    with pytest.raises(SuichaError) as caught:
        run_draw(replace(base, **overrides))
    assert caught.value.code == code
    assert caught.value.detail_zh and caught.value.detail_en
    return caught.value


@pytest.mark.parametrize("ratio", ["1.5", "1.0001", "2"])
def test_ratio_above_one(ratio: str) -> None:
    _refused("draw.ratio_out_of_range", strata={"A": StratumSpec(ratio, None, CODES)})
    with pytest.raises(SuichaError, match=r"draw\.ratio_out_of_range"):
        object_count(10, ratio, None)


@pytest.mark.parametrize("ratio", ["-0.1", "abc", "", " 0.5", "1e-2", "1/2", "NaN", "0,5", ".5"])
def test_ratio_not_a_decimal_string(ratio: str) -> None:
    _refused("draw.ratio_not_decimal", strata={"A": StratumSpec(ratio, None, CODES)})


@pytest.mark.parametrize("ratio", [0.5, 1, None])
def test_ratio_of_another_type(ratio: Any) -> None:
    _refused("draw.ratio_not_decimal", strata={"A": StratumSpec(ratio, None, CODES)})


@pytest.mark.parametrize("cap", [-1, 1.5, "3", True])
def test_bad_cap(cap: Any) -> None:
    _refused("draw.cap_invalid", strata={"A": StratumSpec("0.1", cap, CODES)})


@pytest.mark.parametrize("witness_input", ["", "   ", "\t"])
def test_empty_witness_input(witness_input: str) -> None:
    _refused("draw.witness_empty", witness_input=witness_input)
    with pytest.raises(SuichaError, match=r"draw\.witness_empty"):
        derive_seed(bytes(32), witness_input, "00" * 32, "P-1")


def test_empty_population() -> None:
    _refused("draw.empty_population", strata={})
    _refused("draw.empty_population", strata={"A": StratumSpec("0.1", None, [])})
    everyone_excluded = [{"id": x, "reason": "deregistered"} for x in CODES]
    _refused("draw.empty_population", exclusions=everyone_excluded)


def test_no_departments() -> None:
    _refused("draw.no_departments", departments=[])


@pytest.mark.parametrize("per_task", [0, -1, 1.0])
def test_bad_inspectors_per_task(per_task: Any) -> None:
    _refused("draw.per_task_invalid", departments=[DepartmentSpec("SCJG", per_task, ["SC-001"])])


@pytest.mark.parametrize("bad", ["", "9111\n0000", "tab\there", None, 42])
def test_bad_ids(bad: Any) -> None:
    _refused("draw.invalid_id", strata={"A": StratumSpec("0.1", None, [*CODES, bad])})
    _refused("draw.invalid_id", departments=[DepartmentSpec("SCJG", 1, ["SC-001", bad])])


def test_repeated_ids() -> None:
    error = _refused(
        "draw.duplicate_id", strata={"A": StratumSpec("0.1", None, [*CODES, CODES[3]])}
    )
    assert error.params["id"] == CODES[3]
    _refused(
        "draw.duplicate_id",
        strata={
            "A": StratumSpec("0.1", None, CODES[:10]),
            "B": StratumSpec("0.1", None, CODES[9:]),
        },
    )
    # The same ID typed in decomposed and composed form is one ID (NFC).
    _refused("draw.duplicate_id", strata={"A": StratumSpec("0.1", None, ["Cafe\u0301", "Café"])})
    _refused(
        "draw.duplicate_id",
        departments=[DepartmentSpec("SCJG", 1, ["SC-001"]), DepartmentSpec("SCJG", 1, ["SC-002"])],
    )


def test_bad_secret() -> None:
    _refused("draw.secret_invalid", server_secret=bytes(31))
    with pytest.raises(SuichaError, match=r"draw\.secret_invalid"):
        commitment(b"short")


@pytest.mark.parametrize("field", ["plan_id", "drawn_at", "witness"])
def test_empty_required_text(field: str) -> None:
    error = _refused("draw.field_empty", **{field: " "})
    assert error.params["field"] == field


@pytest.mark.parametrize(
    "entry", [{"id": CODES[0]}, {"reason": "deregistered"}, {"id": CODES[0], "reason": ""}]
)
def test_bad_exclusion(entry: dict[str, str]) -> None:
    _refused("draw.exclusion_invalid", exclusions=[entry])
