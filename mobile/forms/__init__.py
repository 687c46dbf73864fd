"""Item forms on the device (检查事项填报): drafts kept answer by answer.

`FormService` keeps each item's draft in the device's SQLite file, one commit
per answer, photo, finding, category and follow-up measure, pinned to the
checklist template it started on; `finish` turns a valid draft into a result
in the sync outbox (`Store.record_result`).
"""

from mobile.forms.categories import NO_PROBLEM, Category, task_categories
from mobile.forms.service import (
    DraftPhoto,
    FieldProblem,
    FormService,
    ItemForm,
    ItemSummary,
)

__all__ = [
    "NO_PROBLEM",
    "Category",
    "DraftPhoto",
    "FieldProblem",
    "FormService",
    "ItemForm",
    "ItemSummary",
    "task_categories",
]
