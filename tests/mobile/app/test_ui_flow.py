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
    assert app.eval("manager.screen_names") == ["signin"]  # the others: built when first shown
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

    # Search by credit code (part of it, any case), then by a name that is not there.
    code = rows[0]["credit_code"]
    app.type(code[-6:].lower(), id="search")
    assert [r["credit_code"] for r in app.eval("screen.ids.rows.data")] == [code]
    app.type("不存在的企业", id="search", replace=True)
    assert app.eval("screen.ids.rows.data") == [] and app.eval("screen.empty") == "此栏没有任务"


async def test_language_switch_and_resume_sync(live: dict[str, Any], start_app: Start) -> None:
    server = live["server"]
    app = start_app()
    assert app.eval("screen.ids.sign_in_button.text") == "登录"
    app.tap(text="English")
    assert app.eval("screen.ids.sign_in_button.text") == "Sign in"
    app.tap(text="中文")
    assert app.eval("screen.ids.sign_in_button.text") == "登录"

    sign_in(app, server.url, "insp-UI2", PASSWORD)
    app.wait("manager.current == 'tasks'")
    app.wait("not app.syncing and app.last_report is not None")
    first = app.eval("app.last_report")
    app.eval("app.on_resume()")  # back to the foreground: a sync starts by itself
    app.wait("app.last_report is not None and app.last_report != " + repr(first))
    assert app.eval("app.last_report.ok")


async def test_revocation_is_shown_and_unsent_data_stays(
    live: dict[str, Any], start_app: Start
) -> None:
    import httpx

    server = live["server"]
    app = start_app()
    sign_in(app, server.url, "insp-UI1", PASSWORD)
    app.wait("manager.current == 'tasks'")
    app.wait("not app.syncing and app.last_report is not None")
    task_id = app.eval("field.store.tasks()[0].task_id")
    app.eval(f"field.update_visit({task_id}, notes='停用前记录的笔录')")
    device = app.eval("field.device_id()")

    async with httpx.AsyncClient(base_url=f"{server.url}/api/v1") as http:
        login = await http.post(
            "/auth/login",
            json={"username": "insp-UI1", "password": PASSWORD, "device_id": "office-pc"},
        )
        token = login.json()["access_token"]
        revoked = await http.post(
            f"/auth/devices/{device}/revoke", headers={"Authorization": f"Bearer {token}"}
        )
        assert revoked.status_code == 200, revoked.text

    app.tap(id="sync_button")
    app.wait("not app.syncing and app.last_report is not None and app.last_report.stopped")
    app.eval("app.show('tasks')")
    notice = app.eval("app.notice")
    assert notice.startswith("本机已被停用") and "未发送的数据仍保存在本机" in notice
    assert app.eval(f"field.visit({task_id})['notes']") == "停用前记录的笔录"
