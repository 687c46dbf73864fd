"""HTTP endpoints of review (审核) and publication (公示) for back-office staff."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from server.http.auth import CurrentPrincipal, allow
from server.http.paging import Page
from server.publication import review, service
from server.publication.schemas import (
    DecisionIn,
    DecisionOut,
    PublicationOut,
    PublishIn,
    ReviewSummaryOut,
    TaskReviewOut,
)


class ReviewTaskController(Controller):
    path = "/review/tasks"
    tags = ["review"]

    @get("/", guards=[allow("review.read")])
    async def list_tasks(
        self,
        principal: CurrentPrincipal,
        plan: Annotated[str | None, QueryParameter(max_length=64)] = None,
        department: Annotated[str | None, QueryParameter(max_length=32)] = None,
        published: Annotated[bool | None, QueryParameter()] = None,
        due_before: Annotated[date | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[ReviewSummaryOut]:
        """Submitted tasks with their review state and publication deadline."""
        return await review.review_list(
            principal,
            plan=plan,
            department=department,
            published=published,
            due_before=due_before,
            limit=limit,
            offset=offset,
        )

    @get("/{task_id:int}", guards=[allow("review.read")])
    async def get_task(self, principal: CurrentPrincipal, task_id: FromPath[int]) -> TaskReviewOut:
        """One task: each item's current result (photos included), state and opinion history."""
        return await review.task_review(principal, task_id)

    @post(
        "/{task_id:int}/items/{item:str}/decision",
        guards=[allow("review.decide")],
        status_code=201,
    )
    async def decide(
        self,
        principal: CurrentPrincipal,
        task_id: FromPath[int],
        item: FromPath[str],
        data: JSONBody[DecisionIn],
    ) -> DecisionOut:
        """Approve (`approve`) or return (`return`, with a reason) the current result version."""
        return await review.decide(principal, task_id, item, data)

    @post("/{task_id:int}/publish", guards=[allow("publication.publish")], status_code=201)
    async def publish(
        self, principal: CurrentPrincipal, task_id: FromPath[int], data: JSONBody[PublishIn]
    ) -> PublicationOut:
        """Publish the approved results; a later call with a reason publishes a correction."""
        return await service.publish(principal, task_id, data.reason)
