"""Commit, witness, reveal and the seed (`suicha-draw/1` §1 and §3)."""

from __future__ import annotations

import hashlib
import secrets

from shared.draw.errors import FIELD_EMPTY, SECRET_INVALID, WITNESS_EMPTY
from shared.draw.text import nfc
from shared.errors import SuichaError

SECRET_BYTES = 32


def new_server_secret() -> bytes:
    """32 random bytes, created when the draw is scheduled and kept until the ceremony."""
    return secrets.token_bytes(SECRET_BYTES)


def check_secret(server_secret: bytes) -> bytes:
    if not isinstance(server_secret, bytes | bytearray) or len(server_secret) != SECRET_BYTES:
        raise SuichaError(SECRET_INVALID)
    return bytes(server_secret)


def commitment(server_secret: bytes) -> str:
    """`hex(H(server_secret))`, published before the witness types anything."""
    return hashlib.sha256(check_secret(server_secret)).hexdigest()


def check_witness_input(witness_input: object) -> str:
    """The witness input in NFC; refuses an empty or blank one (`draw.witness_empty`)."""
    if not isinstance(witness_input, str) or not witness_input.strip():
        raise SuichaError(WITNESS_EMPTY)
    return nfc(witness_input)


def check_text(value: object, field: str) -> str:
    """A required non-blank text field in NFC (`draw.field_empty`)."""
    if not isinstance(value, str) or not value.strip():
        raise SuichaError(FIELD_EMPTY, field=field)
    return nfc(value)


def derive_seed(
    server_secret: bytes, witness_input: str, population_digest: str, plan_id: str
) -> bytes:
    """`H(secret || "|" + witness_input + "|" + population_digest + "|" + plan_id)`."""
    text = "|" + check_witness_input(witness_input) + "|" + population_digest + "|"
    text += check_text(plan_id, "plan_id")
    return hashlib.sha256(check_secret(server_secret) + text.encode("utf-8")).digest()
