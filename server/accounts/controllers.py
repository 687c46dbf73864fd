"""HTTP endpoints of accounts: login, refresh, logout, me, users, disable/enable, devices."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from server.accounts import queries, service
from server.accounts.schemas import (
    DeviceOut,
    LoginRequest,
    LogoutResult,
    MeResponse,
    RefreshRequest,
    RevokeResult,
    TokenResponse,
    UserCreate,
    UserOut,
)
from server.http.auth import PUBLIC, CurrentPrincipal, allow, client_address
from server.http.paging import Page, clamp_limit, page_of
from server.rosters import queries as roster_queries
from shared.errors import NOT_FOUND, SuichaError


def _tokens(pair: service.TokenPair) -> TokenResponse:
    return TokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        token_type="Bearer",
        access_expires_at=pair.access_expires_at,
        refresh_expires_at=pair.refresh_expires_at,
        device_id=pair.device_id,
    )


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/login", opt=PUBLIC, status_code=200)
    async def login(self, request: Request, data: JSONBody[LoginRequest]) -> TokenResponse:
        """Log in a device. Repeated failures for a user name or from a client address
        are answered 429 `auth.login_throttled` with `Retry-After` (exponential backoff)."""
        pair = await service.login(
            data.username, data.password, data.device_id, client_address(request)
        )
        return _tokens(pair)

    @post("/refresh", opt=PUBLIC, status_code=200)
    async def refresh(self, request: Request, data: JSONBody[RefreshRequest]) -> TokenResponse:
        """Rotate the tokens. A refresh token presented again after its successor was used
        is refused (`auth.refresh_reused`) and ends every session of that device."""
        pair = await service.refresh(data.refresh_token, data.device_id, client_address(request))
        return _tokens(pair)

    @post("/logout", status_code=200)
    async def logout(self, request: Request, principal: CurrentPrincipal) -> LogoutResult:
        """End this device's current login: its access and refresh tokens stop working."""
        ended = await service.logout(principal, client_address(request))
        return LogoutResult(device_id=principal.device_id, ended_sessions=ended)

    @get("/me")
    async def me(self, principal: CurrentPrincipal) -> MeResponse:
        return MeResponse(
            id=principal.user_id,
            username=principal.username,
            role=principal.role.value,
            department=principal.department_code,
            inspector_id=principal.inspector_id,
            device_id=principal.device_id,
        )

    @get("/devices")
    async def my_devices(self, principal: CurrentPrincipal) -> list[DeviceOut]:
        return [DeviceOut(**row) for row in await queries.list_devices(principal.user_id)]

    @post("/devices/{device_id:str}/revoke", status_code=200)
    async def revoke_my_device(
        self, request: Request, principal: CurrentPrincipal, device_id: FromPath[str]
    ) -> RevokeResult:
        count = await service.revoke_device(
            principal, principal.user_id, device_id, client_address(request)
        )
        return RevokeResult(device_id=device_id, revoked_sessions=count)


class UserController(Controller):
    path = "/users"
    tags = ["accounts"]

    @get("/", guards=[allow("users.read")])
    async def list_users(
        self,
        limit: Annotated[int, QueryParameter(ge=1)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> Page[UserOut]:
        limit = clamp_limit(limit)
        rows, total = await queries.list_users(limit=limit, offset=offset)
        return page_of([UserOut(**row) for row in rows], total, limit, offset)

    @post("/", guards=[allow("users.write")])
    async def create_user(self, principal: CurrentPrincipal, data: JSONBody[UserCreate]) -> UserOut:
        inspector_id = None
        if data.badge_no:
            inspector = await roster_queries.inspector_by_badge(data.badge_no)
            if inspector is None:
                raise SuichaError(
                    NOT_FOUND, what=f"检查人员{data.badge_no}", what_en=f"Inspector {data.badge_no}"
                )
            inspector_id = inspector["id"]
        user_id = await service.create_user(
            principal.username,
            username=data.username,
            display_name=data.display_name,
            password=data.password,
            role=data.role,
            department_code=data.department,
            inspector_id=inspector_id,
        )
        row = await queries.user_by_id(user_id)
        assert row is not None
        return UserOut(
            id=user_id,
            username=row["username"],
            display_name=row["display_name"],
            role=row["role"],
            active=row["active"],
            department=data.department,
            badge_no=data.badge_no,
        )

    @post(
        "/{user_id:int}/devices/{device_id:str}/revoke",
        guards=[allow("devices.revoke_any")],
        status_code=200,
    )
    async def revoke_device(
        self,
        request: Request,
        principal: CurrentPrincipal,
        user_id: FromPath[int],
        device_id: FromPath[str],
    ) -> RevokeResult:
        count = await service.revoke_device(principal, user_id, device_id, client_address(request))
        return RevokeResult(device_id=device_id, revoked_sessions=count)

    @post("/{user_id:int}/disable", guards=[allow("users.write")], status_code=200)
    async def disable_user(
        self, request: Request, principal: CurrentPrincipal, user_id: FromPath[int]
    ) -> UserOut:
        """Disable (停用) an account: it cannot log in or refresh, and its sessions end at once."""
        await service.set_active(principal, user_id, False, client_address(request))
        return await _user_out(user_id)

    @post("/{user_id:int}/enable", guards=[allow("users.write")], status_code=200)
    async def enable_user(
        self, request: Request, principal: CurrentPrincipal, user_id: FromPath[int]
    ) -> UserOut:
        """Enable an account again; its devices log in anew."""
        await service.set_active(principal, user_id, True, client_address(request))
        return await _user_out(user_id)


async def _user_out(user_id: int) -> UserOut:
    row = await queries.user_summary(user_id)
    if row is None:
        raise SuichaError(NOT_FOUND, what=f"用户{user_id}", what_en=f"User {user_id}")
    return UserOut(**row)
