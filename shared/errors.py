"""Domain errors with stable codes and bilingual messages.

Every refusal the system makes is a `SuichaError` raised with an `ErrorSpec`:
a stable machine-readable `code` (documented, never renamed), the HTTP status
it maps to at the edge, and a Chinese and an English message. Services raise
them without knowing about HTTP; the server turns them into JSON once
(`server.http.errors`), and the field app shows the same messages.

Specs are declared next to the code that raises them, with `define()`, which
refuses a code declared twice so codes stay unique across the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CATALOGUE", "ErrorSpec", "SuichaError", "define"]


@dataclass(frozen=True)
class ErrorSpec:
    code: str
    status: int
    zh: str
    en: str


CATALOGUE: dict[str, ErrorSpec] = {}


def define(code: str, status: int, zh: str, en: str) -> ErrorSpec:
    """Declare an error. Messages may hold `{name}` fields filled from the raise."""
    if code in CATALOGUE:
        raise ValueError(f"error code {code!r} is declared twice")
    spec = ErrorSpec(code=code, status=status, zh=zh, en=en)
    CATALOGUE[code] = spec
    return spec


class SuichaError(Exception):
    """A refusal with a stable code.

    `params` fill the message fields; `extra` is structured detail returned to
    the caller as is (for example every bad row of an import).
    """

    def __init__(self, spec: ErrorSpec, *, extra: dict[str, Any] | None = None, **params: Any):
        self.spec = spec
        self.params = params
        self.extra = extra or {}
        super().__init__(f"{spec.code}: {self.detail_en}")

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def status(self) -> int:
        return self.spec.status

    @property
    def detail_zh(self) -> str:
        return self.spec.zh.format(**self.params)

    @property
    def detail_en(self) -> str:
        return self.spec.en.format(**self.params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "code": self.code,
            "detail": {"zh": self.detail_zh, "en": self.detail_en},
            **self.extra,
        }


# Errors of general use; each area declares its own beside its code.
VALIDATION_FAILED = define(
    "request.invalid", 400, "请求内容不合法：{reason}", "The request is invalid: {reason}"
)
NOT_FOUND = define("not_found", 404, "{what}不存在", "{what_en} not found")
CONFIG_DATABASE_URL = define(
    "config.database_url",
    500,
    "不支持的数据库地址：{url}",
    "Unsupported database URL: {url} (use sqlite:///path or postgresql://…)",
)
