"""Archive downloads (归档下载): a drawn plan with every task, or one task, as the zip of
`server.records.archive` (records, photos, audit excerpt, manifest with hashes).
Sent as `server.records.downloads.archive_download` sends it (temporary file, removed after).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import File

from server.http.auth import allow
from server.publication import review
from server.records.archive import plan_archive, task_archive
from server.records.downloads import archive_download
from server.workspace.controllers.plans import visible_plan


class ArchivePages(Controller):
    path = "/workspace/archives"

    @get("/plans/{plan_id:int}", guards=[allow("records.archive")])
    async def plan(self, request: Request[Any, Any, Any], plan_id: FromPath[int]) -> File:
        """Only for departments taking part in the plan (others: 404)."""
        plan = await visible_plan(request.user, plan_id)
        return await archive_download(
            lambda path: plan_archive(plan["code"], path), f"plan-{plan['code']}.zip"
        )

    @get("/tasks/{task_id:int}", guards=[allow("records.archive")])
    async def task(self, request: Request[Any, Any, Any], task_id: FromPath[int]) -> File:
        """Only for departments of the task (the review area's scope check; others: 404)."""
        await review.require_task(request.user, task_id)
        return await archive_download(
            lambda path: task_archive(task_id, path), f"task-{task_id}.zip"
        )
