"""Rendering workspace pages: the one Jinja environment, the layout's context (the
signed-in person, navigation, unread count, flash message, CSRF token) and the HTML
answers to refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from litestar import MediaType, Request, Response
from litestar.datastructures import Cookie
from litestar.response import Redirect

from server.accounts.principal import Principal
from server.accounts.roles import Role
from server.http.html import environment
from server.notifications import queries as notification_queries
from server.workspace import session as cookies
from server.workspace.auth import current_csrf
from server.workspace.nav import entries_for
from shared.errors import SuichaError

TEMPLATES = Path(__file__).parent / "templates"
ENV = environment(TEMPLATES)
# The templates ship with the code and change only with a new release (a restart): checking
# each one's modification time on every page (the layout, macros and includes: ~7 stat
# calls a page) is work for nothing.
ENV.auto_reload = False
FLASH_COOKIE = "suicha_flash"

ROLE_ZH = {
    Role.ADMIN: "系统管理员",
    Role.TEAM_LEAD: "科室负责人",
    Role.BACK_OFFICE: "内勤",
    Role.INSPECTOR: "执法检查人员",
    Role.OBSERVER: "纪检监察",
}
ENV.globals["role_zh"] = lambda role: ROLE_ZH.get(Role(role), str(role))


async def unread_count(principal: Principal) -> int:
    return await notification_queries.unread_count(principal.user_id)


def _flash_of(request: Request[Any, Any, Any]) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        value = json.loads(unquote(raw))
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return None
    kind = value.get("kind") if value.get("kind") in {"ok", "error"} else "ok"
    return {"kind": kind, "text": value["text"][:500]}


async def render(
    request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any
) -> Response[str]:
    """A page in the workspace layout, for the signed-in caller."""
    principal: Principal = request.user
    flash = _flash_of(request)
    body = ENV.get_template(template).render(
        principal=principal,
        nav=entries_for(principal.role, request.url.path),
        unread=await unread_count(principal),
        flash=flash,
        csrf_token=current_csrf(request),
        csrf_field=cookies.CSRF_FIELD,
        **context,
    )
    response = Response(
        content=body,
        media_type=MediaType.HTML,
        status_code=status_code,
        headers={"cache-control": "no-store"},
    )
    if flash:
        response.set_cookie(_flash_cookie("", cookies.is_https(request)))
    return response


def render_anonymous(template: str, status_code: int = 200, **context: Any) -> Response[str]:
    body = ENV.get_template(template).render(principal=None, nav=[], unread=0, **context)
    return Response(
        content=body,
        media_type=MediaType.HTML,
        status_code=status_code,
        headers={"cache-control": "no-store"},
    )


def _flash_cookie(text: str, secure: bool, kind: str = "ok") -> Cookie:
    value = quote(json.dumps({"kind": kind, "text": text}, ensure_ascii=False)) if text else ""
    return Cookie(
        key=FLASH_COOKIE,
        value=value,
        path=cookies.PATH,
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=60 if text else 0,
    )


def redirect(
    request: Request[Any, Any, Any], path: str, flash: str = "", kind: str = "ok"
) -> Redirect:
    """303 to `path` (after a form post), with a message for the next page."""
    response = Redirect(path=path, status_code=303)
    if flash:
        response.set_cookie(_flash_cookie(flash, cookies.is_https(request), kind))
    return response


def refusal_page(error: SuichaError, principal: Principal | None) -> str:
    return ENV.get_template("refused.html").render(
        principal=principal, nav=[], unread=0, error=error
    )


def workspace_error_handler(request: Request[Any, Any, Any], exc: SuichaError) -> Response[str]:
    """A refusal the page's own form handling did not show: a Chinese page with the
    reason (the JSON answer of the API would be no use in a browser)."""
    principal = request.scope.get("user")
    body = refusal_page(exc, principal if isinstance(principal, Principal) else None)
    return Response(content=body, media_type=MediaType.HTML, status_code=exc.status)
