"""Builders for checklist templates, in the JSON form `shared.checklist.parse_template` reads.

The demo's item list holds some forty templates; these one-line builders keep
each question to one readable line. They only build data; validation is
`shared.checklist`'s job.
"""

from __future__ import annotations

from typing import Any

Question = dict[str, Any]
Choice = tuple[str, str, str]
"""(value, Chinese label, English label)."""


def _label(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _question(qid: str, qtype: str, zh: str, en: str, **extra: Any) -> Question:
    question: Question = {"id": qid, "type": qtype, "label": _label(zh, en), "required": True}
    question.update({key: value for key, value in extra.items() if value is not None})
    return question


def when(question: str, equals: Any) -> dict[str, Any]:
    """Show only when the earlier `question` was answered `equals`."""
    return {"question": question, "equals": equals}


def when_in(question: str, *values: Any) -> dict[str, Any]:
    """Show only when the earlier `question`'s answer is one of `values`."""
    return {"question": question, "in": list(values)}


def yes_no(
    qid: str,
    zh: str,
    en: str,
    *,
    required: bool = True,
    photo_required: bool = False,
    show_if: dict[str, Any] | None = None,
) -> Question:
    return _question(
        qid,
        "yes_no",
        zh,
        en,
        required=required,
        photo_required=photo_required or None,
        show_if=show_if,
    )


def _options(choices: tuple[Choice, ...]) -> list[dict[str, Any]]:
    return [{"value": value, "label": _label(zh, en)} for value, zh, en in choices]


def single(
    qid: str,
    zh: str,
    en: str,
    *choices: Choice,
    required: bool = True,
    show_if: dict[str, Any] | None = None,
) -> Question:
    return _question(
        qid, "single_choice", zh, en, options=_options(choices), required=required, show_if=show_if
    )


def multi(
    qid: str,
    zh: str,
    en: str,
    *choices: Choice,
    required: bool = True,
    show_if: dict[str, Any] | None = None,
) -> Question:
    return _question(
        qid, "multi_choice", zh, en, options=_options(choices), required=required, show_if=show_if
    )


def number(
    qid: str,
    zh: str,
    en: str,
    *,
    unit: str,
    low: float | None = 0,
    high: float | None = None,
    required: bool = True,
    show_if: dict[str, Any] | None = None,
) -> Question:
    return _question(
        qid, "number", zh, en, unit=unit, min=low, max=high, required=required, show_if=show_if
    )


def text(
    qid: str, zh: str, en: str, *, required: bool = False, show_if: dict[str, Any] | None = None
) -> Question:
    return _question(qid, "text", zh, en, required=required, show_if=show_if)


def day(
    qid: str, zh: str, en: str, *, required: bool = True, show_if: dict[str, Any] | None = None
) -> Question:
    return _question(qid, "date", zh, en, required=required, show_if=show_if)


def photo(
    qid: str,
    zh: str,
    en: str,
    *,
    min_photos: int = 1,
    required: bool = True,
    show_if: dict[str, Any] | None = None,
) -> Question:
    return _question(
        qid, "photo", zh, en, min_photos=min_photos, required=required, show_if=show_if
    )


# Questions many items ask, defined once.


def licence_displayed() -> Question:
    return yes_no(
        "licence_displayed",
        "营业执照及许可证件是否在经营场所显著位置悬挂",
        "Business licence and permits displayed prominently on the premises",
    )


def site_photos(minimum: int = 2) -> Question:
    return photo(
        "site_photos",
        "现场照片（门头及经营场所）",
        "Site photos (shopfront and premises)",
        min_photos=minimum,
    )


def remarks() -> Question:
    return text("remarks", "其他需要说明的情况", "Other observations")
