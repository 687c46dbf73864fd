"""The one place that wires the Litestar application together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.middleware.base import DefineMiddleware
from piccolo.engine.postgres import PostgresEngine

from server.accounts.controllers import AuthController, UserController
from server.audit.controllers import AuditController
from server.calendar.controllers import CalendarController, DeadlineRuleController
from server.categories.controllers import CategoryController
from server.db.transaction import current_engine
from server.draws.controllers import DrawController, PlanDrawController
from server.field.controllers import AttachmentReadController, FieldController, ReviewController
from server.field.uploads import partial_upload_sweeper
from server.http.auth import PRINCIPAL_DEPENDENCY, BearerTokenMiddleware
from server.http.bounds import BoundedRequest, check_request_parameters
from server.http.errors import EXCEPTION_HANDLERS
from server.http.headers import add_security_headers
from server.http.openapi import openapi_config, swagger_assets
from server.inspection_codes.controllers import (
    AccessCodeController,
    AnnualCapController,
    CheckInController,
    DirectedTaskController,
    NoticeController,
    ObjectionController,
    ObjectionOfficeController,
    PublicKeyController,
    RatingController,
    TaskCodeController,
)
from server.inspection_codes.pages import CheckPages
from server.notifications.controllers import NotificationController
from server.plans.controllers import PlanController
from server.portal.controllers import PortalController
from server.portal.pages import PortalPages
from server.public.controllers import PublicController
from server.public.pages import PublicPages, static_files
from server.publication.controllers import ReviewTaskController
from server.records.controllers import CreditController, RecordsController
from server.records.reports.controllers import AccountabilityController, ReportController
from server.rosters.controllers import (
    DepartmentController,
    InspectorController,
    ItemController,
    ObjectController,
    RiskClassController,
    RosterFileController,
)
from server.scheduler.runner import scheduler_lifespan
from server.security.controllers import SecurityController
from server.tasks.controllers import TaskController
from server.workspace.router import workspace_router

API_PREFIX = "/api/v1"


@asynccontextmanager
async def database_pool(_: Litestar) -> AsyncIterator[None]:
    engine = current_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool()
        try:
            yield
        finally:
            await engine.close_connection_pool()
    else:
        yield


def api_routes() -> list[type]:
    return [
        AuthController,
        UserController,
        PlanController,
        PlanDrawController,
        DrawController,
        TaskController,
        PublicController,
        FieldController,
        AttachmentReadController,
        ReviewController,
        DepartmentController,
        RiskClassController,
        ItemController,
        InspectorController,
        ObjectController,
        RosterFileController,
        AuditController,
        CategoryController,
        SecurityController,
        CalendarController,
        DeadlineRuleController,
        ReviewTaskController,
        PortalController,
        NotificationController,
        PublicKeyController,
        TaskCodeController,
        AnnualCapController,
        DirectedTaskController,
        AccessCodeController,
        RatingController,
        ObjectionController,
        ObjectionOfficeController,
        CheckInController,
        NoticeController,
        ReportController,
        AccountabilityController,
        RecordsController,
        CreditController,
    ]


def create_app() -> Litestar:
    api = Router(path=API_PREFIX, route_handlers=api_routes())
    return Litestar(
        route_handlers=[
            api,
            PublicPages,
            PortalPages,
            CheckPages,
            static_files(),
            swagger_assets(),
            workspace_router(),
        ],
        # OPTIONS is authenticated like any other method: a guarded route
        # answers it only to a caller its guard admits.
        middleware=[
            DefineMiddleware(BearerTokenMiddleware, exclude=["^/schema"], exclude_http_methods=[])
        ],
        before_send=[add_security_headers],
        request_class=BoundedRequest,
        before_request=check_request_parameters,
        dependencies=PRINCIPAL_DEPENDENCY,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=[database_pool, partial_upload_sweeper, scheduler_lifespan],
        openapi_config=openapi_config(),
        debug=False,
    )
