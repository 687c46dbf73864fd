"""Answer types of the notification endpoints."""

from __future__ import annotations

from datetime import datetime

import msgspec


class NotificationOut(msgspec.Struct):
    id: int
    kind: str
    title: str
    body: str
    task: int | None
    created_at: datetime
    read_at: datetime | None
