"""Error specs of the records area (archives, printed forms, reports)."""

from __future__ import annotations

from shared.errors import define

NOT_ARCHIVABLE = define(
    "records.not_drawn",
    409,
    "抽查计划“{plan}”尚未抽签，没有可归档的检查",
    "Plan {plan} has not been drawn: there is nothing to archive",
)
PROPOSAL_UNKNOWN = define(
    "records.proposal_unknown", 404, "信用分类调整建议{id}不存在", "Credit proposal {id} not found"
)
PROPOSAL_NOT_OPEN = define(
    "records.proposal_closed",
    409,
    "信用分类调整建议{id}已处理，未做任何更改",
    "Credit proposal {id} was already decided; nothing was changed",
)
