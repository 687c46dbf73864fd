"""The server's Ed25519 key pair for inspection codes, generated once in the data folder.

The private key is a PEM file created with mode 0600 (`O_EXCL`, so two processes
starting together never write two keys: the loser reads the winner's). Only the
public key leaves the server, at `/api/v1/public/keys`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from server.settings import data_dir

KEY_FILE = "inspection-code-ed25519.pem"


def key_path() -> Path:
    return data_dir() / KEY_FILE


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as out:
        out.write(pem)


@lru_cache(maxsize=4)
def _load(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        _create(path)
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"{path} does not hold an Ed25519 private key")
    return key


def signing_key() -> Ed25519PrivateKey:
    """The private key of the current data folder (created on first use)."""
    return _load(key_path())
