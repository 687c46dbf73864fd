"""Map every exception to the one JSON error shape, once, at the edge.

`{"status": 422, "code": "…", "detail": {"zh": "…", "en": "…"}, …extra}`
"""

from __future__ import annotations

import logging

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from shared.errors import VALIDATION_FAILED, SuichaError, define

logger = logging.getLogger("suicha.http")

INTERNAL = define(
    "internal", 500, "服务器内部错误，已记录", "Internal server error; it has been logged"
)
HTTP_GENERIC = define("http.error", 400, "请求无法处理：{reason}", "The request failed: {reason}")
ROUTE_NOT_FOUND = define("http.not_found", 404, "找不到该地址：{path}", "No such address: {path}")
METHOD_NOT_ALLOWED = define(
    "http.method_not_allowed", 405, "该地址不支持此方法", "Method not allowed on this address"
)
BODY_TOO_LARGE = define("http.body_too_large", 413, "请求体过大", "The request body is too large")


def error_response(error: SuichaError) -> Response:
    return Response(content=error.to_dict(), status_code=error.status)


def suicha_error_handler(_: Request, exc: SuichaError) -> Response:
    return error_response(exc)


def validation_error_handler(_: Request, exc: ValidationException) -> Response:
    problems = exc.extra if isinstance(exc.extra, list) else []
    reason = "; ".join(
        f"{p.get('key', '')}: {p.get('message', '')}" if isinstance(p, dict) else str(p)
        for p in problems
    ) or str(exc.detail)
    return error_response(SuichaError(VALIDATION_FAILED, extra={"errors": problems}, reason=reason))


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 404:
        return error_response(SuichaError(ROUTE_NOT_FOUND, path=request.url.path))
    if exc.status_code == 405:
        return error_response(SuichaError(METHOD_NOT_ALLOWED))
    if exc.status_code == 413:
        return error_response(SuichaError(BODY_TOO_LARGE))
    if exc.status_code == 400:
        # A body that is not JSON at all, a bad header value: the same code as
        # any other malformed request, so clients handle one thing.
        return error_response(SuichaError(VALIDATION_FAILED, reason=str(exc.detail)))
    error = SuichaError(HTTP_GENERIC, reason=str(exc.detail))
    return Response(
        content={**error.to_dict(), "status": exc.status_code}, status_code=exc.status_code
    )


def internal_error_handler(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return Response(
        content=SuichaError(INTERNAL).to_dict(), status_code=HTTP_500_INTERNAL_SERVER_ERROR
    )


EXCEPTION_HANDLERS = {
    SuichaError: suicha_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
