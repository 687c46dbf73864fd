"""Archive downloads (归档下载): a drawn plan with every task, or one task, as the zip of
`server.records.archive` (records, photos, audit excerpt, manifest with hashes).

Written to a temporary file first (an archive holds photos: never built in memory),
sent, then removed.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from typing import Any

from litestar import Controller, Request, get
from litestar.background_tasks import BackgroundTask
from litestar.params import FromPath
from litestar.response import File

from server.http.auth import allow
from server.publication import review
from server.records.archive import plan_archive, task_archive
from server.workspace.controllers.plans import visible_plan


def _temp_zip() -> str:
    handle, path = tempfile.mkstemp(prefix="suicha-archive-", suffix=".zip")
    os.close(handle)
    return path


def _send(path: str, filename: str) -> File:
    return File(
        path=path,
        filename=filename,
        media_type="application/zip",
        headers={"cache-control": "no-store"},
        background=BackgroundTask(asyncio.to_thread, os.unlink, path),
    )


class ArchivePages(Controller):
    path = "/workspace/archives"

    @get("/plans/{plan_id:int}", guards=[allow("records.archive")])
    async def plan(self, request: Request[Any, Any, Any], plan_id: FromPath[int]) -> File:
        """Only for departments taking part in the plan (others: 404)."""
        plan = await visible_plan(request.user, plan_id)
        path = await asyncio.to_thread(_temp_zip)
        try:
            await plan_archive(plan["code"], path)
        except BaseException:
            await asyncio.to_thread(os.unlink, path)
            raise
        return _send(path, f"plan-{plan['code']}.zip")

    @get("/tasks/{task_id:int}", guards=[allow("records.archive")])
    async def task(self, request: Request[Any, Any, Any], task_id: FromPath[int]) -> File:
        """Only for departments of the task (the review area's scope check; others: 404)."""
        await review.require_task(request.user, task_id)
        path = await asyncio.to_thread(_temp_zip)
        try:
            await task_archive(task_id, path)
        except BaseException:
            await asyncio.to_thread(os.unlink, path)
            raise
        return _send(path, f"task-{task_id}.zip")
