"""Map every exception to the one JSON error shape, once, at the edge.

`{"status": 422, "code": "…", "detail": {"zh": "…", "en": "…"}, …extra}`
"""

from __future__ import annotations

import logging

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from server.http import validation
from shared.errors import VALIDATION_FAILED, ErrorSpec, SuichaError, define

logger = logging.getLogger("suicha.http")

INTERNAL = define(
    "internal", 500, "服务器内部错误，已记录", "Internal server error; it has been logged"
)
HTTP_GENERIC = define("http.error", 400, "请求无法处理：{reason}", "The request failed: {reason}")
ROUTE_NOT_FOUND = define("http.not_found", 404, "找不到该地址“{path}”", "No such address: {path}")
METHOD_NOT_ALLOWED = define(
    "http.method_not_allowed", 405, "该地址不支持此方法", "Method not allowed on this address"
)
BODY_TOO_LARGE = define("http.body_too_large", 413, "请求体过大", "The request body is too large")
CLIENT_GONE = define(
    "http.client_disconnected",
    400,
    "请求体未传完连接即已断开",
    "The connection closed before the request body was complete",
)
_CLIENT_GONE_DETAIL = "client disconnected prematurely"
"""What Litestar's request stream raises with when the client hangs up mid-body."""

STATUS_ZH = {
    401: "需要登录",
    403: "无权访问",
    406: "无法提供所要求的内容格式",
    408: "请求超时",
    411: "缺少请求头 Content-Length",
    415: "不支持的内容类型",
    429: "请求过于频繁，请稍后再试",
}
"""Chinese reasons of the statuses Litestar itself may answer with (its details are English)."""

REQUEST_INVALID = ErrorSpec(
    code=VALIDATION_FAILED.code,
    status=VALIDATION_FAILED.status,
    zh="请求内容不合法：{reason_zh}",
    en=VALIDATION_FAILED.en,
)
"""The catalogue's `request.invalid`, its reason told in each language: decoding
and validation messages come in English and are translated here (`validation`)."""


def invalid(reason_zh: str, reason_en: str, **extra: object) -> SuichaError:
    """`400 request.invalid` with a Chinese and an English reason."""
    return SuichaError(REQUEST_INVALID, extra=dict(extra), reason_zh=reason_zh, reason=reason_en)


def error_response(error: SuichaError, headers: dict[str, str] | None = None) -> Response:
    return Response(content=error.to_dict(), status_code=error.status, headers=headers)


def suicha_error_handler(_: Request, exc: SuichaError) -> Response:
    # A refusal that says when to come back (429 backoff) says it in the header too.
    retry_after = exc.extra.get("retry_after")
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return error_response(exc, headers=headers)


def validation_error_handler(_: Request, exc: ValidationException) -> Response:
    problems = [p for p in exc.extra if isinstance(p, dict)] if isinstance(exc.extra, list) else []
    if problems:
        reason_zh, reason_en = validation.reasons(problems)
        listed = [{**p, "message_zh": validation.problem_zh(p)} for p in problems]
    else:
        reason_zh, reason_en = validation.message_zh(str(exc.detail)), str(exc.detail)
        listed = []
    return error_response(invalid(reason_zh, reason_en, errors=listed))


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    if str(exc.detail) == _CLIENT_GONE_DETAIL:
        # A cut connection (a mobile link lost mid-request) is the network, not a
        # server fault: nobody reads this answer, and it is no unhandled error.
        logger.info("client disconnected during %s %s", request.method, request.url.path)
        return error_response(SuichaError(CLIENT_GONE))
    if exc.status_code >= 500:
        # Litestar's own 5xx (a misconfiguration) say internal things: log them, say nothing.
        return internal_error_handler(request, exc)
    if exc.status_code == 404:
        return error_response(SuichaError(ROUTE_NOT_FOUND, path=request.url.path[:200]))
    if exc.status_code == 405:
        return error_response(SuichaError(METHOD_NOT_ALLOWED), headers=exc.headers)
    if exc.status_code == 413:
        return error_response(SuichaError(BODY_TOO_LARGE))
    detail = str(exc.detail)
    if exc.status_code == 400:
        # A body that is not JSON at all, a bad header value: the same code as
        # any other malformed request, so clients handle one thing.
        return error_response(invalid(validation.message_zh(detail), detail))
    reason_zh = STATUS_ZH.get(exc.status_code) or validation.message_zh(detail)
    error = SuichaError(HTTP_GENERIC, reason=reason_zh)
    body = {**error.to_dict(), "status": exc.status_code}
    body["detail"] = {"zh": error.detail_zh, "en": f"The request failed: {detail}"}
    return Response(content=body, status_code=exc.status_code, headers=exc.headers)


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
