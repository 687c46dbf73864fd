"""Admin pages (系统管理): accounts and their devices (disable, enable, revoke), the
security log, calendar years, deadline rule and reminder days."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter

from server.accounts import queries as account_queries
from server.accounts import service as accounts
from server.calendar import queries as calendar_queries
from server.calendar import service as calendar
from server.http.auth import allow, client_address
from server.rosters import queries as roster_queries
from server.security import queries as security_queries
from server.security.kinds import Kind
from server.workspace.pages import redirect, render
from shared.deadlines import MAX_DAYS
from shared.errors import SuichaError

PAGE_SIZE = 50
KIND_ZH = {
    "login_succeeded": "登录成功",
    "login_failed": "登录失败",
    "login_throttled": "登录受限",
    "refused": "拒绝访问",
    "refresh_reused": "刷新令牌重复使用",
    "device_revoked": "撤销设备",
    "logout": "退出登录",
    "account_disabled": "停用账号",
    "account_enabled": "启用账号",
}


def _int_field(
    form: Any, name: str, low: int, high: int, label: str, errors: dict[str, str]
) -> int:
    text = str(form.get(name) or "").strip()
    if not text.isdigit() or not low <= int(text) <= high:
        errors[name] = f"{label}须为{low}至{high}之间的整数"
        return 0
    return int(text)


class AdminPages(Controller):
    path = "/workspace/admin"

    @get("/accounts", guards=[allow("users.read")])
    async def accounts(
        self,
        request: Request[Any, Any, Any],
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
    ) -> Response[str]:
        rows, total = await account_queries.list_users(
            limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        return await render(
            request,
            "admin/accounts.html",
            rows=rows,
            next_href=f"?page={page + 1}" if page * PAGE_SIZE < total else None,
            first_href="?" if page > 1 else None,
        )

    @get("/accounts/{user_id:int}", guards=[allow("users.read")])
    async def account(
        self, request: Request[Any, Any, Any], user_id: FromPath[int]
    ) -> Response[str]:
        user = await account_queries.user_summary(user_id)
        if user is None:
            return await render(request, "admin/missing.html", 404, what=f"用户{user_id}")
        return await render(
            request,
            "admin/account.html",
            user=user,
            devices=await account_queries.list_devices(user_id),
        )

    @post("/accounts/{user_id:int}/active", guards=[allow("users.write")], status_code=303)
    async def set_active(
        self, request: Request[Any, Any, Any], user_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        active = str(form.get("active") or "") == "1"
        try:
            name = await accounts.set_active(request.user, user_id, active, client_address(request))
        except SuichaError as refusal:
            return redirect(
                request, f"/workspace/admin/accounts/{user_id}", refusal.detail_zh, "error"
            )
        message = f"已启用账号 {name}" if active else f"已停用账号 {name}，其所有会话已结束"
        return redirect(request, f"/workspace/admin/accounts/{user_id}", message)

    @post("/accounts/{user_id:int}/revoke", guards=[allow("devices.revoke_any")], status_code=303)
    async def revoke(
        self, request: Request[Any, Any, Any], user_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        device_id = str(form.get("device_id") or "")[:200]
        try:
            count = await accounts.revoke_device(
                request.user, user_id, device_id, client_address(request)
            )
        except SuichaError as refusal:
            return redirect(
                request, f"/workspace/admin/accounts/{user_id}", refusal.detail_zh, "error"
            )
        return redirect(
            request,
            f"/workspace/admin/accounts/{user_id}",
            f"已撤销设备 {device_id} 的{count}个会话",
        )

    @get("/security", guards=[allow("security.read")])
    async def security_log(
        self,
        request: Request[Any, Any, Any],
        kind: Annotated[str | None, QueryParameter(max_length=32)] = None,
        user: Annotated[str | None, QueryParameter(max_length=64)] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
    ) -> Response[str]:
        chosen_kind = kind if kind in {k.value for k in Kind} else None
        rows, total = await security_queries.list_events(
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
            kind=chosen_kind,
            username=(user or "").strip() or None,
        )
        query = {k: v for k, v in {"kind": chosen_kind, "user": user}.items() if v}
        return await render(
            request,
            "admin/security.html",
            rows=rows,
            total=total,
            kind=chosen_kind or "",
            user=user or "",
            kinds=[("", "全部")] + [(k.value, KIND_ZH.get(k.value, k.value)) for k in Kind],
            kind_zh=KIND_ZH,
            next_href="?" + urlencode({**query, "page": page + 1})
            if page * PAGE_SIZE < total
            else None,
            first_href="?" + urlencode(query) if page > 1 else None,
        )

    @get("/calendar", guards=[allow("calendar.write")])
    async def calendar_years(self, request: Request[Any, Any, Any]) -> Response[str]:
        return await self._calendar(request)

    async def _calendar(
        self, request: Request[Any, Any, Any], status_code: int = 200, **form: Any
    ) -> Response[str]:
        return await render(
            request,
            "admin/calendar.html",
            status_code,
            years=await calendar_queries.calendar_years(),
            errors=form.pop("errors", {}),
            year=form.pop("year", ""),
        )

    @post("/calendar/years", guards=[allow("calendar.write")], status_code=303)
    async def complete_year(self, request: Request[Any, Any, Any]) -> Response[Any]:
        form = await request.form()
        errors: dict[str, str] = {}
        year = _int_field(form, "year", calendar.FIRST_YEAR, calendar.LAST_YEAR, "年份", errors)
        if errors:
            return await self._calendar(request, 400, errors=errors, year=form.get("year") or "")
        try:
            moved = await calendar.complete_year(request.user.username, year)
        except SuichaError as refusal:
            return await self._calendar(
                request, refusal.status, errors={"year": refusal.detail_zh}, year=year
            )
        return redirect(
            request,
            "/workspace/admin/calendar",
            f"{year}年节假日已确认完整，{len(moved)}个暂定截止日期已确定",
        )

    @get("/settings", guards=[allow("calendar.write")])
    async def settings(self, request: Request[Any, Any, Any]) -> Response[str]:
        return await self._settings(request)

    async def _settings(
        self, request: Request[Any, Any, Any], status_code: int = 200, **form: Any
    ) -> Response[str]:
        departments, _ = await roster_queries.list_departments(limit=1000, offset=0)
        rules = await calendar_queries.settings()
        default = next((r for r in rules if r["department"] is None), None)
        values = form.pop("values", None) or {
            "department": "",
            "days": default["days"] if default else 10,
            "working_days": "1" if (default is None or default["working_days"]) else "0",
            "reminder_days": default["reminder_days"] if default else 3,
        }
        return await render(
            request,
            "admin/settings.html",
            status_code,
            rules=rules,
            departments=[("", "默认规则（所有部门）")]
            + [(d["code"], f"{d['code']} {d['name']}") for d in departments],
            values=values,
            errors=form.pop("errors", {}),
            max_days=MAX_DAYS,
            max_reminder=calendar.MAX_REMINDER_DAYS,
        )

    @post("/settings", guards=[allow("calendar.write")], status_code=303)
    async def save_settings(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """Deadline rule (公示期限) and reminder days, for every department or one; open
        deadlines are recomputed in the same transaction."""
        form = await request.form()
        errors: dict[str, str] = {}
        department = str(form.get("department") or "").strip()[:32] or None
        days = _int_field(form, "days", 1, MAX_DAYS, "公示期限天数", errors)
        reminder = _int_field(
            form, "reminder_days", 0, calendar.MAX_REMINDER_DAYS, "提前提醒天数", errors
        )
        working = str(form.get("working_days") or "1") == "1"
        values = {
            "department": department or "",
            "days": form.get("days") or "",
            "working_days": "1" if working else "0",
            "reminder_days": form.get("reminder_days") or "",
        }
        if errors:
            return await self._settings(request, 400, errors=errors, values=values)
        try:
            moved = await calendar.set_rule(
                request.user.username,
                department,
                days=days,
                working_days=working,
                reminder_days=reminder,
            )
        except SuichaError as refusal:
            return await self._settings(
                request, refusal.status, errors={"form": refusal.detail_zh}, values=values
            )
        return redirect(
            request,
            "/workspace/admin/settings",
            f"期限规则已保存，重新计算了{len(moved)}个截止日期",
        )
