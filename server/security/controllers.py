"""HTTP endpoint of the security log: admins read it, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from server.http.auth import allow
from server.http.paging import Page, clamp_limit, page_of
from server.security import queries
from server.security.kinds import Kind
from server.security.schemas import SecurityEventOut


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
        """Security events (安全日志), filtered by kind, user name and time (`since`, inclusive)."""
        limit = clamp_limit(limit)
        rows, total = await queries.list_events(
            limit=limit,
            offset=offset,
            kind=kind.value if kind else None,
            username=user,
            since=since,
        )
        return page_of([SecurityEventOut(**row) for row in rows], total, limit, offset)
