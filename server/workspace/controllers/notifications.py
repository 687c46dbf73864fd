"""Notifications (提醒): the scheduler's reminders and escalations for the signed-in person."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter

from server.http.auth import allow
from server.notifications import queries
from server.notifications import service as notifications
from server.workspace.pages import redirect, render
from shared.errors import SuichaError

PAGE_SIZE = 50


class NotificationPages(Controller):
    path = "/workspace/notifications"
    guards = [allow("notifications.read")]

    @get("/")
    async def list_notifications(
        self,
        request: Request[Any, Any, Any],
        unread: Annotated[bool, QueryParameter()] = False,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
    ) -> Response[str]:
        rows, total = await queries.of_user(
            request.user.user_id, unread, PAGE_SIZE, (page - 1) * PAGE_SIZE
        )
        base = "?unread=true&" if unread else "?"
        return await render(
            request,
            "notifications.html",
            rows=rows,
            total=total,
            only_unread=unread,
            next_href=f"{base}page={page + 1}" if page * PAGE_SIZE < total else None,
            first_href=base if page > 1 else None,
        )

    @post("/{notification_id:int}/read", status_code=303)
    async def mark_read(
        self, request: Request[Any, Any, Any], notification_id: FromPath[int]
    ) -> Response[Any]:
        try:
            await notifications.read(request.user, notification_id)
        except SuichaError as refusal:
            return redirect(request, "/workspace/notifications", refusal.detail_zh, "error")
        return redirect(request, "/workspace/notifications", "已标记为已读")
