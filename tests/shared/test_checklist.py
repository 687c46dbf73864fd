"""Checklist templates: parsing with every problem listed, and answer validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.checklist import (
    answers_invalid,
    check_answers,
    missing_answers,
    parse_template,
    template_to_data,
    validate_answers,
    visible_questions,
)
from shared.errors import SuichaError
from tests.support.wording import english_words

TEMPLATE: list[dict[str, Any]] = [
    {"id": "licence", "type": "yes_no", "label": {"zh": "是否亮照经营", "en": "Licence shown"}},
    {
        "id": "licence_photo",
        "type": "photo",
        "label": {"zh": "营业执照照片", "en": "Licence photo"},
        "min_photos": 2,
        "show_if": {"question": "licence", "equals": True},
    },
    {
        "id": "storage",
        "type": "single_choice",
        "label": {"zh": "储存条件", "en": "Storage"},
        "options": [
            {"value": "cold", "label": {"zh": "冷藏", "en": "Cold"}},
            {"value": "room", "label": {"zh": "常温", "en": "Room"}},
        ],
    },
    {
        "id": "temperature",
        "type": "number",
        "label": {"zh": "冷藏温度", "en": "Fridge temperature"},
        "unit": "℃",
        "min": -30,
        "max": 10,
        "photo_required": True,
        "show_if": {"question": "storage", "in": ["cold"]},
    },
    {
        "id": "problems",
        "type": "multi_choice",
        "label": {"zh": "发现的问题", "en": "Problems found"},
        "required": False,
        "options": [
            {"value": "expired", "label": {"zh": "过期", "en": "Expired"}},
            {"value": "unlabelled", "label": {"zh": "无标签", "en": "Unlabelled"}},
        ],
    },
    {
        "id": "detail",
        "type": "text",
        "label": {"zh": "问题说明", "en": "Details"},
        "show_if": {"question": "problems", "equals": "expired"},
    },
    {"id": "checked_on", "type": "date", "label": {"zh": "检查日期", "en": "Checked on"}},
]


def codes(problems: list[Any]) -> dict[str, str]:
    return {p.question: p.code for p in problems}


def test_a_valid_template_parses_and_round_trips() -> None:
    template = parse_template(TEMPLATE)
    assert [q.id for q in template.questions] == [q["id"] for q in TEMPLATE]
    again = parse_template(json.dumps(template_to_data(template), ensure_ascii=False))
    assert again == template
    assert template.question("temperature").unit == "℃"  # type: ignore[union-attr]


def test_empty_template_is_allowed() -> None:
    assert len(parse_template([])) == 0
    assert len(parse_template("")) == 0


def test_every_template_problem_is_reported_at_once() -> None:
    bad = [
        {"id": "a", "type": "yes_no", "label": {"zh": "甲"}},
        {"id": "a", "type": "yes_no", "label": {"zh": "重复"}},
        {"id": "b", "type": "checkbox", "label": {"zh": "乙"}},
        {"id": "c", "type": "single_choice", "label": {"zh": "丙"}},
        {
            "id": "d",
            "type": "multi_choice",
            "label": {"zh": "丁"},
            "options": [{"value": "x"}, {"value": "x"}],
        },
        {
            "id": "e",
            "type": "text",
            "label": {"zh": "戊"},
            "show_if": {"question": "f", "equals": 1},
        },
        {"id": "f", "type": "number", "label": {"zh": "己"}, "min": 5, "max": 1},
        {"id": "g", "type": "text"},
        {"id": "h", "type": "text", "label": "庚", "show_if": {"question": "a", "equals": "yes"}},
    ]
    with pytest.raises(SuichaError) as caught:
        parse_template(bad)
    error = caught.value
    assert error.code == "checklist.invalid"
    flagged = [e["question"] for e in error.extra["errors"]]
    # duplicate id, unknown type, choice without options, repeated option value,
    # show_if on a later question, min > max, missing label, impossible show_if value
    assert flagged == ["a", "b", "c", "d", "e", "f", "g", "h"]
    for entry in error.extra["errors"]:
        assert entry["reason"]["zh"] and entry["reason"]["en"]


def test_template_must_be_a_list_of_json() -> None:
    with pytest.raises(SuichaError, match=r"checklist\.invalid"):
        parse_template("{not json")
    with pytest.raises(SuichaError, match=r"checklist\.invalid"):
        parse_template({"id": "q"})


def test_complete_answers_have_no_problem() -> None:
    template = parse_template(TEMPLATE)
    answers = {
        "licence": True,
        "storage": "cold",
        "temperature": 4.5,
        "problems": ["expired"],
        "detail": "两箱过期牛奶",
        "checked_on": "2026-05-01",
    }
    photos = {"licence_photo": 2, "temperature": 1}
    assert validate_answers(template, answers, photos) == []
    assert missing_answers(template, answers, photos) == []


def test_hidden_questions_are_not_required() -> None:
    template = parse_template(TEMPLATE)
    answers = {"licence": False, "storage": "room", "checked_on": "2026-05-01"}
    assert validate_answers(template, answers, {}) == []
    shown = [q.id for q in visible_questions(template, answers)]
    assert shown == ["licence", "storage", "problems", "checked_on"]


def test_answer_left_on_a_hidden_question_is_not_checked() -> None:
    template = parse_template(TEMPLATE)
    answers = {"licence": False, "storage": "room", "temperature": 99, "checked_on": "2026-05-01"}
    assert validate_answers(template, answers, {}) == []


def test_required_visible_questions_need_answers_and_photos() -> None:
    template = parse_template(TEMPLATE)
    answers = {"licence": True, "storage": "cold", "temperature": 3, "detail": ""}
    problems = validate_answers(template, answers, {"licence_photo": 1})
    assert codes(problems) == {
        "licence_photo": "checklist.photos_missing",
        "temperature": "checklist.photos_missing",
        "checked_on": "checklist.answer_required",
    }
    assert missing_answers(template, answers, {"licence_photo": 1}) == [
        "licence_photo",
        "temperature",
        "checked_on",
    ]
    assert all(p.zh and p.en for p in problems)


@pytest.mark.parametrize(
    ("question", "answer", "code"),
    [
        ("licence", "yes", "checklist.answer_type"),
        ("licence", 1, "checklist.answer_type"),
        ("storage", "frozen", "checklist.answer_option"),
        ("storage", True, "checklist.answer_type"),
        ("temperature", 11, "checklist.answer_range"),
        ("temperature", -31, "checklist.answer_range"),
        ("temperature", "4", "checklist.answer_type"),
        ("temperature", True, "checklist.answer_type"),
        ("problems", ["expired", "expired"], "checklist.answer_type"),
        ("problems", ["mouldy"], "checklist.answer_option"),
        ("problems", "expired", "checklist.answer_type"),
        ("checked_on", "2026-02-30", "checklist.answer_type"),
        ("checked_on", "01/05/2026", "checklist.answer_type"),
        ("checked_on", "20260501", "checklist.answer_type"),
        ("nonsense", 1, "checklist.unknown_question"),
    ],
)
def test_answer_types_are_checked(question: str, answer: Any, code: str) -> None:
    template = parse_template(TEMPLATE)
    answers: dict[str, Any] = {
        "licence": False,
        "storage": "cold",
        "temperature": 2,
        "checked_on": "2026-05-01",
        "detail": "shown only when problems include expired",
    }
    answers[question] = answer
    problems = validate_answers(template, answers, {"temperature": 1})
    assert codes(problems) == {question: code}


def test_range_message_names_the_unit() -> None:
    template = parse_template(TEMPLATE)
    answers = {"licence": False, "storage": "cold", "temperature": 20, "checked_on": "2026-05-01"}
    (problem,) = validate_answers(template, answers, {"temperature": 1})
    assert "℃" in problem.zh and "℃" in problem.en


def test_optional_photo_question_with_too_few_photos_is_a_problem() -> None:
    template = parse_template(
        [{"id": "p", "type": "photo", "label": {"zh": "现场"}, "required": False, "min_photos": 3}]
    )
    assert validate_answers(template, {}, {}) == []
    assert codes(validate_answers(template, {}, {"p": 1})) == {"p": "checklist.photos_missing"}


# --- messages: the Chinese detail is Chinese from start to end -------------------------


def test_answer_problems_raise_with_an_all_chinese_detail() -> None:
    template = parse_template(
        [
            {
                "id": "fridge_temp",
                "type": "number",
                "label": {"zh": "冷藏温度", "en": "Refrigerator temperature"},
                "unit": "℃",
                "min": 0,
                "max": 8,
            }
        ]
    )
    with pytest.raises(SuichaError) as caught:
        check_answers(template, {"fridge_temp": 40})
    error = caught.value
    assert error.code == "checklist.answers_invalid"
    assert error.detail_zh == "检查表答案有1处问题，第一处：“冷藏温度”的答案40超出范围（0–8 ℃）"
    assert english_words(error.detail_zh) == []
    assert "Refrigerator temperature" in error.detail_en
    assert error.extra["problems"][0]["question"] == "fridge_temp"


@pytest.mark.parametrize(
    "answers",
    [
        {"licence": "yes"},
        {"storage": "frozen"},
        {"storage": "cold", "temperature": "4"},
        {"checked_on": "01/05/2026"},
        {"problems": ["expired", "expired"]},
        {"nonsense": 1},
        {},
    ],
)
def test_every_answer_problem_reads_in_chinese(answers: dict[str, Any]) -> None:
    problems = validate_answers(parse_template(TEMPLATE), answers, {})
    assert problems
    for problem in problems:
        assert english_words(problem.zh) == [], problem.zh
    assert english_words(answers_invalid(problems).detail_zh) == []


def test_every_template_problem_reads_in_chinese() -> None:
    bad: list[Any] = [
        {"id": "a", "type": "yes_no", "label": {"zh": "甲"}, "required": "yes"},
        {"id": "a", "type": "yes_no", "label": {"zh": "重复"}},
        {"id": "b", "type": "checkbox", "label": {"zh": "乙"}},
        {"id": "c", "type": "single_choice", "label": {"zh": "丙"}},
        {"id": "d", "type": "multi_choice", "label": "丁", "options": [{"value": "x"}, {}]},
        {"id": "e", "type": "text", "label": {"zh": "戊"}, "show_if": {"question": "f"}},
        {"id": "f", "type": "number", "label": {"zh": "己"}, "min": "5", "max": 1, "unit": 3},
        {"id": "g", "type": "text", "min": 1, "min_photos": 0},
        {"id": "h", "type": "text", "label": "庚", "show_if": {"question": "a", "in": []}},
        {"id": "i", "type": "text", "label": "辛", "show_if": {"question": "a", "equals": "x"}},
        {"id": "j", "type": "text", "label": "壬", "show_if": "a"},
        {"id": "k", "type": "text", "label": "癸", "options": []},
        "not a question",
        {"type": "text"},
    ]
    with pytest.raises(SuichaError) as caught:
        parse_template(bad)
    error = caught.value
    assert len(error.extra["errors"]) >= 15
    for entry in error.extra["errors"]:
        assert english_words(entry["reason"]["zh"]) == [], entry["reason"]["zh"]
    assert english_words(error.detail_zh) == []
    assert error.detail_en.startswith("The checklist template has")
    with pytest.raises(SuichaError) as caught:
        parse_template("[{oops")
    assert english_words(caught.value.detail_zh) == []


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\n", "\u2028", "\ud800"])
def test_control_characters_in_a_template_are_refused(bad: str) -> None:
    for template in (
        [{"id": "q" + bad + "1", "type": "text", "label": "问题"}],
        [{"id": "q", "type": "text", "label": {"zh": "问" + bad + "题", "en": "Q"}}],
        [{"id": "q", "type": "text", "label": {"zh": "问题", "en": "Q" + bad + "1"}}],
        [{"id": "q", "type": "number", "label": "温度", "unit": "℃" + bad + "C"}],
        [
            {
                "id": "q",
                "type": "single_choice",
                "label": "储存",
                "options": [{"value": "a" + bad}, {"value": "b"}],
            }
        ],
    ):
        with pytest.raises(SuichaError) as caught:
            parse_template(template)
        (entry,) = caught.value.extra["errors"]
        assert "U+" in entry["reason"]["zh"] and english_words(entry["reason"]["zh"]) == []
