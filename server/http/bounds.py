"""Input bounds every request meets before a handler runs (输入边界).

Refused here, with the standard error body, rather than as a 500 deep inside:

- JSON bodies larger than `MAX_JSON_BYTES` or nested deeper than
  `MAX_JSON_DEPTH` (checked on the bytes, before decoding: msgspec recurses,
  and 100,000 brackets exhaust the stack);
- integers outside INTEGER's range (−2^31 … 2^31−1), anywhere in a JSON body
  or in an integer query or path parameter: ids, versions and counts are
  INTEGER columns (Piccolo's `Serial` and `Integer`), and PostgreSQL refuses
  to bind a larger number to them (SQLite fails past 2^63);
- NUL and lone surrogates in JSON strings (PostgreSQL cannot store NUL, and a
  surrogate cannot be encoded);
- query values that are blank, and query or path values that hold control
  characters, surrogates or Unicode noncharacters (U+FFFE, U+10FFFF, …): no
  code, name or prefix the system stores contains them, and PostgreSQL cannot
  even compare a text with NUL.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import msgspec
from litestar import Request
from litestar.enums import ParamType
from litestar.params import ParameterKwarg
from litestar.types import Empty

from server.http import validation
from server.http.errors import invalid
from shared.errors import SuichaError, define

MAX_JSON_BYTES = 2 * 1024 * 1024
"""The largest JSON body of any operation (imports travel as files, not JSON)."""
MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a JSON body may have."""
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1
"""The range of every integer the API accepts: SQL INTEGER, the type of ids and counts."""
_RANGE_ZH = f"超出允许的范围（{INTEGER_MIN} 至 {INTEGER_MAX}）"
_RANGE_EN = f"out of the range {INTEGER_MIN} to {INTEGER_MAX}"

JSON_TOO_LARGE = define(
    "request.json_too_large",
    413,
    "JSON 请求体过大：{size} 字节，上限为 {limit} 字节",
    "The JSON body is too large: {size} bytes, the limit is {limit}",
)
JSON_TOO_DEEP = define(
    "request.json_too_deep",
    400,
    "JSON 嵌套层数过多：上限为 {limit} 层",
    "The JSON body is nested too deeply: the limit is {limit} levels",
)

# A JSON string (escapes included) or one bracket; strings are skipped whole so
# brackets inside them do not count.
_JSON_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def json_too_deep(body: bytes, limit: int) -> bool:
    """Whether `body` nests arrays and objects deeper than `limit` (decided without decoding)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # fewer brackets than the limit: it cannot be deeper
    depth = 0
    for token in _JSON_TOKENS.finditer(body):
        first = token.group()[0]
        if first in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif first in b"]}":
            depth -= 1
    return False


def _bad_value(path: str, zh: str, en: str) -> SuichaError:
    label = f"字段“{path}”" if path else "请求体"
    return invalid(f"{label}{zh}", f"{path or 'body'}: {en}")


def check_json_value(value: Any, path: str = "") -> None:
    """Refuse integers beyond INTEGER, NUL and lone surrogates anywhere in a decoded body."""
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        if not INTEGER_MIN <= value <= INTEGER_MAX:
            raise _bad_value(path, f"整数{_RANGE_ZH}", f"integer {_RANGE_EN}")
    elif isinstance(value, str):
        _check_text(value, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path)
            check_json_value(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json_value(item, f"{path}[{index}]")


def _check_text(text: str, path: str) -> None:
    if "\x00" in text:
        raise _bad_value(path, "含有空字符（NUL）", "contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _bad_value(path, "含有无效的代理字符", "contains a lone surrogate") from None


class BoundedRequest(Request[Any, Any, Any]):
    """The request class of the app: JSON bodies are bounded before they are decoded."""

    async def json(self) -> Any:
        if self._json is not Empty:
            return self._json
        if (cached := self._connection_state.json) is not Empty:
            self._json = cached
            return cached
        body = await self.body()
        if len(body) > MAX_JSON_BYTES:
            raise SuichaError(JSON_TOO_LARGE, size=len(body), limit=MAX_JSON_BYTES)
        if json_too_deep(body, MAX_JSON_DEPTH):
            raise SuichaError(JSON_TOO_DEEP, limit=MAX_JSON_DEPTH)
        try:
            value = msgspec.json.decode(body or b"null")
        except msgspec.DecodeError as error:
            message = str(error)
            raise invalid(validation.message_zh(message), message) from None
        check_json_value(value)
        self._json = self._connection_state.json = value
        return value


def _is_unstorable(character: str) -> bool:
    code = ord(character)
    category = unicodedata.category(character)
    return (
        category in ("Cc", "Cs")
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE  # U+FFFE, U+FFFF, …, U+10FFFE, U+10FFFF
    )


def _int_query_parameters(request: Request[Any, Any, Any]) -> set[str]:
    """The names, as sent, of the handler's integer query parameters."""
    found: set[str] = set()
    for name, field in request.route_handler.parsed_fn_signature.parameters.items():
        kwarg = field.kwarg_definition
        if kwarg is None:
            alias = name
        elif isinstance(kwarg, ParameterKwarg) and kwarg.param_type is ParamType.QUERY:
            alias = kwarg.name or name
        else:
            continue
        if field.is_subclass_of(int) and not field.is_subclass_of(bool):
            found.add(alias)
    return found


async def check_request_parameters(request: Request[Any, Any, Any]) -> None:
    """`before_request` of the app. Async although it never waits: Litestar runs a plain
    function hook in a worker thread, a thread hand-off on every request."""
    check_parameters(request)


def check_parameters(request: Request[Any, Any, Any]) -> None:
    """Refuse query and path values no handler could use (before every request of the app,
    through `check_request_parameters`, and in the workspace's own session check)."""
    for name, value in request.path_params.items():
        if isinstance(value, int) and not INTEGER_MIN <= value <= INTEGER_MAX:
            raise invalid(f"路径参数“{name}”{_RANGE_ZH}", f"path parameter {name!r} is {_RANGE_EN}")
        if isinstance(value, str) and any(_is_unstorable(c) for c in value):
            raise invalid(
                f"路径参数“{name}”含有控制字符或无效字符",
                f"path parameter {name!r} contains control or invalid characters",
            )
    integers = _int_query_parameters(request) if request.query_params else set()
    for name, value in request.query_params.multi_items():
        if value and not value.strip():
            raise invalid(
                f"查询参数“{name}”不能为空白", f"query parameter {name!r} must not be blank"
            )
        if any(_is_unstorable(c) for c in value):
            raise invalid(
                f"查询参数“{name}”含有控制字符或无效字符",
                f"query parameter {name!r} contains control or invalid characters",
            )
        if (
            name in integers
            and re.fullmatch(r"[+-]?\d+", value)
            and not INTEGER_MIN <= int(value) <= INTEGER_MAX
        ):
            raise invalid(
                f"查询参数“{name}”{_RANGE_ZH}", f"query parameter {name!r} is {_RANGE_EN}"
            )
