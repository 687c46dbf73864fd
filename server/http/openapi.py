"""The OpenAPI document and its Swagger UI, told truthfully and served offline.

Litestar generates the operations; `describe()` then states what the edge
really does, in one place:

- the bearer scheme (`Authorization: Bearer <access token>`), required by
  every operation except the public ones (`opt=PUBLIC`), which say
  `security: []`;
- the one error body (`ErrorBody`: status, code, detail.zh, detail.en, and
  any structured extra) for 400/401/403/404/409/413/422/429 on every
  operation, in place of Litestar's own error schema, which this server never
  sends.

Swagger UI is served from files a PyPI package installs (`SWAGGER_UI_FILES`),
with a start script of our own, so the page needs no CDN and no inline script.
"""

from __future__ import annotations

import html
from importlib.resources import files
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, OpenAPIRenderPlugin
from litestar.routes import HTTPRoute
from litestar.serialization import encode_json
from litestar.static_files import create_static_files_router

from server.http.auth import PUBLIC

SCHEMA_PATH = "/schema"
ASSETS_PATH = f"{SCHEMA_PATH}/assets"
"""Swagger UI's files (from the package) and our start script."""
_HERE = Path(__file__).parent
SWAGGER_UI_FILES = Path(str(files("fastapi_offline") / "static"))
"""swagger-ui-dist 5 (bundle, CSS, favicon) as the PyPI package `fastapi-offline` ships it.
Only its files are used. `swagger-ui-bundle` ships Swagger UI 4.15, which refuses
OpenAPI 3.1 ("does not specify a valid version field")."""

BEARER = "bearer"
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": (
        "访问令牌：POST /api/v1/auth/login 返回的 access_token，"
        "以 `Authorization: Bearer <access_token>` 发送。"
        " The access token from POST /api/v1/auth/login, sent as a bearer token."
    ),
}

ERROR_BODY = {
    "type": "object",
    "description": "每个错误的统一格式 / The one error body of every refusal",
    "required": ["status", "code", "detail"],
    "properties": {
        "status": {"type": "integer", "description": "HTTP 状态码 / HTTP status"},
        "code": {
            "type": "string",
            "description": "稳定的错误代码，从不改名 / stable error code, never renamed",
            "examples": ["request.invalid"],
        },
        "detail": {
            "type": "object",
            "required": ["zh", "en"],
            "properties": {
                "zh": {"type": "string", "description": "中文说明"},
                "en": {"type": "string", "description": "English message"},
            },
        },
    },
    "additionalProperties": True,
}
"""`server.http.errors` sends this; fields beyond the three are structured detail (`extra`)."""

ERROR_STATUSES = {
    "400": "请求不合法（格式、字段或参数）/ The request is invalid",
    "401": "需要登录或令牌无效 / Login required or the token is invalid",
    "403": "无权执行此操作 / Not allowed",
    "404": "不存在 / Not found",
    "409": "与当前状态冲突 / Conflicts with the current state",
    "413": "请求体过大 / The request body is too large",
    "422": "内容不符合业务规则 / The content breaks a rule",
    "429": "请求过于频繁，见 Retry-After / Too many requests, see Retry-After",
}

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _public_operations(app: Litestar) -> set[tuple[str, str]]:
    """(path, method) of every operation anyone may call without a token."""
    public: set[tuple[str, str]] = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.opt.get("exclude_from_auth"):
                public.update((route.path_format, m.lower()) for m in handler.http_methods)
    return public


def describe(schema: dict[str, Any], app: Litestar) -> dict[str, Any]:
    """The generated document with the security and error model stated (a new dict)."""
    public = _public_operations(app)
    components = dict(schema.get("components") or {})
    components["securitySchemes"] = {
        **(components.get("securitySchemes") or {}),
        BEARER: SECURITY_SCHEME,
    }
    components["schemas"] = {**(components.get("schemas") or {}), "ErrorBody": ERROR_BODY}
    error_ref = {"$ref": "#/components/schemas/ErrorBody"}
    paths: dict[str, Any] = {}
    for path, item in (schema.get("paths") or {}).items():
        described = dict(item)
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = {
                code: response
                for code, response in (operation.get("responses") or {}).items()
                if code not in ERROR_STATUSES
            }
            for code, description in ERROR_STATUSES.items():
                responses[code] = {
                    "description": description,
                    "content": {"application/json": {"schema": error_ref}},
                }
            described[method] = {
                **operation,
                "responses": responses,
                "security": [] if (path, method) in public else [{BEARER: []}],
            }
        paths[path] = described
    return {**schema, "components": components, "paths": paths}


class DescribedJson(JsonRenderPlugin):
    """`/schema/openapi.json`: the generated document passed through `describe()`."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        cache = request.app.state
        if cache.get("openapi_source") is not openapi_schema:
            cache["openapi_source"] = openapi_schema
            cache["openapi_json"] = encode_json(describe(openapi_schema, request.app))
        return cache["openapi_json"]


class OfflineSwagger(OpenAPIRenderPlugin):
    """`/schema/swagger`: Swagger UI from this server's files, started by a file, not inline."""

    def __init__(self) -> None:
        super().__init__(path="/swagger")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = html.escape(str(openapi_schema["info"]["title"]))
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{ASSETS_PATH}/favicon.png">
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-spec-url="{SCHEMA_PATH}/openapi.json"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="{ASSETS_PATH}/suicha-swagger.js"></script>
</body>
</html>
""".encode()


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Suicha 随查 API",
        version="1",
        path=SCHEMA_PATH,
        description="双随机、一公开 field inspection: rosters, plans, draws, field sync.",
        render_plugins=[OfflineSwagger(), DescribedJson()],
    )


def swagger_assets() -> Router:
    """Swagger UI's files from the installed package, and our start script."""
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[SWAGGER_UI_FILES, _HERE / "static"],
        name="swagger_assets",
        opt=PUBLIC,
        include_in_schema=False,
    )
