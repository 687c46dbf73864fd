"""The inspector's day, driven through the real app under Xvfb against a live server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.mobile.app.harness import AppProcess
from tests.server.factories import PASSWORD

Start = Callable[..., AppProcess]


def sign_in(app: AppProcess, server_url: str, user: str, password: str) -> None:
    app.type(server_url, id="server", replace=True)
    app.type(user, id="username", replace=True)
    app.type(password, id="password", replace=True)
    app.tap(id="sign_in_button")


async def test_sign_in_refusal_then_tasks_download(live: dict[str, Any], start_app: Start) -> None:
    server = live["server"]
    app = start_app()
    assert app.eval("manager.current") == "signin"
    assert app.eval("screen.device_id").startswith("tablet-")

    sign_in(app, server.url, "insp-UI1", "wrong-password")
    problem = app.wait("screen.problem")
    assert "密码" in problem and not any(c.isascii() and c.isalpha() for c in problem)
    assert app.eval("manager.current") == "signin"

    sign_in(app, server.url, "insp-UI1", PASSWORD)
    app.wait("manager.current == 'tasks'")
    app.wait("not app.syncing and app.last_report is not None")
    names = app.eval("[t.package['object']['name'] for t in field.store.tasks()]")
    assert len(names) == 1
    app.tap(id="tab_upcoming")  # due at the end of the year: not today's work
    rows = app.wait("screen.ids.rows.data")
    assert [r["name"] for r in rows] == names
    assert rows[0]["badge"] == "已同步" and rows[0]["due"] == "截止 2026-12-31"
