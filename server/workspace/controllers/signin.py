"""Sign-in (登录) and logout of the workspace."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter

from server.accounts import service as accounts
from server.accounts.roles import Role
from server.http.auth import client_address
from server.workspace import session as cookies
from server.workspace.auth import ANONYMOUS, browser_session, resolve
from server.workspace.pages import redirect, render_anonymous
from shared.errors import SuichaError

REASONS = {
    "auth.session_ended": "会话已结束，请重新登录",
    "auth.device_revoked": "此浏览器的登录已被管理员撤销，请重新登录",
    "auth.account_disabled": "账号已停用，请联系管理员",
    "auth.token_invalid": "登录已过期，请重新登录",
    "auth.refresh_invalid": "登录已过期，请重新登录",
    "auth.refresh_reused": "检测到登录凭据被重复使用，已结束此浏览器的会话，请重新登录",
    "logged_out": "您已退出登录",
}
"""What the sign-in page says when a session ended (`?reason=`); unknown reasons say nothing."""


def _safe_next(target: str | None) -> str:
    """Only a workspace path: never an absolute or scheme-relative address."""
    if target and (target == "/workspace" or target.startswith(("/workspace/", "/workspace?"))):
        return target[:500]
    return "/workspace/"


class SignInPages(Controller):
    path = "/workspace"
    opt = ANONYMOUS

    @get("/login")
    async def login_form(
        self,
        request: Request[Any, Any, Any],
        next_path: Annotated[str | None, QueryParameter(name="next", max_length=600)] = None,
        reason: Annotated[str | None, QueryParameter(max_length=64)] = None,
    ) -> Response[str]:
        session = browser_session(request) or cookies.BrowserSession.decode(
            cookies.read_cookie(request.scope, cookies.COOKIE)
        )
        if session is not None:
            try:
                await resolve(request.scope, session)
                return redirect(request, _safe_next(next_path))
            except SuichaError:
                pass
        return self._page(
            request, next_path=_safe_next(next_path), notice=REASONS.get(reason or "")
        )

    @staticmethod
    def _page(
        request: Request[Any, Any, Any],
        status_code: int = 200,
        *,
        next_path: str,
        username: str = "",
        errors: dict[str, str] | None = None,
        notice: str | None = None,
    ) -> Response[str]:
        token = cookies.new_csrf()
        response = render_anonymous(
            "login.html",
            status_code,
            csrf_token=token,
            csrf_field=cookies.CSRF_FIELD,
            next_path=next_path,
            username=username,
            errors=errors or {},
            notice=notice,
        )
        response.set_cookie(cookies.login_cookie(token, cookies.is_https(request)))
        return response

    @post("/login", status_code=303)
    async def login(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """Check the password with the API's login (same backoff, same security log) and
        open a device session of its own for this browser."""
        form = await request.form()
        username = str(form.get("username") or "").strip()[:64]
        password = str(form.get("password") or "")[:256]
        next_path = _safe_next(str(form.get("next") or ""))
        errors: dict[str, str] = {}
        if not username:
            errors["username"] = "请填写用户名"
        if not password:
            errors["password"] = "请填写密码"
        if errors:
            return self._page(request, 400, next_path=next_path, username=username, errors=errors)
        device_id = cookies.new_device_id()
        try:
            pair = await accounts.login(username, password, device_id, client_address(request))
            principal = await accounts.authenticate(pair.access_token)
        except SuichaError as refusal:
            return self._page(
                request,
                refusal.status,
                next_path=next_path,
                username=username,
                errors={"form": refusal.detail_zh},
            )
        session = cookies.BrowserSession(
            device_id, pair.access_token, pair.refresh_token, cookies.new_csrf()
        )
        secure = cookies.is_https(request)
        target = next_path if principal.role is not Role.INSPECTOR else "/workspace/"
        response = redirect(request, target)
        response.set_cookie(cookies.session_cookie(session.encode(), secure))
        response.set_cookie(cookies.login_cookie("", secure))
        return response


class SignOutPages(Controller):
    path = "/workspace"

    @post("/logout", status_code=303)
    async def logout(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """End this browser's device session (its tokens stop working at once)."""
        await accounts.logout(request.user, client_address(request))
        response = redirect(request, "/workspace/login?reason=logged_out")
        response.set_cookie(cookies.session_cookie("", cookies.is_https(request)))
        return response
