"""The checklist template editor's form (检查表模板编辑): one question from the posted
fields, with a Chinese reason beside each field that is wrong. Plain Python: the
template rules themselves stay in `shared.checklist`, which checks the whole template."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.checklist import CHOICE_TYPES, QUESTION_TYPES

TYPE_ZH = {
    "yes_no": "是非题",
    "single_choice": "单选题",
    "multi_choice": "多选题",
    "number": "数字题",
    "text": "文字题",
    "date": "日期题",
    "photo": "拍照题",
}
assert set(TYPE_ZH) == set(QUESTION_TYPES)
MAX_OPTIONS = 50
MAX_QUESTIONS = 200


def _number(text: str, label: str, name: str, errors: dict[str, str]) -> float | int | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        errors[name] = f"{label}须为数字"
        return None
    if value != value or value in (float("inf"), float("-inf")):
        errors[name] = f"{label}须为数字"
        return None
    return int(value) if value.is_integer() else value


def _options(text: str, errors: dict[str, str]) -> list[dict[str, Any]]:
    """One option a line: `值=中文名称`, or just the name (its value is its number)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_OPTIONS:
        errors["options"] = f"选项最多{MAX_OPTIONS}个"
        return []
    options = []
    for number, line in enumerate(lines, start=1):
        value, sep, label = line.partition("=")
        if not sep:
            value, label = str(number), line
        if not value.strip() or not label.strip():
            errors["options"] = f"第{number}个选项须写成“值=名称”"
            return []
        options.append(
            {"value": value.strip(), "label": {"zh": label.strip(), "en": label.strip()}}
        )
    return options


def question_from_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The question the add form describes, and the problems of its fields (by name)."""
    errors: dict[str, str] = {}

    def text(name: str, limit: int = 300) -> str:
        value = form.get(name)
        return str(value).strip()[:limit] if isinstance(value, str) else ""

    qid = text("qid", 64)
    if not qid:
        errors["qid"] = "请填写问题编号"
    elif (
        not qid.replace("_", "").replace("-", "").isascii()
        or not qid.replace("_", "").replace("-", "").isalnum()
    ):
        errors["qid"] = "问题编号只能使用英文字母、数字、“_”和“-”"
    qtype = text("qtype", 32)
    if qtype not in QUESTION_TYPES:
        errors["qtype"] = "请选择题型"
    label = text("label")
    if not label:
        errors["label"] = "请填写问题内容"
    question: dict[str, Any] = {
        "id": qid,
        "type": qtype,
        "label": {"zh": label, "en": text("label_en") or label},
        "required": text("required", 4) == "1",
    }
    if qtype in CHOICE_TYPES:
        options = _options(text("options", 5000), errors)
        if not options and "options" not in errors:
            errors["options"] = "选择题至少需要一个选项"
        question["options"] = options
    if qtype == "number":
        low = _number(text("min", 32), "最小值", "min", errors)
        high = _number(text("max", 32), "最大值", "max", errors)
        if low is not None and high is not None and low > high:
            errors["max"] = "最大值不能小于最小值"
        if low is not None:
            question["min"] = low
        if high is not None:
            question["max"] = high
        if text("unit", 20):
            question["unit"] = text("unit", 20)
    show_question = text("show_question", 64)
    if show_question:
        raw = text("show_value", 100)
        if not raw:
            errors["show_value"] = "请填写触发显示的答案"
        else:
            value: Any = {"是": True, "否": False}.get(raw, raw)
            question["show_if"] = {"question": show_question, "equals": value}
    return question, errors
