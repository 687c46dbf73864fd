"""Object selection on populations large enough for the threshold pre-filter."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.draw import objects
from shared.draw.objects import object_key, select_from
from tests.shared.draw.builders import credit_codes

POPULATION = credit_codes(5000)


def _naive(seed: bytes, ids: list[str], k: int) -> list[str]:
    return sorted(ids, key=lambda x: object_key(seed, x))[:k]


@settings(max_examples=30, deadline=None)
@given(seed=st.binary(min_size=32, max_size=32), k=st.integers(0, 5000))
def test_matches_sorting_every_key(seed: bytes, k: int) -> None:
    assert select_from(seed, POPULATION, k) == _naive(seed, POPULATION, k)


@pytest.mark.parametrize("k", [1, 7, 300, 4999])
def test_a_threshold_too_tight_is_widened_until_exact(
    monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    monkeypatch.setattr(objects, "first_guess", lambda k: 1)
    seed = hashlib.sha256(b"tight").digest()
    assert select_from(seed, POPULATION, k) == _naive(seed, POPULATION, k)
