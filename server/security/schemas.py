"""Response bodies of the security log API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class SecurityEventOut(msgspec.Struct):
    id: int
    at: datetime
    kind: str
    user_id: int | None
    username: str
    device_id: str
    client_address: str
    detail: dict[str, Any]
