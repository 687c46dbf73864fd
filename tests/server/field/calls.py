"""Calls of the sync API and snapshots of what the server holds, for field-sync tests."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx

from server.audit.tables import AuditEntry
from server.field.tables import (
    Attachment,
    ItemResult,
    ResultConflict,
    ResultVersion,
    TaskSubmission,
)
from server.settings import get_settings
from server.tasks.tables import Task
from tests.server import factories

API = "/api/v1"


async def login(
    client: httpx.AsyncClient, username: str, device: str = "device-1"
) -> dict[str, str]:
    return await factories.login(client, username, device)


def result_body(item: str, base_version: int = 0, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "item": item,
        "answers": {"q1": True, "q2": 4.5},
        "findings": "未发现问题",
        "category": "1",
        "recorded_at": "2026-11-20T10:15:00+08:00",
        "base_version": base_version,
        "photos": [],
    }
    body.update(changes)
    return body


def photo_ref(
    data: bytes, digest: str, question: str | None = "q3", media: str = "image/png"
) -> dict[str, Any]:
    return {
        "sha256": digest,
        "size": len(data),
        "media_type": media,
        "taken_at": "2026-11-20T10:14:00+08:00",
        "location": {"lat": 45.3, "lon": 130.9},
        "question": question,
    }


def new_id() -> str:
    return str(uuid.uuid4())


async def put_result(
    client: httpx.AsyncClient, headers: dict[str, str], task_id: int, result_id: str, body: Any
) -> httpx.Response:
    return await client.put(
        f"{API}/field/tasks/{task_id}/results/{result_id}", json=body, headers=headers
    )


async def submit(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    task_id: int,
    completed_at: str = "2026-11-20T11:00:00+08:00",
) -> httpx.Response:
    return await client.post(
        f"{API}/field/tasks/{task_id}/submit", json={"completed_at": completed_at}, headers=headers
    )


async def patch_bytes(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    digest: str,
    data: bytes,
    offset: int,
    length: int,
    content_type: str = "application/offset+octet-stream",
) -> httpx.Response:
    return await client.patch(
        f"{API}/field/attachments/{digest}",
        content=data,
        headers={
            **headers,
            "Upload-Offset": str(offset),
            "Upload-Length": str(length),
            "Content-Type": content_type,
        },
    )


async def head(client: httpx.AsyncClient, headers: dict[str, str], digest: str) -> httpx.Response:
    return await client.head(f"{API}/field/attachments/{digest}", headers=headers)


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], data: bytes, digest: str
) -> httpx.Response:
    return await patch_bytes(client, headers, digest, data, 0, len(data))


def _stored_files() -> list[str]:
    directory = Path(get_settings().attachments.directory)
    if not directory.exists():
        return []
    return sorted(
        f"{p.relative_to(directory)}:{p.stat().st_size}"
        for p in directory.rglob("*")
        if p.is_file()
    )


async def snapshot() -> dict[str, Any]:
    """Everything a field write may change: the rows of every field table, tasks, audit, files."""
    return {
        "results": await ItemResult.select().order_by(ItemResult.id),
        "versions": await ResultVersion.select().order_by(ResultVersion.id),
        "conflicts": await ResultConflict.select().order_by(ResultConflict.id),
        "submissions": await TaskSubmission.select().order_by(TaskSubmission.id),
        "attachments": await Attachment.select().order_by(Attachment.id),
        "tasks": await Task.select().order_by(Task.id),
        "audit": await AuditEntry.count(),
        "files": _stored_files(),
    }
