"""HTTP endpoint of the security log: admins read it, newest first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from server.http.auth import allow
from server.http.paging import Page, clamp_limit, page_of
from server.security import queries
from server.security.errors import SINCE_OUT_OF_RANGE
from server.security.kinds import Kind
from server.security.schemas import SecurityEventOut
from shared.errors import SuichaError


def _in_utc(since: datetime) -> datetime:
    """`since` in UTC; a time without a zone is taken as UTC."""
    if since.tzinfo is None:
        return since.replace(tzinfo=UTC)
    try:
        return since.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise SuichaError(SINCE_OUT_OF_RANGE, since=since.isoformat()) from None


class SecurityController(Controller):
    path = "/security/events"
    tags = ["security"]
    guards = [allow("security.read")]

    @get("/")
    async def list_events(
        self,
        kind: Annotated[Kind | None, QueryParameter()] = None,
        user: Annotated[str | None, QueryParameter(max_length=64)] = None,
        since: Annotated[datetime | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[SecurityEventOut]:
        """Security events (安全日志), newest first, filtered by kind, user name and time
        (`since`, inclusive; a time without a zone is UTC)."""
        limit = clamp_limit(limit)
        rows, total = await queries.list_events(
            limit=limit,
            offset=offset,
            kind=kind.value if kind else None,
            username=user,
            since=_in_utc(since) if since is not None else None,
        )
        return page_of([SecurityEventOut(**row) for row in rows], total, limit, offset)
