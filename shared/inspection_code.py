"""Inspection codes (检查码, 扫码入企): the code format, the signed payload, verification.

A code reads `2026-SCJG-7K3M9QX`: the year, the jurisdiction (the lead department's
code), six random Crockford base-32 characters and one check character, so that a
mistyped code is caught before any lookup. The QR on the officer's screen and on the
inspection notice holds `/check/{code}?s={signature}`: an Ed25519 signature by the
server over the canonical JSON of the code and the task's key fields
(`signed_payload`). Anyone holding the published public key
(`/api/v1/public/keys`) can check it offline; see docs/inspection-codes.md.

Plain Python: no database, no HTTP.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from shared.canonical import canonical_json

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base 32: no I, L, O, U, so a code read aloud is not misheard."""
RANDOM_LENGTH = 6
SCHEME = "suicha-check/1"
"""The version of the signed payload's layout, part of what is signed."""
KINDS = ("random", "directed")
REASON_CATEGORIES = {
    "complaint": "投诉举报",
    "referral": "转办交办",
    "data_monitoring": "大数据监测",
}
"""Why a directed (non-random) inspection happens; never who complained."""
SIGNED_FIELDS = (
    "code",
    "task",
    "object_id",
    "department",
    "plan",
    "kind",
    "valid_from",
)
"""The task's key fields a signature covers, besides the scheme."""

_CODE = re.compile(r"^(\d{4})-([A-Z0-9]{1,32})-([0-9A-Z]{7})$")
_SIGNATURE = re.compile(r"^[A-Za-z0-9_-]{86}$")


def check_character(body: str) -> str:
    """The check character over the year, jurisdiction and random part (weighted sum mod 32)."""
    total = 0
    for position, char in enumerate(body.upper(), start=1):
        total += position * (ALPHABET.index(char) if char in ALPHABET else ord(char))
    return ALPHABET[total % 32]


def new_code(year: int, jurisdiction: str) -> str:
    """A fresh code; uniqueness per year and jurisdiction is the table's to enforce."""
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    body = f"{year}-{jurisdiction.upper()}-{random_part}"
    return f"{body}{check_character(body)}"


def well_formed(code: str) -> bool:
    """Shape and check character right: worth a lookup."""
    if len(code) > 48 or not _CODE.match(code):
        return False
    random_part = code.rsplit("-", 1)[1]
    if any(c not in ALPHABET for c in random_part):
        return False
    return check_character(code[:-1]) == code[-1]


def signed_payload(fields: Mapping[str, Any]) -> bytes:
    """The exact bytes signed: canonical JSON of the scheme and `SIGNED_FIELDS`."""
    missing = [name for name in SIGNED_FIELDS if name not in fields]
    if missing:
        raise ValueError(f"signed payload lacks {missing}")
    body = {name: fields[name] for name in SIGNED_FIELDS}
    return canonical_json({"scheme": SCHEME, **body}).encode("utf-8")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def sign(private_key: Ed25519PrivateKey, fields: Mapping[str, Any]) -> str:
    """The signature as unpadded base64url (86 characters), as put in the QR's URL."""
    return _b64(private_key.sign(signed_payload(fields)))


def verify(public_key: Ed25519PublicKey, fields: Mapping[str, Any], signature: str) -> bool:
    """True only if `signature` is this key's signature over exactly these fields."""
    if not _SIGNATURE.match(signature or ""):
        return False
    try:
        raw = base64.urlsafe_b64decode(signature + "==")
        public_key.verify(raw, signed_payload(fields))
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def public_key_raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 16 hex digits of the SHA-256 of the raw public key: names the key in the QR."""
    return hashlib.sha256(public_key_raw(public_key)).hexdigest()[:16]


def public_key_b64(public_key: Ed25519PublicKey) -> str:
    return _b64(public_key_raw(public_key))


def check_url(base_url: str, code: str, signature: str) -> str:
    """What the QR holds."""
    return f"{base_url.rstrip('/')}/check/{code}?s={signature}"
