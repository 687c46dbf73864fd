"""The workspace's first page (首页) and its static files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Request, Response, Router, get
from litestar.static_files import create_static_files_router

from server.workspace.auth import ANONYMOUS
from server.workspace.pages import render

_HERE = Path(__file__).resolve().parents[1]
_ROOT = _HERE.parents[1]
STATIC_PATH = "/workspace/static"
VENDOR_PATH = "/workspace/vendor/htmx"
HTMX_DIST = _ROOT / "node_modules" / "htmx.org" / "dist"
"""htmx from the npm package `htmx.org` (version pinned in package-lock.json), served
from node_modules by this server: no CDN."""


def static_routers() -> list[Router]:
    return [
        create_static_files_router(
            path=STATIC_PATH, directories=[_HERE / "static"], name="workspace_static", opt=ANONYMOUS
        ),
        create_static_files_router(
            path=VENDOR_PATH, directories=[HTMX_DIST], name="workspace_htmx", opt=ANONYMOUS
        ),
    ]


class HomePages(Controller):
    path = "/workspace"

    @get("/")
    async def home(self, request: Request[Any, Any, Any]) -> Response[str]:
        return await render(request, "home.html")
