"""Sign-in, the session cookie, CSRF and the role gate at the HTTP level."""

from __future__ import annotations

from server.security.tables import SecurityEvent
from tests.server import factories
from tests.server.workspace.http import csrf_of, web_login


async def test_anonymous_is_sent_to_sign_in(client) -> None:
    response = await client.get("/workspace/?q=x")
    assert response.status_code == 303
    assert response.headers["location"] == "/workspace/login?next=%2Fworkspace%3Fq%3Dx"
    page = await client.get(response.headers["location"])
    assert page.status_code == 200
    assert "登录工作台" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


async def test_sign_in_sets_a_guarded_cookie_and_logout_ends_the_session(client) -> None:
    await factories.user("team_lead", "lead")
    await web_login(client, "lead")
    response = await client.get("/workspace/")
    assert "lead（科室负责人 · SCJG）" in response.text
    # The Set-Cookie of a fresh sign-in: HttpOnly, SameSite=Lax, limited to /workspace.
    form = await client.get("/workspace/login?next=/workspace/")
    assert form.status_code == 303  # already signed in
    client.cookies.clear()
    login_page = await client.get("/workspace/login")
    signed = await client.post(
        "/workspace/login",
        data={
            "username": "lead",
            "password": factories.PASSWORD,
            "csrf_token": csrf_of(login_page.text),
        },
    )
    set_cookie = [v for k, v in signed.headers.multi_items() if k == "set-cookie"]
    session_cookie = next(c for c in set_cookie if c.startswith("suicha_workspace="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert "Path=/workspace" in session_cookie and "Secure" not in session_cookie
    csrf = csrf_of((await client.get("/workspace/")).text)
    out = await client.post("/workspace/logout", data={"csrf_token": csrf})
    assert out.status_code == 303
    # The old cookie no longer admits anyone, even if the browser kept it.
    client.cookies.set(
        "suicha_workspace", session_cookie.split(";")[0].split("=", 1)[1], path="/workspace"
    )
    again = await client.get("/workspace/")
    assert again.status_code == 303
    assert "reason=auth.session_ended" in again.headers["location"]


async def test_secure_cookie_behind_an_https_proxy(client) -> None:
    await factories.user("admin", "root", None)
    page = await client.get("/workspace/login", headers={"x-forwarded-proto": "https"})
    token = csrf_of(page.text)
    assert "Secure" in page.headers["set-cookie"]
    # The browser sends a Secure cookie back over HTTPS only: here, by hand.
    response = await client.post(
        "/workspace/login",
        data={"username": "root", "password": factories.PASSWORD, "csrf_token": token},
        headers={"x-forwarded-proto": "https", "cookie": f"suicha_login_csrf={token}"},
    )
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    assert any(c.startswith("suicha_workspace=") and "Secure" in c for c in cookies)


async def test_wrong_password_shown_on_the_form_and_throttled_like_the_api(client) -> None:
    await factories.user("team_lead", "lead")
    page = await client.get("/workspace/login")
    response = await client.post(
        "/workspace/login",
        data={"username": "lead", "password": "nope-nope-nope", "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert "suicha_workspace=" not in response.headers.get("set-cookie", "")
    statuses = []
    for _ in range(6):
        page = await client.get("/workspace/login")
        again = await client.post(
            "/workspace/login",
            data={
                "username": "lead",
                "password": "nope-nope-nope",
                "csrf_token": csrf_of(page.text),
            },
        )
        statuses.append(again.status_code)
    assert statuses[-1] == 429
    assert "秒" in again.text or "稍后" in again.text


async def test_empty_fields_named_beside_the_field(client) -> None:
    page = await client.get("/workspace/login")
    response = await client.post(
        "/workspace/login", data={"username": "", "password": "", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 400
    assert 'id="e-username"' in response.text and "请填写用户名" in response.text
    assert 'id="e-password"' in response.text and "请填写密码" in response.text


async def test_posts_without_csrf_are_refused_and_change_nothing(client) -> None:
    await factories.user("team_lead", "lead")
    no_token = await client.post(
        "/workspace/login", data={"username": "lead", "password": factories.PASSWORD}
    )
    assert no_token.status_code == 403
    assert "workspace.csrf_refused" in no_token.text and "表单校验码" in no_token.text
    csrf = await web_login(client, "lead")
    refused = await client.post("/workspace/logout", data={})
    assert refused.status_code == 403
    wrong = await client.post("/workspace/logout", data={"csrf_token": csrf + "x"})
    assert wrong.status_code == 403
    assert (await client.get("/workspace/")).status_code == 200  # still signed in
    by_header = await client.post("/workspace/logout", headers={"x-csrf-token": csrf})
    assert by_header.status_code == 303


async def test_inspector_refused_and_logged(client) -> None:
    inspector_id = await factories.inspector("INS-1")
    await factories.user("inspector", "field-1", inspector_id=inspector_id)
    page = await client.get("/workspace/login")
    await client.post(
        "/workspace/login",
        data={
            "username": "field-1",
            "password": factories.PASSWORD,
            "csrf_token": csrf_of(page.text),
        },
    )
    response = await client.get("/workspace/")
    assert response.status_code == 403
    assert "执法检查人员请使用平板外勤应用" in response.text
    events = await SecurityEvent.select().where(SecurityEvent.username == "field-1")
    assert any(
        e["detail"].get("code") == "workspace.inspector_refused"
        for e in events
        if isinstance(e["detail"], dict)
    ) or any("workspace.inspector_refused" in str(e["detail"]) for e in events)


async def test_disabled_account_loses_its_browser_session(client) -> None:
    admin_id = await factories.user("admin", "root", None)
    lead_id = await factories.user("team_lead", "lead")
    await web_login(client, "lead")
    from server.accounts import service
    from server.accounts.principal import Principal
    from server.accounts.roles import Role

    actor = Principal(admin_id, "root", Role.ADMIN, None, None, None, "d", 0)
    await service.set_active(actor, lead_id, False)
    response = await client.get("/workspace/")
    assert response.status_code == 303
    assert (
        "reason=auth.session_ended" in response.headers["location"]
        or "account_disabled" in response.headers["location"]
    )


async def test_open_redirect_refused(client) -> None:
    await factories.user("team_lead", "lead")
    page = await client.get("/workspace/login?next=//evil.example/")
    response = await client.post(
        "/workspace/login",
        data={
            "username": "lead",
            "password": factories.PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "https://evil.example/",
        },
    )
    assert response.headers["location"] == "/workspace/"
