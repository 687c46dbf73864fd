"""The item form service: a draft per (task, item), saved at every change.

Rules (pains 1, 5 and 7 of field apps):
- every answer, photo, finding, category and follow-up measure is one SQLite
  commit; nothing is held in memory, so killing the app loses nothing;
- a draft is pinned to the checklist template (and its version) of the item
  when the first change was saved: a newer template in a later task package
  never changes a form already started;
- any number of photos per question or for the item as a whole;
- only the items of the inspector's own department are editable (谁检查、谁录入),
  and not after the department submitted, unless review returned the item;
- `validate` lists every problem next to its field (question id, `category`,
  `follow_up`) in Chinese and English with stable codes; `finish` records a
  valid draft as a result in the outbox under the draft's own result id, so
  finishing again makes a new version, never a second result.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mobile import packages
from mobile.forms import errors
from mobile.forms.categories import NO_PROBLEM, Category, task_categories
from mobile.photos import EvidenceLine, prepare_photo
from mobile.sync.states import SubmissionState
from mobile.sync.store import PhotoUse, Store
from shared import checklist
from shared.errors import ErrorSpec, SuichaError

FINDINGS_MAX = 4000
FOLLOW_UP_MAX = 2000
TEXT_ANSWER_MAX = 2000

SCHEMA = """
CREATE TABLE IF NOT EXISTS item_draft (
    task_id INTEGER NOT NULL,
    item TEXT NOT NULL,
    result_id TEXT NOT NULL,
    template TEXT NOT NULL,
    template_version INTEGER,
    answers TEXT NOT NULL DEFAULT '{}',
    findings TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    follow_up TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 0,
    finished_revision INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (task_id, item)
);
CREATE TABLE IF NOT EXISTS draft_photo (
    task_id INTEGER NOT NULL,
    item TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    question TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY (task_id, item, sha256)
);
"""


@dataclass(frozen=True)
class FieldProblem:
    """One problem, shown next to its field: a question id, `category` or `follow_up`."""

    field: str
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class DraftPhoto:
    sha256: str
    question: str | None
    path: Path
    added_at: str


@dataclass(frozen=True)
class ItemSummary:
    code: str
    name: str
    department: str
    editable: bool
    state: str
    """empty (nothing entered), draft (changed since last finished) or done."""


@dataclass(frozen=True)
class ItemForm:
    """Everything the item form screen shows, read from the device's file."""

    task_id: int
    item_code: str
    item_name: str
    department: str
    editable: bool
    state: str
    template: checklist.Template
    template_version: int | None
    answers: dict[str, Any]
    visible: list[checklist.Question]
    findings: str
    category: str
    follow_up: str
    categories: list[tuple[str, str]]
    """(code, Chinese wording) of every category that may be chosen."""
    photos: list[DraftPhoto]
    problems: list[FieldProblem]
    result_id: str | None
    question_photos: dict[str, list[DraftPhoto]] = field(default_factory=dict)
    item_photos: list[DraftPhoto] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _problem(field_name: str, spec: ErrorSpec, **params: Any) -> FieldProblem:
    error = SuichaError(spec, **params)
    return FieldProblem(field_name, error.code, error.detail_zh, error.detail_en)


def _storable(value: Any) -> str | None:
    """Why an answer value cannot be kept (None: it can); types are the checklist's job."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if abs(value) < 2**53 else "数字过大"
    if isinstance(value, float):
        return None if math.isfinite(value) else "数字无效"
    if isinstance(value, str):
        return None if len(value) <= TEXT_ANSWER_MAX else f"文字超过{TEXT_ANSWER_MAX}个字"
    if isinstance(value, list):
        if len(value) > 100:
            return "选项过多"
        for entry in value:
            if isinstance(entry, list | dict) or _storable(entry):
                return "选项取值无效"
        return None
    return "不支持的取值类型"


class FormService:
    """Item drafts of one device's `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        store.ensure_schema(SCHEMA)

    # -- reading ---------------------------------------------------------------------

    def _draft(self, task_id: int, item_code: str) -> Any:
        rows = self.store.query(
            "SELECT * FROM item_draft WHERE task_id = ? AND item = ?", (task_id, item_code)
        )
        return rows[0] if rows else None

    def _photos(self, task_id: int, item_code: str) -> list[DraftPhoto]:
        rows = self.store.query(
            "SELECT * FROM draft_photo WHERE task_id = ? AND item = ? ORDER BY rowid",
            (task_id, item_code),
        )
        return [
            DraftPhoto(
                r["sha256"], r["question"], self.store.photo_path(r["sha256"]), r["added_at"]
            )
            for r in rows
        ]

    def _item(self, package: dict[str, Any], task_id: int, item_code: str) -> dict[str, Any]:
        item = packages.package_item(package, item_code)
        if item is None:
            raise SuichaError(errors.ITEM_UNKNOWN, task_id=task_id, item=item_code)
        return item

    @staticmethod
    def _state(draft: Any) -> str:
        if draft is None or draft["revision"] == 0:
            return "empty"
        return "done" if draft["finished_revision"] == draft["revision"] else "draft"

    def _editable(self, task: Any, item: dict[str, Any]) -> bool:
        package = task.package
        if item.get("department") != package.get("my_department"):
            return False
        closed = task.submission != SubmissionState.NOT_REQUESTED or package.get("submitted_at")
        returned = any(r.get("item") == item["code"] for r in package.get("returns") or [])
        return not closed or returned

    def items(self, task_id: int) -> list[ItemSummary]:
        """Every item of the task with whether this device may edit it, and its state."""
        task = packages.task_status(self.store, task_id)
        drafts = {
            r["item"]: r
            for r in self.store.query("SELECT * FROM item_draft WHERE task_id = ?", (task_id,))
        }
        return [
            ItemSummary(
                code=item["code"],
                name=item.get("name", ""),
                department=item.get("department", ""),
                editable=self._editable(task, item),
                state=self._state(drafts.get(item["code"])),
            )
            for item in task.package.get("items", [])
        ]

    def form(self, task_id: int, item_code: str) -> ItemForm:
        task = packages.task_status(self.store, task_id)
        item = self._item(task.package, task_id, item_code)
        draft = self._draft(task_id, item_code)
        if draft is not None:
            template = checklist.parse_template(draft["template"])
            version = draft["template_version"]
            answers = json.loads(draft["answers"])
        else:
            template = checklist.parse_template(item.get("checklist") or [])
            version = item.get("template_version")
            answers = {}
        photos = self._photos(task_id, item_code)
        by_question: dict[str, list[DraftPhoto]] = {}
        for photo in photos:
            if photo.question:
                by_question.setdefault(photo.question, []).append(photo)
        categories = task_categories(task.package)
        findings = draft["findings"] if draft else ""
        category = draft["category"] if draft else ""
        follow_up = draft["follow_up"] if draft else ""
        return ItemForm(
            task_id=task_id,
            item_code=item_code,
            item_name=item.get("name", ""),
            department=item.get("department", ""),
            editable=self._editable(task, item),
            state=self._state(draft),
            template=template,
            template_version=version,
            answers=answers,
            visible=checklist.visible_questions(template, answers),
            findings=findings,
            category=category,
            follow_up=follow_up,
            categories=[(c.code, c.zh) for c in categories],
            photos=photos,
            problems=self._problems(template, answers, photos, categories, category, follow_up),
            result_id=draft["result_id"] if draft else None,
            question_photos=by_question,
            item_photos=[p for p in photos if not p.question],
        )

    def validate(self, task_id: int, item_code: str) -> list[FieldProblem]:
        """Every problem of the draft, each tied to its field (empty: ready to finish)."""
        return self.form(task_id, item_code).problems

    @staticmethod
    def _problems(
        template: checklist.Template,
        answers: dict[str, Any],
        photos: list[DraftPhoto],
        categories: list[Category],
        category: str,
        follow_up: str,
    ) -> list[FieldProblem]:
        counts: dict[str, int] = {}
        for photo in photos:
            if photo.question:
                counts[photo.question] = counts.get(photo.question, 0) + 1
        problems = [
            FieldProblem(p.question, p.code, p.zh, p.en)
            for p in checklist.validate_answers(template, answers, counts)
        ]
        if not category:
            problems.append(_problem("category", errors.CATEGORY_REQUIRED))
        elif category not in {c.code for c in categories}:
            problems.append(_problem("category", errors.CATEGORY_UNKNOWN, category=category))
        if category and category != NO_PROBLEM and not follow_up.strip():
            problems.append(_problem("follow_up", errors.FOLLOW_UP_REQUIRED))
        return problems

    # -- writing: one commit each ------------------------------------------------------

    def _change(self, task_id: int, item_code: str, sql: str, params: tuple[Any, ...]) -> None:
        """Apply one change to the draft (created, and pinned to its template, on the first)."""
        task = packages.task_status(self.store, task_id)
        item = self._item(task.package, task_id, item_code)
        self._require_editable(task, item)
        now = _now()
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO item_draft (task_id, item, result_id, template, template_version,"
                " started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (task_id, item) DO NOTHING",
                (
                    task_id,
                    item_code,
                    self._result_id(task_id, item_code, task.package),
                    json.dumps(item.get("checklist") or [], ensure_ascii=False),
                    item.get("template_version"),
                    now,
                    now,
                ),
            )
            conn.execute(sql, params)
            conn.execute(
                "UPDATE item_draft SET revision = revision + 1, updated_at = ?"
                " WHERE task_id = ? AND item = ?",
                (now, task_id, item_code),
            )

    def _require_editable(self, task: Any, item: dict[str, Any]) -> None:
        if item.get("department") != task.package.get("my_department"):
            raise SuichaError(
                errors.ITEM_NOT_MINE, item=item["code"], department=item.get("department", "")
            )
        if not self._editable(task, item):
            raise SuichaError(errors.ITEM_CLOSED, item=item["code"])

    def _result_id(self, task_id: int, item_code: str, package: dict[str, Any]) -> str:
        """The result this draft will become: the one already on the device or returned
        by review for this item, else a new id (one result per item, never two)."""
        for result in self.store.results(task_id):
            if result.item == item_code:
                return result.result_id
        for returned in package.get("returns") or []:
            if returned.get("item") == item_code and returned.get("result_id"):
                return str(returned["result_id"])
        return str(uuid.uuid4())

    def set_answer(self, task_id: int, item_code: str, question_id: str, value: Any) -> None:
        """Save one answer (None clears it). Its validity is reported by `validate`."""
        form = self.form(task_id, item_code)
        if form.template.question(question_id) is None:
            raise SuichaError(errors.QUESTION_UNKNOWN, question=question_id)
        reason = _storable(value)
        if reason is not None:
            raise SuichaError(
                errors.ANSWER_UNSTORABLE,
                question=question_id,
                reason=reason,
                reason_en="the value is not a storable answer",
            )
        answers = dict(form.answers)
        if value is None or value == "" or value == []:
            answers.pop(question_id, None)
        else:
            answers[question_id] = value
        self._change(
            task_id,
            item_code,
            "UPDATE item_draft SET answers = ? WHERE task_id = ? AND item = ?",
            (json.dumps(answers, ensure_ascii=False), task_id, item_code),
        )

    def _text(self, value: str, limit: int, zh: str, en: str) -> str:
        if len(value) > limit:
            raise SuichaError(
                errors.TEXT_TOO_LONG, field_zh=zh, field_en=en, limit=limit, length=len(value)
            )
        return value

    def set_findings(self, task_id: int, item_code: str, text: str) -> None:
        text = self._text(text, FINDINGS_MAX, "检查发现", "The findings")
        self._change(
            task_id,
            item_code,
            "UPDATE item_draft SET findings = ? WHERE task_id = ? AND item = ?",
            (text, task_id, item_code),
        )

    def set_follow_up(self, task_id: int, item_code: str, text: str) -> None:
        text = self._text(text, FOLLOW_UP_MAX, "后续处置", "The follow-up measure")
        self._change(
            task_id,
            item_code,
            "UPDATE item_draft SET follow_up = ? WHERE task_id = ? AND item = ?",
            (text, task_id, item_code),
        )

    def set_category(self, task_id: int, item_code: str, code: str) -> None:
        task = packages.task_status(self.store, task_id)
        if code not in {c.code for c in task_categories(task.package)}:
            raise SuichaError(errors.CATEGORY_UNKNOWN, category=code)
        self._change(
            task_id,
            item_code,
            "UPDATE item_draft SET category = ? WHERE task_id = ? AND item = ?",
            (code, task_id, item_code),
        )

    def add_photo(
        self,
        task_id: int,
        item_code: str,
        source: Path,
        question: str | None = None,
        *,
        taken_at: datetime | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        long_edge: int = 2048,
    ) -> DraftPhoto:
        """Run a picture through the photo pipeline and attach it to a question or the item."""
        task = packages.task_status(self.store, task_id)
        item = self._item(task.package, task_id, item_code)
        self._require_editable(task, item)
        if (
            question is not None
            and self.form(task_id, item_code).template.question(question) is None
        ):
            raise SuichaError(errors.QUESTION_UNKNOWN, question=question)
        evidence = EvidenceLine(
            taken_at=taken_at or datetime.now().astimezone(),
            task_code=packages.task_code(task.package),
            badge=packages.my_badge(self.store, task.package),
            latitude=latitude,
            longitude=longitude,
        )
        prepared = prepare_photo(
            source, self.store.photo_dir, evidence=evidence, long_edge=long_edge
        )
        self.store.add_photo(
            prepared.path, taken_at=prepared.taken_at.isoformat(), location=prepared.location
        )
        added = _now()
        self._change(
            task_id,
            item_code,
            "INSERT INTO draft_photo (task_id, item, sha256, question, added_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (task_id, item, sha256)"
            " DO UPDATE SET question = excluded.question",
            (task_id, item_code, prepared.sha256, question, added),
        )
        return DraftPhoto(prepared.sha256, question, prepared.path, added)

    def remove_photo(self, task_id: int, item_code: str, sha256: str) -> None:
        """Detach a photo from the draft (its file stays until the store may release it)."""
        if not any(p.sha256 == sha256 for p in self._photos(task_id, item_code)):
            raise SuichaError(errors.PHOTO_NOT_ON_ITEM, item=item_code, sha256=sha256)
        self._change(
            task_id,
            item_code,
            "DELETE FROM draft_photo WHERE task_id = ? AND item = ? AND sha256 = ?",
            (task_id, item_code, sha256),
        )

    # -- finishing ---------------------------------------------------------------------

    def finish(self, task_id: int, item_code: str) -> list[FieldProblem]:
        """Record the draft as the item's result when valid; else return its problems.

        Nothing is recorded while a problem remains. A draft finished twice without a
        change is recorded once."""
        form = self.form(task_id, item_code)
        if form.problems:
            return form.problems
        if form.state == "done":
            return []
        task = packages.task_status(self.store, task_id)
        self._require_editable(task, self._item(task.package, task_id, item_code))
        draft = self._draft(task_id, item_code)
        assert draft is not None and form.result_id is not None  # problems above otherwise
        content: dict[str, Any] = {
            "answers": form.answers,
            "category": form.category,
            "findings": form.findings,
            "follow_up": form.follow_up.strip() if form.category != NO_PROBLEM else "",
            "template_version": form.template_version,
        }
        uses = [PhotoUse(p.sha256, p.question) for p in form.photos]
        # Recording is its own commit: after a crash between it and marking the draft
        # finished, finishing again finds the same content recorded and sends nothing new.
        if not self._recorded(form.result_id, content, uses):
            self.store.record_result(
                task_id, item_code, photos=uses, result_id=form.result_id, **content
            )
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE item_draft SET finished_revision = ? WHERE task_id = ? AND item = ?"
                " AND revision = ?",
                (draft["revision"], task_id, item_code, draft["revision"]),
            )
        return []

    def _recorded(self, result_id: str, content: dict[str, Any], uses: list[PhotoUse]) -> bool:
        """The result's current local version already holds exactly this content."""
        try:
            body = self.store.result_body(result_id)
        except KeyError:
            return False
        photos = sorted((p["sha256"], p.get("question")) for p in body.get("photos", []))
        return photos == sorted((u.sha256, u.question) for u in uses) and all(
            body.get(key, "" if key != "template_version" else None) == value
            for key, value in content.items()
        )
