"""Checklist templates (检查表模板) of inspection items, and validation of answers.

A template is a JSON list of typed questions::

    {"id": "q1", "type": "yes_no", "label": {"zh": "…", "en": "…"},
     "required": true, "photo_required": false,
     "show_if": {"question": "q0", "equals": true}}

Types: `yes_no` (answer: bool), `single_choice` (one option value),
`multi_choice` (a list of distinct option values), `number` (int or float,
optionally within `min`/`max`, with a display `unit`), `text` (a string),
`date` (an ISO date, `YYYY-MM-DD`) and `photo` (no answer value: the photos
taken for it count, at least `min_photos`, default 1). Any question may set
`photo_required`: an answer to it needs at least `min_photos` photos too.

`show_if` makes a question conditional on the answer to an EARLIER question:
`{"question": id, "equals": v}` or `{"question": id, "in": [v, …]}`. For a
`multi_choice` question the condition holds when one selected value matches.
A hidden question is never required, and an answer left on it (the inspector
answered it, then changed an earlier answer) is kept but not checked — nothing
a user recorded is ever lost.

Pure Python: the server (import, field sync, review) and the field app (form
screens) use the same rules.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.errors import ErrorSpec, SuichaError, define
from shared.text import character_name, forbidden_character

__all__ = [
    "QUESTION_TYPES",
    "Label",
    "Option",
    "Problem",
    "Question",
    "ShowIf",
    "Template",
    "answers_invalid",
    "check_answers",
    "missing_answers",
    "parse_template",
    "template_to_data",
    "validate_answers",
    "visible_questions",
]

QUESTION_TYPES = ("yes_no", "single_choice", "multi_choice", "number", "text", "date", "photo")
_TYPE_WORDS = {
    "yes_no": "是非题",
    "single_choice": "单选题",
    "multi_choice": "多选题",
    "number": "数字题",
    "text": "文字题",
    "date": "日期题",
    "photo": "拍照题",
}
"""Chinese names of the question types, for template authors' messages."""
_TYPE_LIST = "、".join(f"{word}（{name}）" for name, word in _TYPE_WORDS.items())
_KEY_WORDS = {
    "required": "是否必答",
    "photo_required": "是否须拍照",
    "min": "最小值",
    "max": "最大值",
}
CHOICE_TYPES = ("single_choice", "multi_choice")

CHECKLIST_INVALID = define(
    "checklist.invalid",
    422,
    "检查表模板有{count}处错误，第一处：{first}",
    "The checklist template has {count} problem(s); first: {first_en}",
)
ANSWERS_INVALID = define(
    "checklist.answers_invalid",
    422,
    "检查表答案有{count}处问题，第一处：{first}",
    "The checklist answers have {count} problem(s); first: {first_en}",
)
"""Raise with `answers_invalid(problems)`: the Chinese detail names the question by its
Chinese label, the English one by its English label."""

# Answer problems: registered in the error catalogue so their codes are unique
# and documented, but reported as a list of `Problem`s, not raised one by one.
ANSWER_REQUIRED = define(
    "checklist.answer_required", 422, "“{label}”必须回答", "{label_en!r} must be answered"
)
ANSWER_TYPE = define(
    "checklist.answer_type",
    422,
    "“{label}”的答案应为{expected}",
    "The answer to {label_en!r} must be {expected_en}",
)
ANSWER_OPTION = define(
    "checklist.answer_option",
    422,
    "“{label}”没有选项“{value}”",
    "{label_en!r} has no option {value!r}",
)
ANSWER_RANGE = define(
    "checklist.answer_range",
    422,
    "“{label}”的答案{value}超出范围（{bounds}）",
    "The answer to {label_en!r}, {value}, is out of range ({bounds})",
)
PHOTOS_MISSING = define(
    "checklist.photos_missing",
    422,
    "“{label}”至少需要{minimum}张照片，实际{count}张",
    "{label_en!r} needs at least {minimum} photo(s), got {count}",
)
UNKNOWN_QUESTION = define(
    "checklist.unknown_question",
    422,
    "检查表中没有问题“{question}”",
    "The checklist has no question {question!r}",
)

_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "yes_no": ("是或否", "yes or no (true/false)"),
    "single_choice": ("一个选项", "one option"),
    "multi_choice": ("不重复的选项列表", "a list of distinct options"),
    "number": ("数字", "a number"),
    "text": ("文字", "text"),
    "date": ("日期（年-月-日，如2026-05-01）", "a date (YYYY-MM-DD)"),
    "photo": ("照片", "photos"),
}


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def to_data(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Option:
    value: str | int
    label: Label


@dataclass(frozen=True)
class ShowIf:
    """Show a question only when an earlier answer matches."""

    question: str
    values: tuple[Any, ...]
    """The accepted values: one for `equals`, several for `in`."""
    uses_in: bool = False

    def holds(self, answer: Any) -> bool:
        if answer is None:
            return False
        if isinstance(answer, list):
            return any(_matches(item, self.values) for item in answer)
        return _matches(answer, self.values)

    def to_data(self) -> dict[str, Any]:
        if self.uses_in:
            return {"question": self.question, "in": list(self.values)}
        return {"question": self.question, "equals": self.values[0]}


def _matches(answer: Any, values: tuple[Any, ...]) -> bool:
    # `True == 1` in Python; a yes/no answer must not match option value 1.
    return any(type(answer) is type(v) and answer == v for v in values)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: Label
    required: bool = True
    options: tuple[Option, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    min_photos: int = 1
    photo_required: bool = False
    show_if: ShowIf | None = None

    @property
    def option_values(self) -> tuple[str | int, ...]:
        return tuple(option.value for option in self.options)

    @property
    def photos_needed(self) -> int:
        """Photos an answer needs (0 when none are asked for)."""
        return self.min_photos if self.type == "photo" or self.photo_required else 0

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "label": self.label.to_data(),
            "required": self.required,
        }
        if self.options:
            data["options"] = [{"value": o.value, "label": o.label.to_data()} for o in self.options]
        if self.unit is not None:
            data["unit"] = self.unit
        if self.min is not None:
            data["min"] = self.min
        if self.max is not None:
            data["max"] = self.max
        if self.type == "photo" or self.photo_required:
            data["min_photos"] = self.min_photos
        if self.photo_required:
            data["photo_required"] = True
        if self.show_if is not None:
            data["show_if"] = self.show_if.to_data()
        return data


@dataclass(frozen=True)
class Template:
    questions: tuple[Question, ...] = ()
    _by_id: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def __len__(self) -> int:
        return len(self.questions)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a set of answers."""

    question: str
    code: str
    zh: str
    en: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "code": self.code,
            "reason": {"zh": self.zh, "en": self.en},
        }


# --- parsing templates -----------------------------------------------------------------


class _Collector:
    """Gathers every template problem, so one answer lists them all."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def add(self, index: int, question: str, zh: str, en: str) -> None:
        self.errors.append({"index": index, "question": question, "reason": {"zh": zh, "en": en}})


def _parse_label(raw: Any, where: tuple[str, str], index: int, qid: str, out: _Collector) -> Label:
    where, where_en = where
    if isinstance(raw, str) and raw.strip():
        if _clean(raw, f"{where}的标签", f"the label of {where_en}", index, qid, out):
            return Label(zh=raw.strip(), en=raw.strip())
        return Label(zh=qid, en=qid)
    if isinstance(raw, Mapping):
        zh = raw.get("zh")
        en = raw.get("en", zh)
        if isinstance(zh, str) and zh.strip() and isinstance(en, str) and en.strip():
            if _clean(
                zh, f"{where}的中文标签", f"the zh label of {where_en}", index, qid, out
            ) and (
                _clean(en, f"{where}的英文标签", f"the en label of {where_en}", index, qid, out)
            ):
                return Label(zh=zh.strip(), en=en.strip())
            return Label(zh=qid, en=qid)
    out.add(index, qid, f"{where}缺少中文标签", f"{where_en} needs a label with a 'zh' text")
    return Label(zh=qid, en=qid)


def _clean(text: str, what: str, what_en: str, index: int, qid: str, out: _Collector) -> bool:
    """Whether a text of the template holds no control character; adds the problem if not."""
    bad = forbidden_character(text)
    if bad is None:
        return True
    zh, en = character_name(bad)
    out.add(index, qid, f"{what}含有{zh}，不能保存", f"{what_en} holds a {en}")
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _parse_options(raw: Any, index: int, qid: str, out: _Collector) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        out.add(index, qid, "选择题至少需要2个选项", "a choice question needs at least 2 options")
        return ()
    options: list[Option] = []
    seen: set[Any] = set()
    for number, item in enumerate(raw, start=1):
        value = item.get("value") if isinstance(item, Mapping) else None
        if not (isinstance(value, str) and value) and not (
            isinstance(value, int) and not isinstance(value, bool)
        ):
            out.add(
                index,
                qid,
                f"第{number}个选项缺少取值（文字或整数）",
                f"option {number} needs a value (text or integer)",
            )
            continue
        if value in seen:
            out.add(index, qid, f"选项取值“{value}”重复", f"option value {value!r} is repeated")
            continue
        if isinstance(value, str) and not _clean(
            value, f"第{number}个选项的取值", f"the value of option {number}", index, qid, out
        ):
            continue
        seen.add(value)
        label = _parse_label(
            item.get("label", str(value)), (f"选项“{value}”", f"option {value!r}"), index, qid, out
        )
        options.append(Option(value=value, label=label))
    return tuple(options)


def _parse_show_if(
    raw: Any, index: int, qid: str, earlier: Mapping[str, Question], out: _Collector
) -> ShowIf | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("question"), str):
        out.add(
            index,
            qid,
            "显示条件（show_if）应写明前面的问题（question）及取值（equals）或取值列表（in）",
            "show_if must be {question, equals} or {question, in}",
        )
        return None
    target_id = raw["question"]
    target = earlier.get(target_id)
    if target is None:
        out.add(
            index,
            qid,
            f"显示条件引用的“{target_id}”不是前面的问题",
            f"show_if refers to {target_id!r}, which is not an earlier question",
        )
        return None
    if ("equals" in raw) == ("in" in raw):
        out.add(
            index,
            qid,
            "显示条件须有取值（equals）或取值列表（in），且只能有其一",
            "show_if needs exactly one of 'equals' or 'in'",
        )
        return None
    uses_in = "in" in raw
    values = raw["in"] if uses_in else [raw["equals"]]
    if not isinstance(values, list) or not values:
        out.add(
            index, qid, "显示条件的取值列表（in）不能为空", "show_if 'in' must be a non-empty list"
        )
        return None
    for value in values:
        if not _condition_value_fits(target, value):
            out.add(
                index,
                qid,
                f"显示条件的取值“{value}”不可能是“{target_id}”的答案",
                f"show_if value {value!r} can never be an answer to {target_id!r}",
            )
            return None
    return ShowIf(question=target_id, values=tuple(values), uses_in=uses_in)


def _condition_value_fits(target: Question, value: Any) -> bool:
    if target.type == "yes_no":
        return isinstance(value, bool)
    if target.type in CHOICE_TYPES:
        return any(_matches(value, (v,)) for v in target.option_values)
    if target.type == "number":
        return _is_number(value)
    if target.type in ("text", "date"):
        return isinstance(value, str)
    return False  # a photo question has no answer value to compare


def _parse_question(
    raw: Any, index: int, earlier: Mapping[str, Question], out: _Collector
) -> Question | None:
    if not isinstance(raw, Mapping):
        out.add(
            index, "", f"第{index + 1}项不是一个问题对象", f"entry {index + 1} is not an object"
        )
        return None
    qid = raw.get("id")
    if not isinstance(qid, str) or not qid.strip():
        out.add(index, "", f"第{index + 1}个问题缺少编号（id）", f"question {index + 1} has no id")
        return None
    qid = qid.strip()
    if not _clean(
        qid, f"第{index + 1}个问题的编号", f"the id of question {index + 1}", index, "", out
    ):
        return None
    if qid in earlier:
        out.add(index, qid, f"问题编号“{qid}”重复", f"question id {qid!r} is repeated")
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        out.add(
            index,
            qid,
            f"未知题型“{qtype}”（可用：{_TYPE_LIST}）",
            f"unknown type {qtype!r} (use one of {', '.join(QUESTION_TYPES)})",
        )
        return None
    label = _parse_label(raw.get("label"), ("问题", "the question"), index, qid, out)
    required = raw.get("required", True)
    photo_required = raw.get("photo_required", False)
    for name, flag in (("required", required), ("photo_required", photo_required)):
        if not isinstance(flag, bool):
            out.add(
                index,
                qid,
                f"“{_KEY_WORDS[name]}”（{name}）应为是或否（true/false）",
                f"{name} must be true or false",
            )
    options: tuple[Option, ...] = ()
    if qtype in CHOICE_TYPES:
        options = _parse_options(raw.get("options"), index, qid, out)
    elif "options" in raw:
        out.add(index, qid, "只有选择题可以有选项", "only choice questions have options")
    bounds: dict[str, float | None] = {"min": None, "max": None}
    for name in ("min", "max"):
        if name in raw and raw[name] is not None:
            if qtype != "number":
                out.add(
                    index,
                    qid,
                    f"只有数字题可以设{_KEY_WORDS[name]}（{name}）",
                    f"only numbers have {name!r}",
                )
            elif not _is_number(raw[name]):
                out.add(
                    index,
                    qid,
                    f"{_KEY_WORDS[name]}（{name}）应为数字",
                    f"{name!r} must be a number",
                )
            else:
                bounds[name] = raw[name]
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        out.add(index, qid, "最小值大于最大值", "'min' is greater than 'max'")
    unit = raw.get("unit")
    if unit is not None and (qtype != "number" or not isinstance(unit, str)):
        out.add(
            index, qid, "单位（unit）只用于数字题，且应为文字", "'unit' is text, for numbers only"
        )
        unit = None
    elif unit is not None and not _clean(unit, "单位", "the unit", index, qid, out):
        unit = None
    min_photos = raw.get("min_photos", 1)
    if not isinstance(min_photos, int) or isinstance(min_photos, bool) or min_photos < 1:
        out.add(
            index,
            qid,
            "最少照片数（min_photos）应为正整数",
            "'min_photos' must be a positive integer",
        )
        min_photos = 1
    show_if = _parse_show_if(raw.get("show_if"), index, qid, earlier, out)
    return Question(
        id=qid,
        type=qtype,
        label=label,
        required=required if isinstance(required, bool) else True,
        options=options,
        unit=unit,
        min=bounds["min"],
        max=bounds["max"],
        min_photos=min_photos,
        photo_required=photo_required if isinstance(photo_required, bool) else False,
        show_if=show_if,
    )


def parse_template(data: Any) -> Template:
    """A `Template` from its JSON form (a list, or the JSON text of one).

    Raises `SuichaError(checklist.invalid)` with `extra={"errors": [...]}`
    listing every problem (index, question id, zh/en reason).
    """
    out = _Collector()
    if isinstance(data, str | bytes):
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        if not text.strip():
            return Template()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            out.add(
                -1,
                "",
                f"不是合法的JSON：第{error.lineno}行第{error.colno}列有误",
                f"not valid JSON: {error}",
            )
            _raise_invalid(out)
    if data is None:
        return Template()
    if not isinstance(data, list):
        out.add(-1, "", "模板应为问题列表", "a template is a list of questions")
        _raise_invalid(out)
    questions: dict[str, Question] = {}
    for index, raw in enumerate(data):
        question = _parse_question(raw, index, questions, out)
        if question is not None and question.id not in questions:
            questions[question.id] = question
    if out.errors:
        _raise_invalid(out)
    return Template(questions=tuple(questions.values()))


def _raise_invalid(out: _Collector) -> None:
    first = out.errors[0]
    question = first["question"]
    raise SuichaError(
        CHECKLIST_INVALID,
        extra={"errors": out.errors},
        count=len(out.errors),
        first=(f"问题“{question}”：" if question else "") + first["reason"]["zh"],
        first_en=(f"{question}: " if question else "") + first["reason"]["en"],
    )


def template_to_data(template: Template) -> list[dict[str, Any]]:
    """The JSON form of a template; `parse_template` of it gives the same template."""
    return [question.to_data() for question in template.questions]


# --- answers ---------------------------------------------------------------------------


def _is_blank(answer: Any) -> bool:
    return answer is None or (isinstance(answer, str | list) and len(answer) == 0)


def visible_questions(template: Template, answers: Mapping[str, Any]) -> list[Question]:
    """The questions shown for these answers, in template order.

    A condition on a hidden question is false: its answer does not count.
    """
    shown: dict[str, Question] = {}
    for question in template.questions:
        condition = question.show_if
        if condition is None or (
            condition.question in shown and condition.holds(answers.get(condition.question))
        ):
            shown[question.id] = question
    return list(shown.values())


def _problem(question: Question, spec: ErrorSpec, **params: Any) -> Problem:
    params = {"label": question.label.zh, "label_en": question.label.en, **params}
    return Problem(
        question=question.id,
        code=spec.code,
        zh=spec.zh.format(**params),
        en=spec.en.format(**params),
    )


def _type_problem(question: Question) -> Problem:
    zh, en = _TYPE_NAMES[question.type]
    return _problem(question, ANSWER_TYPE, expected=zh, expected_en=en)


def _value_problems(question: Question, answer: Any) -> list[Problem]:
    kind = question.type
    if kind == "yes_no":
        return [] if isinstance(answer, bool) else [_type_problem(question)]
    if kind == "text":
        return [] if isinstance(answer, str) else [_type_problem(question)]
    if kind == "date":
        if isinstance(answer, date):
            return []
        if isinstance(answer, str):
            try:
                date.fromisoformat(answer)
            except ValueError:
                pass
            else:
                if len(answer) == 10:
                    return []
        return [_type_problem(question)]
    if kind == "number":
        if not _is_number(answer):
            return [_type_problem(question)]
        low, high = question.min, question.max
        if (low is not None and answer < low) or (high is not None and answer > high):
            bounds = f"{'' if low is None else low}–{'' if high is None else high}"
            if question.unit:
                bounds += f" {question.unit}"
            return [_problem(question, ANSWER_RANGE, value=answer, bounds=bounds)]
        return []
    if kind == "single_choice":
        if not isinstance(answer, str | int) or isinstance(answer, bool):
            return [_type_problem(question)]
        if not _matches(answer, question.option_values):
            return [_problem(question, ANSWER_OPTION, value=answer)]
        return []
    if kind == "multi_choice":
        if not isinstance(answer, list) or len(set(map(repr, answer))) != len(answer):
            return [_type_problem(question)]
        return [
            _problem(question, ANSWER_OPTION, value=item)
            for item in answer
            if not _matches(item, question.option_values)
        ]
    return []  # photo: the answer value is not used; photos are counted separately


def validate_answers(
    template: Template,
    answers: Mapping[str, Any],
    photos_by_question: Mapping[str, int] | None = None,
) -> list[Problem]:
    """Every problem with these answers; an empty list means the result is complete.

    `photos_by_question` counts the photos attached to each question.
    """
    photos = photos_by_question or {}
    problems = [
        Problem(
            question=qid,
            code=UNKNOWN_QUESTION.code,
            zh=UNKNOWN_QUESTION.zh.format(question=qid),
            en=UNKNOWN_QUESTION.en.format(question=qid),
        )
        for qid in answers
        if template.question(qid) is None
    ]
    for question in visible_questions(template, answers):
        count = photos.get(question.id, 0)
        if question.type == "photo":
            if (question.required or count) and count < question.min_photos:
                problems.append(
                    _problem(question, PHOTOS_MISSING, minimum=question.min_photos, count=count)
                )
            continue
        answer = answers.get(question.id)
        if _is_blank(answer):
            if question.required:
                problems.append(_problem(question, ANSWER_REQUIRED))
            continue
        problems.extend(_value_problems(question, answer))
        if question.photo_required and count < question.min_photos:
            problems.append(
                _problem(question, PHOTOS_MISSING, minimum=question.min_photos, count=count)
            )
    return problems


def missing_answers(
    template: Template,
    answers: Mapping[str, Any],
    photos_by_question: Mapping[str, int] | None = None,
) -> list[str]:
    """Ids of the visible questions still lacking a required answer or photos."""
    missing = {ANSWER_REQUIRED.code, PHOTOS_MISSING.code}
    seen: list[str] = []
    for problem in validate_answers(template, answers, photos_by_question):
        if problem.code in missing and problem.question not in seen:
            seen.append(problem.question)
    return seen


def answers_invalid(problems: list[Problem]) -> SuichaError:
    """`checklist.answers_invalid` listing every problem; the details quote the first one."""
    return SuichaError(
        ANSWERS_INVALID,
        extra={"problems": [p.to_dict() for p in problems]},
        count=len(problems),
        first=problems[0].zh,
        first_en=problems[0].en,
    )


def check_answers(
    template: Template,
    answers: Mapping[str, Any],
    photos_by_question: Mapping[str, int] | None = None,
) -> None:
    """Raise `checklist.answers_invalid` listing every problem, if there is one."""
    problems = validate_answers(template, answers, photos_by_question)
    if problems:
        raise answers_invalid(problems)
