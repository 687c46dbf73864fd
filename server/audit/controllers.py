"""HTTP endpoints of the audit log: read it (newest first) and verify its hash chain."""

from __future__ import annotations

import json
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from server.audit import log, queries
from server.audit.schemas import AuditEntryOut, ChainBreakOut, VerifyResult
from server.http.auth import allow
from server.http.paging import Page, clamp_limit, page_of


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]
    guards = [allow("audit.read")]

    @get("/")
    async def list_entries(
        self,
        action: Annotated[str | None, QueryParameter()] = None,
        entity: Annotated[str | None, QueryParameter()] = None,
        entity_id: Annotated[str | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[AuditEntryOut]:
        limit = clamp_limit(limit)
        rows, total = await queries.list_entries(
            limit=limit, offset=offset, action=action, entity=entity, entity_id=entity_id
        )
        entries = [AuditEntryOut(**{**row, "change": json.loads(row["change"])}) for row in rows]
        return page_of(entries, total, limit, offset)

    @get("/verify")
    async def verify(self) -> VerifyResult:
        """Recompute every link of the chain; `breaks` lists where it does not hold."""
        breaks = await log.verify_chain()
        count, head = await queries.head()
        return VerifyResult(
            intact=not breaks,
            entries=count,
            head_hash=head or log.GENESIS_HASH,
            breaks=[ChainBreakOut(entry_id=b.entry_id, reason=b.reason) for b in breaks],
        )
