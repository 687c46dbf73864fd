"""Unified social credit codes (GB 32100-2015): normalisation and every refusal."""

from __future__ import annotations

import pytest

from shared.credit_code import check_character, is_valid_credit_code, parse_credit_code
from shared.errors import SuichaError

VALID = "91230300MA1BCDEF1" + check_character("91230300MA1BCDEF1")


def test_check_character_worked_by_hand() -> None:
    # Values 9,1,3,5,0,1,0,0,M=21,0,0,0,1,0,0,Y=30,4 times weights 3^i mod 31
    # (1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28) sum to 1640;
    # 1640 mod 31 = 28, and 31 - 28 = 3.
    assert check_character("91350100M000100Y4") == "3"
    assert parse_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_a_valid_code_is_returned_unchanged() -> None:
    assert parse_credit_code(VALID) == VALID
    assert is_valid_credit_code(VALID)


@pytest.mark.parametrize(
    "typed",
    [
        VALID.lower(),
        " " + VALID[:8] + " " + VALID[8:] + "\t",
        "".join(chr(ord(c) + 0xFEE0) for c in VALID),  # full-width, as a Chinese IME types it
        "\u3000" + VALID + "\u3000",  # ideographic spaces
    ],
    ids=["lower case", "spaces", "full width", "ideographic spaces"],
)
def test_typing_variants_normalise_to_the_canonical_code(typed: str) -> None:
    assert parse_credit_code(typed) == VALID


def refusal(text: str) -> SuichaError:
    with pytest.raises(SuichaError) as caught:
        parse_credit_code(text)
    assert not is_valid_credit_code(text)
    return caught.value


def test_wrong_check_character_names_the_expected_one() -> None:
    wrong = "0" if VALID[17] != "0" else "1"
    error = refusal(VALID[:17] + wrong)
    assert error.code == "credit_code.check_digit"
    assert error.params == {"expected": VALID[17], "actual": wrong}
    assert VALID[17] in error.detail_zh


@pytest.mark.parametrize("text", ["", VALID[:17], VALID + "0", "9123"])
def test_wrong_length(text: str) -> None:
    error = refusal(text)
    assert error.code == "credit_code.length"
    assert error.params["length"] == len(text)


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "-", "中"])
def test_characters_outside_the_alphabet(bad: str) -> None:
    error = refusal(VALID[:5] + bad + VALID[6:])
    assert error.code == "credit_code.character"
    assert error.params["position"] == 6
