"""May the task be submitted from this device? (提交前检查)

Submission needs every item of the inspector's department finished, the visit
record complete, and the signatures of the business representative and of
each inspector of the team. The device refuses to queue the submission until
all of that is there, and says what is missing in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mobile import packages
from mobile.forms import FormService
from mobile.signatures import REPRESENTATIVE, SignatureService
from mobile.sync.store import Store
from mobile.visits.service import VisitService


@dataclass(frozen=True)
class Missing:
    code: str
    zh: str
    en: str


def submission_problems(store: Store, task_id: int) -> list[Missing]:
    packages.task_status(store, task_id)
    missing: list[Missing] = []
    for item in FormService(store).items(task_id):
        if item.editable and item.state != "done":
            word_zh, word_en = (
                ("未填写", "not started")
                if item.state == "empty"
                else (
                    "未完成",
                    "not finished",
                )
            )
            missing.append(
                Missing(
                    "device.item_unfinished",
                    f"检查事项“{item.code} {item.name}”{word_zh}",
                    f"Item {item.code} {item.name} is {word_en}",
                )
            )
    missing += [Missing(*p) for p in VisitService(store).problems(task_id)]
    for signer in SignatureService(store).unsigned(task_id):
        if signer.role == REPRESENTATIVE:
            missing.append(
                Missing(
                    "device.signature_missing",
                    "缺少企业代表签名",
                    "The business representative has not signed",
                )
            )
        else:
            missing.append(
                Missing(
                    "device.signature_missing",
                    f"缺少检查员{signer.name}（{signer.badge}）的签名",
                    f"Inspector {signer.name} ({signer.badge}) has not signed",
                )
            )
    return missing


def request_submission(store: Store, task_id: int) -> list[Missing]:
    """Queue the submission (sent at the next sync) unless something is missing."""
    missing = submission_problems(store, task_id)
    if not missing:
        store.request_submission(task_id, completed_at=datetime.now(UTC).astimezone().isoformat())
    return missing
