"""Sending an archive over HTTP: written to a temporary file first (an archive holds
photos: never built in memory), sent, then removed. The API and the workspace both
download archives this way."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from litestar.background_tasks import BackgroundTask
from litestar.response import File


def _scratch() -> Path:
    handle, name = tempfile.mkstemp(prefix="suicha-archive-", suffix=".zip")
    os.close(handle)
    return Path(name)


async def archive_download(build: Callable[[Path], Awaitable[Any]], filename: str) -> File:
    """`build(path)` writes the archive; the answer sends it and removes it afterwards
    (at once when building fails)."""
    path = await asyncio.to_thread(_scratch)
    try:
        await build(path)
    except BaseException:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise
    return File(
        path=path,
        filename=filename,
        media_type="application/zip",
        headers={"cache-control": "no-store"},
        background=BackgroundTask(asyncio.to_thread, path.unlink, missing_ok=True),
    )
