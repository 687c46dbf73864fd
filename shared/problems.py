"""Collect every problem of one write, then refuse once with the whole list.

As roster imports do: a clerk fixes a form in one round instead of one problem
per request. Each problem keeps the stable code and the messages of its own
`ErrorSpec`, plus the field it concerns; the refusal itself is the area's
summary spec (`plans.invalid`, `categories.invalid`, …), whose messages take
`count`, `first` and `first_en`.
"""

from __future__ import annotations

from typing import Any

from shared.errors import ErrorSpec, SuichaError

__all__ = ["Problems"]


class Problems:
    def __init__(self, summary: ErrorSpec) -> None:
        self.summary = summary
        self.items: list[dict[str, str]] = []

    def add(self, field: str, spec: ErrorSpec, **params: Any) -> None:
        self.add_error(field, SuichaError(spec, **params))

    def add_error(self, field: str, error: SuichaError) -> None:
        self.items.append(
            {"field": field, "code": error.code, "zh": error.detail_zh, "en": error.detail_en}
        )

    def raise_if_any(self) -> None:
        """Refuse with the summary spec listing every problem in `errors`, if there is any."""
        if not self.items:
            return
        first = self.items[0]
        raise SuichaError(
            self.summary,
            extra={"errors": self.items},
            count=len(self.items),
            first=first["zh"],
            first_en=first["en"],
        )

    def as_warnings(self) -> list[dict[str, str]]:
        """The problems as advice that refuses nothing: {code, zh, en}."""
        return [{"code": p["code"], "zh": p["zh"], "en": p["en"]} for p in self.items]
