"""Value rules of roster fields, shared by the API and the importer (pure: no DB).

Each rule takes what a user gave (a cell's text, or a typed JSON value) and
returns the canonical stored value, or raises `FieldProblem` saying why not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from operator import mul
from typing import Any

from shared.checklist import parse_template, template_to_data
from shared.credit_code import ALPHABET, parse_credit_code
from shared.errors import SuichaError
from shared.text import character_name, forbidden_character


class FieldProblem(Exception):
    """Why one value is refused: a stable code and a zh/en reason."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.zh = zh
        self.en = en


def _problem(code: str, zh: str, en: str) -> FieldProblem:
    return FieldProblem(f"rosters.{code}", zh, en)


# --- enumerations, each with the Chinese words accepted in files --------------------------

OBJECT_KINDS: Mapping[str, str] = {
    "enterprise": "enterprise",
    "企业": "enterprise",
    "individual": "individual",
    "个体工商户": "individual",
    "cooperative": "cooperative",
    "农民专业合作社": "cooperative",
    "product": "product",
    "产品": "product",
    "project": "project",
    "项目": "project",
    "behaviour": "behaviour",
    "行为": "behaviour",
}
OBJECT_STATUSES: Mapping[str, str] = {
    "active": "active",
    "存续": "active",
    "在业": "active",
    "deregistered": "deregistered",
    "注销": "deregistered",
    "revoked": "revoked",
    "吊销": "revoked",
}
INSPECTOR_STATUSES: Mapping[str, str] = {
    "active": "active",
    "在岗": "active",
    "on_leave": "on_leave",
    "休假": "on_leave",
    "left": "left",
    "离岗": "left",
    "调离": "left",
    "离职": "left",
}
ITEM_OBJECT_TYPES: Mapping[str, str] = {
    "entity": "entity",
    "主体": "entity",
    "市场主体": "entity",
    "product": "product",
    "产品": "product",
    "project": "project",
    "项目": "project",
    "behaviour": "behaviour",
    "行为": "behaviour",
}
ITEM_KINDS: Mapping[str, str] = {
    "key": "key",
    "重点": "key",
    "general": "general",
    "一般": "general",
}
METHODS: Mapping[str, str] = {
    "onsite": "onsite",
    "现场": "onsite",
    "现场检查": "onsite",
    "written": "written",
    "书面": "written",
    "书面检查": "written",
    "online": "online",
    "网络": "online",
    "网络检查": "online",
}
DEPARTMENT_LEVELS: Mapping[str, str] = {
    "national": "national",
    "国家": "national",
    "province": "province",
    "省": "province",
    "city": "city",
    "市": "city",
    "county": "county",
    "县": "county",
    "station": "station",
    "所": "station",
}
_TRUE = frozenset({"true", "1", "y", "yes", "是", "√", "t"})
_FALSE = frozenset({"false", "0", "n", "no", "否", "×", "f", ""})

_CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_REGION_PATTERN = re.compile(r"\d{6}(\d{3}(\d{3})?)?")
_INDUSTRY_PATTERN = re.compile(r"[A-T]?\d{0,4}")
_LIST_SPLIT = re.compile(r"[;；]")
_CODE_CHARS = frozenset(ALPHABET)
_CODE_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}.__getitem__
_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_PREFIX_SUMS: dict[str, int] = {}


def _control_character(value: str, *, multiline: bool = False) -> None:
    """Refuse a NUL or another control character (a line break outside multi-line fields)."""
    bad = forbidden_character(value, multiline=multiline)
    if bad is not None:
        zh, en = character_name(bad)
        raise _problem(
            "control_character",
            f"含有{zh}，不能保存",
            f"holds a {en}, which cannot be stored",
        )


def text(value: Any, *, max_length: int, required: bool = False, multiline: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _problem("not_text", "应为文字", "must be text")
    _control_character(value, multiline=multiline)
    value = value.strip()
    if required and not value:
        raise _problem("required", "不能为空", "is required")
    if len(value) > max_length:
        raise _problem(
            "too_long",
            f"超过{max_length}个字符",
            f"is longer than {max_length} characters",
        )
    return value


def text_rule(
    *, max_length: int, required: bool = False, multiline: bool = False
) -> Callable[..., str]:
    """`text` with these limits, with a fast path for the usual clean cell.

    The rule ignores a second argument, so it serves as a column parser as is.
    """

    def rule(value: Any, _lookups: Any = None) -> str:
        if value.__class__ is str and forbidden_character(value, multiline=multiline) is None:
            stripped = value.strip()
            if len(stripped) <= max_length and (stripped or not required):
                return stripped
        return text(value, max_length=max_length, required=required, multiline=multiline)

    return rule


def code(value: Any, *, max_length: int = 64) -> str:
    """An identifier (item code, badge number, department code): letters, digits, . _ -."""
    value = text(value, max_length=max_length, required=True)
    if not _CODE_PATTERN.fullmatch(value):
        raise _problem(
            "code_format",
            f"“{value}”只能包含字母、数字和 . _ -",
            f"{value!r} may contain only letters, digits and . _ -",
        )
    return value


def credit_code(value: Any) -> str:
    """A unified social credit code, normalised (GB 32100-2015 check character)."""
    if not isinstance(value, str):
        raise _problem("not_text", "应为文字", "must be text")
    # Fast path for the common, already-canonical case (imports of a million rows):
    # the arithmetic of `check_character`, with the weighted sum of the first 8
    # characters (authority, type, region) remembered, since codes share them.
    if len(value) == 18 and _CODE_CHARS.issuperset(value):
        prefix = value[:8]
        head = _PREFIX_SUMS.get(prefix)
        if head is None:
            head = sum(map(mul, map(_CODE_VALUE, prefix), _CODE_WEIGHTS[:8]))
            if len(_PREFIX_SUMS) < 100_000:
                _PREFIX_SUMS[prefix] = head
        total = head + sum(map(mul, map(_CODE_VALUE, value[8:17]), _CODE_WEIGHTS[8:]))
        if value[17] == ALPHABET[(31 - total % 31) % 31]:
            return value
    try:
        return parse_credit_code(value)
    except SuichaError as error:
        raise FieldProblem(error.code, error.detail_zh, error.detail_en) from None


def choice(value: Any, allowed: Mapping[str, str], *, default: str | None = None) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise _problem("required", "不能为空", "is required")
        return default
    if isinstance(value, str):
        found = allowed.get(value.strip()) or allowed.get(value.strip().lower())
        if found is not None:
            return found
    options = sorted(set(allowed.values()))
    raise _problem(
        "not_allowed",
        f"“{value}”不是可用值，可填：{choices_zh(allowed)}",
        f"{value!r} is not one of {', '.join(options)}",
    )


def choices_zh(allowed: Mapping[str, str]) -> str:
    """The values a clerk may type, in Chinese, each with its code: 存续、在业（active）；…"""
    words: dict[str, list[str]] = {}
    for typed, canonical in allowed.items():
        entry = words.setdefault(canonical, [])
        if typed != canonical:
            entry.append(typed)
    return "；".join(f"{'、'.join(typed)}（{canonical}）" for canonical, typed in words.items())


def boolean(value: Any, *, default: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return default
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = value.strip().lower()
        if not folded:
            return default
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    raise _problem("not_boolean", f"“{value}”应为 是/否", f"{value!r} must be yes or no")


def count(value: Any) -> int:
    """A non-negative integer (e.g. complaint count); empty is 0."""
    if isinstance(value, bool):
        raise _problem("not_integer", "应为非负整数", "must be a non-negative integer")
    if isinstance(value, int):
        number = value
    elif value is None or (isinstance(value, str) and not value.strip()):
        return 0
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        number = int(value)  # spreadsheet cells hold whole numbers as floats
    else:
        raise _problem("not_integer", f"“{value}”应为非负整数", f"{value!r} must be a whole number")
    if number < 0:
        raise _problem("not_integer", "应为非负整数", "must not be negative")
    return number


def region(value: Any) -> str:
    """A GB/T 2260 division code: 6, 9 or 12 digits; empty allowed."""
    value = text(value, max_length=12)
    if value and not _REGION_PATTERN.fullmatch(value):
        raise _problem(
            "region_format",
            f"行政区划代码“{value}”应为6、9或12位数字",
            f"region code {value!r} must be 6, 9 or 12 digits",
        )
    return value


def industry_code(value: Any) -> str:
    """A GB/T 4754 industry code, e.g. F52 or 5211; empty allowed."""
    value = text(value, max_length=8).upper()
    if not _INDUSTRY_PATTERN.fullmatch(value):
        raise _problem(
            "industry_format",
            f"行业代码“{value}”应为门类字母加最多4位数字",
            f"industry code {value!r} must be a section letter and up to 4 digits",
        )
    return value


def string_list(value: Any, *, max_items: int = 100, max_length: int = 100) -> list[str]:
    """Distinct non-empty entries, in order; a cell separates them with ';' or '；'."""
    if value is None:
        return []
    if isinstance(value, str):
        entries = _LIST_SPLIT.split(value)
    elif isinstance(value, list) and all(isinstance(entry, str) for entry in value):
        entries = value
    else:
        raise _problem("not_list", "应为文字列表", "must be a list of texts")
    result: list[str] = []
    for entry in entries:
        _control_character(entry)
        entry = entry.strip()
        if not entry or entry in result:
            continue
        if len(entry) > max_length or _LIST_SPLIT.search(entry):
            raise _problem(
                "list_entry",
                f"列表项“{entry[:20]}”过长或含分号",
                f"list entry {entry[:20]!r} is too long or holds a semicolon",
            )
        result.append(entry)
    if len(result) > max_items:
        raise _problem("list_length", f"最多{max_items}项", f"at most {max_items} entries")
    return result


def choice_list(value: Any, allowed: Mapping[str, str]) -> list[str]:
    result: list[str] = []
    for entry in string_list(value):
        canonical = choice(entry, allowed)
        if canonical not in result:
            result.append(canonical)
    return result


def json_list_text(values: list[str]) -> str:
    """The stored form of a list held in a Text column (licences, tags)."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def ratio_cap(value: Any, *, kind: str) -> str | None:
    """The highest ratio of a general item as a decimal string ('0.05'); '5%' accepted."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "key":
        raise _problem(
            "ratio_cap_key",
            "重点事项不设比例上限",
            "a key item has no ratio cap",
        )
    raw = str(value).strip()
    try:
        number = Decimal(raw[:-1]) / 100 if raw.endswith("%") else Decimal(raw)
    except InvalidOperation:
        raise _problem(
            "ratio_format", f"“{raw}”应为比例，如 0.05 或 5%", f"{raw!r} must be like 0.05 or 5%"
        ) from None
    if not (0 < number <= 1):
        raise _problem("ratio_range", "比例应大于0且不超过1", "the ratio must be in (0, 1]")
    return format(number.normalize(), "f")


def conflicts(value: Any) -> list[dict[str, str]]:
    """Declared conflicts (回避): a cell of `credit code[:reason]` entries, or a list of dicts."""
    if value is None:
        return []
    entries: list[tuple[Any, Any]] = []
    if isinstance(value, str):
        for entry in string_list(value, max_length=300):
            object_code, _, reason = entry.replace("：", ":").partition(":")
            entries.append((object_code, reason))
    elif isinstance(value, list) and all(isinstance(entry, dict) for entry in value):
        entries = [(entry.get("object"), entry.get("reason", "")) for entry in value]
    else:
        raise _problem("not_list", "应为回避声明列表", "must be a list of conflict declarations")
    result: list[dict[str, str]] = []
    for object_code, reason in entries:
        canonical = credit_code(object_code)
        result.append({"object": canonical, "reason": text(reason, max_length=200)})
    return result


def conflicts_cell(values: list[dict[str, str]]) -> str:
    return ";".join(
        f"{entry['object']}:{entry['reason']}" if entry.get("reason") else entry["object"]
        for entry in values
    )


def _where_in_template(question: str, index: int) -> str:
    if question:
        return f"问题“{question}”"
    return f"第{index + 1}项" if index >= 0 else "模板"


def checklist(value: Any) -> list[dict[str, Any]]:
    """A checklist template in its canonical JSON form (see `shared.checklist`)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    try:
        template = parse_template(value)
    except SuichaError as error:
        problems = error.extra.get("errors", [])
        zh = "；".join(
            _where_in_template(p["question"], p["index"]) + f"：{p['reason']['zh']}"
            for p in problems
        )
        en = "; ".join(
            f"{p['question'] or '#' + str(p['index'] + 1)}: {p['reason']['en']}" for p in problems
        )
        raise FieldProblem(
            error.code, f"检查表模板有误：{zh}", f"checklist template: {en}"
        ) from None
    return template_to_data(template)
