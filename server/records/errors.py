"""Error specs of the records area (archives, printed forms, reports)."""

from __future__ import annotations

from shared.errors import define

NOT_ARCHIVABLE = define(
    "records.not_drawn",
    409,
    "抽查计划“{plan}”尚未抽签，没有可归档的检查",
    "Plan {plan} has not been drawn: there is nothing to archive",
)
