"""Who is at the browser: the session middleware, the CSRF check and the role gate
of every workspace page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from server.accounts import errors as account_errors
from server.accounts import service as accounts
from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.http.auth import client_address
from server.http.bounds import check_parameters
from server.security import service as security
from server.security.kinds import Kind
from server.workspace import session as cookies
from server.workspace.errors import CSRF_REFUSED, INSPECTOR_REFUSED
from shared.errors import SuichaError

ANONYMOUS = {"workspace_anonymous": True}
"""`opt` of workspace handlers open before sign-in (the login page, static files)."""
SESSION_STATE = "workspace_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _to_login(scope: Scope, send: Send, reason: str, clear: bool) -> None:
    """Send the browser to the sign-in page (303), keeping where it wanted to go."""
    path = scope.get("path", "/workspace/")
    query = scope.get("query_string", b"").decode("latin-1")
    target = path + (f"?{query}" if query else "")
    location = "/workspace/login?next=" + quote(target[:500], safe="")
    if reason:
        location += "&reason=" + quote(reason, safe="")
    headers = [
        (b"location", location.encode()),
        (b"hx-redirect", location.encode()),
        (b"cache-control", b"no-store"),
        (b"content-type", b"text/plain; charset=utf-8"),
    ]
    if clear:
        cookie = cookies.session_cookie("", cookies.is_https(scope))
        headers.append((b"set-cookie", cookie.to_header(header="").strip().encode()))
    await _respond(send, 303, headers, "请先登录".encode())


async def resolve(scope: Scope, session: cookies.BrowserSession) -> tuple[Principal, bool]:
    """The caller of a request carrying `session`, rotating an expired access token
    (the second value says the cookie must be written again)."""
    try:
        return await accounts.authenticate(session.access_token), False
    except SuichaError as refusal:
        if refusal.spec is not account_errors.TOKEN_INVALID:
            raise
    pair = await accounts.refresh(session.refresh_token, session.device_id, client_address(scope))
    renewed = cookies.BrowserSession(
        session.device_id, pair.access_token, pair.refresh_token, session.csrf
    )
    scope.setdefault("state", {})[SESSION_STATE] = renewed
    return await accounts.authenticate(pair.access_token), True


class WorkspaceSessionMiddleware(ASGIMiddleware):
    """Admits a request with a live browser session of a staff role; sends anyone else
    to sign in (303), and refuses inspectors with a page saying where they work."""

    exclude_opt_key = "workspace_anonymous"

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        from server.workspace.pages import refusal_page  # the pages import this module

        raw = cookies.read_cookie(scope, cookies.COOKIE)
        session = cookies.BrowserSession.decode(raw) if raw else None
        if session is None:
            await _to_login(scope, send, "", clear=bool(raw))
            return
        scope.setdefault("state", {})[SESSION_STATE] = session
        try:
            principal, renewed = await resolve(scope, session)
        except SuichaError as refusal:
            await _to_login(scope, send, refusal.code, clear=True)
            return
        scope["user"] = principal
        if principal.role is Role.INSPECTOR:
            await security.record(
                Kind.REFUSED,
                user_id=principal.user_id,
                username=principal.username,
                device_id=principal.device_id,
                client=client_address(scope),
                detail={"status": 403, "code": INSPECTOR_REFUSED.code, "path": scope["path"][:300]},
            )
            body = refusal_page(SuichaError(INSPECTOR_REFUSED), principal)
            await _respond(
                send, 403, [(b"content-type", b"text/html; charset=utf-8")], body.encode()
            )
            return
        if not renewed:
            await next_app(scope, receive, send)
            return
        cookie = cookies.session_cookie(
            scope["state"][SESSION_STATE].encode(), cookies.is_https(scope)
        )

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"set-cookie", cookie.to_header(header="").strip().encode()),
                ]
            await send(message)

        await next_app(scope, receive, send_with_cookie)


def browser_session(request: Request[Any, Any, Any]) -> cookies.BrowserSession | None:
    return request.scope.get("state", {}).get(SESSION_STATE)


async def check_request(request: Request[Any, Any, Any]) -> None:
    """`before_request` of the workspace: the app's parameter bounds, then the CSRF
    token of every unsafe request (form field `csrf_token` or header `X-CSRF-Token`)."""
    check_parameters(request)
    if request.method in SAFE_METHODS:
        return
    session = browser_session(request)
    expected = session.csrf if session else cookies.read_cookie(request.scope, cookies.LOGIN_COOKIE)
    presented = request.headers.get(cookies.CSRF_HEADER)
    if not presented:
        form = await request.form()
        value = form.get(cookies.CSRF_FIELD)
        presented = value if isinstance(value, str) else None
    if not cookies.csrf_matches(expected, presented):
        raise SuichaError(CSRF_REFUSED)


def current_csrf(request: Request[Any, Any, Any]) -> str:
    session = browser_session(request)
    return session.csrf if session else ""
