"""The caller's own notifications (提醒)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, QueryParameter

from server.http.auth import CurrentPrincipal, allow
from server.http.paging import Page
from server.notifications import service
from server.notifications.schemas import NotificationOut


class NotificationController(Controller):
    path = "/notifications"
    tags = ["notifications"]
    guards = [allow("notifications.read")]

    @get("/")
    async def mine(
        self,
        principal: CurrentPrincipal,
        unread: Annotated[bool, QueryParameter()] = False,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[NotificationOut]:
        """The caller's notifications, newest first (`unread=true`: unread only)."""
        return await service.my_notifications(principal, unread, limit, offset)

    @post("/{notification_id:int}/read", status_code=204)
    async def read(self, principal: CurrentPrincipal, notification_id: FromPath[int]) -> None:
        """Mark one of the caller's notifications read."""
        await service.read(principal, notification_id)
