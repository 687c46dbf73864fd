"""The workspace as one Router: its session middleware, CSRF check, HTML refusals and
every page group. `server/app.py` mounts `workspace_router()`; a new page group adds
its controller to `PAGE_GROUPS`."""

from __future__ import annotations

from litestar import Router

from server.http.auth import PUBLIC
from server.workspace.auth import WorkspaceSessionMiddleware, check_request
from server.workspace.controllers.admin import AdminPages
from server.workspace.controllers.archives import ArchivePages
from server.workspace.controllers.draws import DrawPages
from server.workspace.controllers.home import HomePages, static_routers
from server.workspace.controllers.notifications import NotificationPages
from server.workspace.controllers.objections import ObjectionPages
from server.workspace.controllers.plans import PlanPages
from server.workspace.controllers.progress import DirectedPages, ProgressPages
from server.workspace.controllers.reports import ReportPages
from server.workspace.controllers.review import ReviewPages
from server.workspace.controllers.rosters import RosterPages
from server.workspace.controllers.signin import SignInPages, SignOutPages
from server.workspace.controllers.templates import TemplatePages
from server.workspace.pages import workspace_error_handler
from shared.errors import SuichaError

PAGE_GROUPS: list[type] = [
    SignInPages,
    SignOutPages,
    HomePages,
    RosterPages,
    TemplatePages,
    AdminPages,
    NotificationPages,
    PlanPages,
    DrawPages,
    ReviewPages,
    ObjectionPages,
    ProgressPages,
    DirectedPages,
    ArchivePages,
    ReportPages,
]


def workspace_router() -> Router:
    # The API's bearer-token middleware steps aside (PUBLIC); the workspace's own
    # session middleware admits the caller instead.
    return Router(
        path="/",
        route_handlers=[*PAGE_GROUPS, *static_routers()],
        opt=PUBLIC,
        middleware=[WorkspaceSessionMiddleware()],
        before_request=check_request,
        exception_handlers={SuichaError: workspace_error_handler},  # type: ignore[dict-item]
        include_in_schema=False,
    )
