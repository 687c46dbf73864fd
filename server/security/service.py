"""Write security events without ever failing the request that caused them."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from server.db.transaction import write_transaction
from server.security import queries
from server.security.kinds import Kind

logger = logging.getLogger("suicha.security")


async def record(
    kind: Kind,
    *,
    user_id: int | None = None,
    username: str = "",
    device_id: str = "",
    client: str = "",
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one event in its own transaction.

    Call it outside any write transaction: the event must stay even when the
    request's own writes roll back (a refusal is exactly such a case). A failure
    to write is logged and swallowed — the security log never makes a request fail.
    """
    try:
        async with write_transaction():
            await queries.insert_event(
                at=datetime.now(UTC),
                kind=kind.value,
                user_id=user_id,
                username=username[:64],
                device_id=device_id[:128],
                client_address=client[:64],
                detail=dict(detail or {}),
            )
    except Exception:
        logger.exception("could not write security event %s for %r", kind.value, username)
