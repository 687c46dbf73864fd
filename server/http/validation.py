"""Decoding and validation problems told in Chinese (校验信息中文化).

msgspec and Litestar describe a bad request in English ("Object missing
required field `password`", "JSON is malformed: invalid character (byte 4)").
The English stays in `detail.en`; this module gives the same problem in
Chinese, naming the field path, so `detail.zh` is Chinese from start to end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

TYPE_ZH = {
    "str": "字符串",
    "int": "整数",
    "float": "数字",
    "bool": "布尔值",
    "object": "对象",
    "array": "数组",
    "null": "空值",
    "bytes": "字节串",
    "datetime": "日期时间",
    "date": "日期",
    "time": "时间",
    "uuid": "UUID",
    "decimal": "十进制数",
}

_OPERATOR_ZH = {">=": "不小于", "<=": "不大于", ">": "大于", "<": "小于"}

SOURCE_ZH = {"query": "查询参数", "path": "路径参数", "header": "请求头", "cookie": "Cookie"}


def _type(name: str) -> str:
    return TYPE_ZH.get(name, name)


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

# Each msgspec / Litestar message shape, with its Chinese wording. Checked in order.
_RULES: list[_Rule] = [
    (
        re.compile(r"^Object missing required field `(?P<f>.*)`$"),
        lambda m: f"缺少必填字段“{m['f']}”",
    ),
    (
        re.compile(r"^Object contains unknown field `(?P<f>.*)`$"),
        lambda m: f"含有不允许的字段“{m['f']}”",
    ),
    (
        re.compile(r"^Expected `(?P<t>[^`]+)`, got `(?P<g>[^`]+)`$"),
        lambda m: f"应为{_type(m['t'])}，实际为{_type(m['g'])}",
    ),
    (
        re.compile(r"^Expected `(?P<t>[^`]+)` (?P<op>>=|<=|>|<) (?P<n>\S+)$"),
        lambda m: f"应为{_OPERATOR_ZH[m['op']]} {m['n']} 的{_type(m['t'])}",
    ),
    (
        re.compile(r"^Expected `(?P<t>[^`]+)` of length (?P<op>>=|<=) (?P<n>\d+)$"),
        lambda m: f"长度应{_OPERATOR_ZH[m['op']]} {m['n']}",
    ),
    (
        re.compile(r"^Expected `(?P<t>[^`]+)` that is a multiple of (?P<n>\S+)$"),
        lambda m: f"应为 {m['n']} 的整数倍",
    ),
    (
        re.compile(r"^Expected `str` matching regex (?P<r>.*)$"),
        lambda m: f"格式不符合要求（应匹配 {m['r']}）",
    ),
    (re.compile(r"^Invalid enum value (?P<v>.*)$"), lambda m: f"取值 {m['v']} 不在允许的范围内"),
    (re.compile(r"^Invalid value (?P<v>.*)$"), lambda m: f"取值 {m['v']} 不合法"),
    (
        re.compile(r"^Invalid RFC3339 encoded (?P<t>\w+)$"),
        lambda m: f"不是合法的{_type(m['t'])}（应为 RFC 3339 格式）",
    ),
    (re.compile(r"^Invalid UUID$"), lambda _: "不是合法的 UUID"),
    (re.compile(r"^Invalid decimal string$"), lambda _: "不是合法的十进制数"),
    (re.compile(r"^Invalid base64 encoded string$"), lambda _: "不是合法的 Base64 编码"),
    (re.compile(r"^Invalid UTF-8 encoded string$"), lambda _: "不是合法的 UTF-8 编码"),
    (re.compile(r"^Integer value out of range$"), lambda _: "整数超出允许的范围"),
    (re.compile(r"^Number out of range$"), lambda _: "数值超出允许的范围"),
    (re.compile(r"^Input data was truncated$"), lambda _: "JSON 数据不完整（被截断）"),
    (
        re.compile(r"^JSON is malformed: trailing characters \(byte (?P<b>\d+)\)$"),
        lambda m: f"JSON 格式错误：第 {m['b']} 字节后有多余的字符",
    ),
    (
        re.compile(r"^JSON is malformed: invalid character \(byte (?P<b>\d+)\)$"),
        lambda m: f"JSON 格式错误：第 {m['b']} 字节处有非法字符",
    ),
    (
        re.compile(r"^JSON is malformed: .*\(byte (?P<b>\d+)\)$"),
        lambda m: f"JSON 格式错误：第 {m['b']} 字节处不符合语法",
    ),
    (re.compile(r"^JSON is malformed"), lambda _: "JSON 格式错误"),
    (
        re.compile(
            r"^Missing required (?P<s>\w+) parameter '(?P<p>[^']*)'(?: for path .*)?$", re.DOTALL
        ),
        lambda m: f"缺少必需的{SOURCE_ZH.get(m['s'], '参数')}“{m['p']}”",
    ),
    (re.compile(r"^Invalid content-length"), lambda _: "请求头 Content-Length 无效"),
    (re.compile(r"^Invalid multipart/form-data$"), lambda _: "multipart/form-data 表单格式错误"),
    (
        re.compile(r"^Unexpected eof in multipart/form-data$"),
        lambda _: "multipart/form-data 表单数据不完整",
    ),
    (
        re.compile(r"^multipart boundary missing in Content-Type$"),
        lambda _: "Content-Type 缺少 multipart 分隔符",
    ),
    (re.compile(r"^Invalid host header$"), lambda _: "请求头 Host 无效"),
    (re.compile(r"^Request Entity Too Large$"), lambda _: "请求体过大"),
    (re.compile(r"^Bad Request$"), lambda _: "请求无效"),
]

FALLBACK_ZH = "请求格式不正确"
"""Said for a message no rule knows; `detail.en` keeps the original."""


def message_zh(message: str) -> str:
    """One decoding or validation message in Chinese (without the field path)."""
    text = message.split(" - at `", 1)[0].strip()
    for pattern, wording in _RULES:
        found = pattern.match(text)
        if found:
            return wording(found)
    return FALLBACK_ZH


def field_label_zh(key: str | None, source: str | None) -> str:
    """Where the problem is: `字段“plan.items[0]”`, `查询参数“offset”`; '' for the whole body."""
    if not key or key == "data":
        return ""
    if source in SOURCE_ZH:
        return f"{SOURCE_ZH[source]}“{key}”"
    return f"字段“{key}”"


def _body_missing(problem: Mapping[str, Any]) -> bool:
    # Litestar reports a required body that is absent as the KeyError "'data'".
    return problem.get("key") == "data" and problem.get("message") == "'data'"


def problem_zh(problem: Mapping[str, Any]) -> str:
    if _body_missing(problem):
        return "缺少请求体"
    label = field_label_zh(problem.get("key"), problem.get("source"))
    text = message_zh(str(problem.get("message", "")))
    return f"{label}{text}" if label else text


def problem_en(problem: Mapping[str, Any]) -> str:
    if _body_missing(problem):
        return "the request body is missing"
    key = problem.get("key")
    message = str(problem.get("message", ""))
    return f"{key}: {message}" if key and key != "data" else message


def reasons(problems: Iterable[Mapping[str, Any]]) -> tuple[str, str]:
    """The Chinese and English reason of a list of Litestar validation problems."""
    listed = list(problems)
    return "；".join(problem_zh(p) for p in listed), "; ".join(problem_en(p) for p in listed)
