"""The field app's services behind one object (FieldSession): what the screens call.

It composes the local store and sync engine (`mobile.sync`), signing in
(`mobile.signin`), and the form, photo, signature and visit services
(`mobile.forms`, `mobile.photos`, `mobile.signatures`, `mobile.visits`). Every
rule lives in those modules or in `shared/`; this class only routes and shapes
data for display, so the screens can be tested against it and it can be tested
without a window.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mobile import signin
from mobile.forms import FieldProblem, FormService, ItemForm, ItemSummary
from mobile.signatures import SignatureService
from mobile.signatures.service import SignatureState
from mobile.sync import HttpTransport, RetryPolicy, Store, SyncEngine, SyncReport
from mobile.sync.progress import ProgressListener
from mobile.sync.session import SERVER
from mobile.sync.states import PENDING_RECORD_STATES, RecordState, SubmissionState
from mobile.sync.summary import RECORD_WORDS, SUBMISSION_WORDS
from mobile.visits import outbox
from mobile.visits.service import VisitService
from mobile.visits.submission import request_submission, submission_problems
from shared.sync.protocol import CODES
from shared.visit import METHODS

LAST_SYNC = "last_sync_at"
TABS = ("today", "upcoming", "done", "returned")
RETURNED_STATUSES = frozenset({"returned", "rejected"})
"""Task statuses meaning the task came back to the team for more work (退回)."""
ATTENTION = frozenset({RecordState.CONFLICT, RecordState.REFUSED})


@dataclass(frozen=True)
class TaskRow:
    task_id: int
    name: str
    credit_code: str
    due_date: str
    badge: str
    """sent / unsent / waiting / submitted / problem (the sync badge)."""
    unsent: int


@dataclass(frozen=True)
class TaskView:
    """What the task detail screen shows."""

    package: dict[str, Any]
    licences: list[str]
    credit_class: str
    my_items: list[ItemSummary]
    other_items: list[ItemSummary]
    signers: list[SignatureState]
    visit: dict[str, Any]
    methods: list[tuple[str, str]]
    """(value, label) of each inspection method, in the session's language."""


@dataclass(frozen=True)
class StateRow:
    """One record on the sync screen, with its state and reason in plain words."""

    label_zh: str
    label_en: str
    state_zh: str
    state_en: str
    reason_zh: str = ""
    reason_en: str = ""
    attention: bool = False

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh

    def state_text(self, lang: str) -> str:
        return self.state_en if lang == "en" else self.state_zh

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_zh


class FieldSession:
    """One device's data dir, opened for the app."""

    def __init__(self, data_dir: str | Path, *, today: date | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.store = Store(self.data_dir)
        self.forms = FormService(self.store)
        self.signatures = SignatureService(self.store)
        self.visits = VisitService(self.store)
        self._today = today
        self._sync_lock = threading.Lock()

    def close(self) -> None:
        self.store.close()

    @property
    def today(self) -> date:
        return self._today or date.today()

    # -- signing in ------------------------------------------------------------------

    def device_id(self) -> str:
        return signin.device_id(self.store)

    def signed_in(self) -> bool:
        return signin.signed_in(self.store)

    def sign_in(self, server: str, username: str, password: str) -> signin.SignInOutcome:
        return signin.sign_in(self.store, server.rstrip("/"), username, password)

    def sign_out(self) -> None:
        signin.sign_out(self.store)

    def remembered_login(self) -> tuple[str, str] | None:
        return signin.remembered(self.store)

    def revocation(self) -> str | None:
        return self.store.get_meta(signin.REVOKED)

    # -- task list ---------------------------------------------------------------------

    def tasks(self, tab: str, query: str = "") -> list[TaskRow]:
        """Tasks of one tab, searched by business name or credit code, soonest due first.

        returned: an item came back from review. done: submitted by my department.
        today: due by today, or already started on this device. upcoming: the rest.
        """
        if tab not in TABS:
            raise ValueError(f"unknown tab {tab!r}")
        needle = query.strip().casefold()
        started = self._started_tasks()
        pending = self._pending_by_task()
        rows = []
        for task in self.store.tasks():
            if task.removed:
                continue
            package = task.package
            business = package.get("object") or {}
            name, code = business.get("name", ""), business.get("credit_code", "")
            if needle and needle not in name.casefold() and needle not in code.casefold():
                continue
            if self._tab_of(task, started) != tab:
                continue
            rows.append(
                TaskRow(
                    task_id=task.task_id,
                    name=name,
                    credit_code=code,
                    due_date=str(package.get("due_date", "")),
                    badge=self._badge(task, pending.get(task.task_id, (0, False))),
                    unsent=pending.get(task.task_id, (0, False))[0],
                )
            )
        rows.sort(key=lambda r: (r.due_date, r.name))
        return rows

    def _tab_of(self, task: Any, started: set[int]) -> str:
        package = task.package
        if package.get("returns") or package.get("status") in RETURNED_STATUSES:
            return "returned"  # sent back by review (退回修改), even after submission
        if task.submission == SubmissionState.SUBMITTED or package.get("submitted_at"):
            return "done"
        due = package.get("due_date")
        if task.task_id in started or (due and str(due) <= self.today.isoformat()):
            return "today"
        return "upcoming"

    def _started_tasks(self) -> set[int]:
        return {r.task_id for r in self.store.results()}

    def _pending_by_task(self) -> dict[int, tuple[int, bool]]:
        """task id → (records not yet acknowledged, whether one needs attention)."""
        out: dict[int, tuple[int, bool]] = {}
        for result in self.store.results():
            count, attention = out.get(result.task_id, (0, False))
            out[result.task_id] = (
                count + (result.state in PENDING_RECORD_STATES),
                attention or result.state in ATTENTION,
            )
        return out

    @staticmethod
    def _badge(task: Any, pending: tuple[int, bool]) -> str:
        count, attention = pending
        if attention or task.submission in (SubmissionState.REFUSED, SubmissionState.INCOMPLETE):
            return "problem"
        if task.submission == SubmissionState.SUBMITTED:
            return "submitted"
        if count:
            return "unsent"
        if task.submission in (SubmissionState.WAITING, SubmissionState.FAILED_RETRYING):
            return "waiting"
        return "sent"

    def unsent_count(self) -> int:
        """Results, photos, visit records and submissions the server has not confirmed."""
        return (
            len(self.store.pending_results())
            + len(self.store.pending_photos())
            + outbox.unsent_count(self.store)
            + len(self.store.tasks_to_submit())
        )

    def last_sync(self) -> str | None:
        return self.store.get_meta(LAST_SYNC)

    # -- sync ----------------------------------------------------------------------------

    def sync(self, progress: ProgressListener | None = None) -> SyncReport:
        """One pass (blocking: the app calls it from a worker thread)."""
        server = self.store.get_meta(SERVER)
        with self._sync_lock:
            engine = SyncEngine(
                self.store,
                HttpTransport(server or "http://127.0.0.1:9"),
                retry=RetryPolicy(attempts=3, base_delay=0.5, max_delay=4.0),
                progress=progress,
            )
            report = engine.run()
        stopped = report.stopped
        if stopped is not None and stopped.code == CODES.DEVICE_REVOKED:
            self.store.set_meta({signin.REVOKED: stopped.zh})
        if stopped is None:
            self.store.set_meta(
                {LAST_SYNC: datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M")}
            )
        return report

    def record_states(self) -> list[StateRow]:
        """Every record on the device with its state (results, photos, submissions)."""
        rows: list[StateRow] = []
        for task in self.store.tasks():
            package = task.package
            business = (package.get("object") or {}).get("name", "")
            names = {i["code"]: i.get("name", "") for i in package.get("items", [])}
            for result in self.store.results(task.task_id):
                zh, en = RECORD_WORDS[result.state]
                problem = result.problem
                rows.append(
                    StateRow(
                        label_zh=f"{business} · {names.get(result.item, result.item)}",
                        label_en=f"{business} · {names.get(result.item, result.item)}",
                        state_zh=zh,
                        state_en=en,
                        reason_zh=problem.zh if problem else "",
                        reason_en=problem.en if problem else "",
                        attention=result.state in ATTENTION,
                    )
                )
            if task.submission != SubmissionState.NOT_REQUESTED:
                zh, en = SUBMISSION_WORDS[task.submission]
                problem = task.problem
                rows.append(
                    StateRow(
                        label_zh=f"{business} · 提交",
                        label_en=f"{business} · submission",
                        state_zh=zh,
                        state_en=en,
                        reason_zh=problem.zh if problem else "",
                        reason_en=problem.en if problem else "",
                        attention=task.submission
                        in (SubmissionState.REFUSED, SubmissionState.INCOMPLETE),
                    )
                )
            visit = outbox.visit_state(self.store, task.task_id)
            # A visit record is sent with the submission: shown once that is asked for.
            if visit is not None and (
                visit[0] != RecordState.QUEUED or task.submission != SubmissionState.NOT_REQUESTED
            ):
                state, problem = visit
                zh, en = RECORD_WORDS[state]
                rows.append(
                    StateRow(
                        label_zh=f"{business} · 现场检查笔录和签名",
                        label_en=f"{business} · visit record and signatures",
                        state_zh=zh,
                        state_en=en,
                        reason_zh=problem.zh if problem else "",
                        reason_en=problem.en if problem else "",
                        attention=state in ATTENTION,
                    )
                )
        signed = {
            s.sha256: s.name
            for task in self.store.tasks()
            for s in self.signatures.signers(task.task_id)
            if s.sha256
        }
        for photo in self.store.photos():
            zh, en = RECORD_WORDS[photo.state]
            problem = photo.problem
            kib = max(1, round(photo.size / 1024))
            name = signed.get(photo.sha256)
            rows.append(
                StateRow(
                    label_zh=(f"签名（{name}）" if name is not None else "照片")
                    + f" {photo.sha256[:10]}，{kib}千字节",
                    label_en=(f"Signature ({name})" if name is not None else "Photo")
                    + f" {photo.sha256[:10]}, {kib} KiB",
                    state_zh=zh,
                    state_en=en,
                    reason_zh=problem.zh if problem else "",
                    reason_en=problem.en if problem else "",
                    attention=photo.state in ATTENTION,
                )
            )
        return rows

    # -- task detail: the business, the team, items, visit record, signatures -----------

    def task_view(self, task_id: int, lang: str = "zh") -> TaskView:
        package = self.store.task(task_id)
        items = self.forms.items(task_id)  # raises device.task_unknown for a task not here
        assert package is not None
        business = package.package.get("object") or {}
        licences = business.get("licences") or []
        return TaskView(
            package=package.package,
            licences=[str(x) for x in licences] if isinstance(licences, list) else [],
            credit_class=str(business.get("risk_class") or ""),
            my_items=[i for i in items if i.editable],
            other_items=[i for i in items if not i.editable],
            signers=self.signatures.signers(task_id),
            visit=self.visits.record(task_id).as_dict(),
            methods=[(m.value, m.en if lang == "en" else m.zh) for m in METHODS],
        )

    def visit(self, task_id: int) -> dict[str, Any]:
        return self.visits.record(task_id).as_dict()

    def update_visit(self, task_id: int, **changes: Any) -> None:
        self.visits.update(task_id, **changes)

    # -- item forms (mobile.forms): each call is one commit -----------------------------

    def items(self, task_id: int) -> list[ItemSummary]:
        return self.forms.items(task_id)

    def form(self, task_id: int, item_code: str) -> ItemForm:
        return self.forms.form(task_id, item_code)

    def return_reason(self, task_id: int, item_code: str) -> str | None:
        """Why review sent this item back (退回修改), when it did."""
        task = self.store.task(task_id)
        returns = (task.package.get("returns") or []) if task else []
        return next((r.get("reason", "") for r in returns if r.get("item") == item_code), None)

    def set_answer(self, task_id: int, item_code: str, question: str, value: Any) -> None:
        self.forms.set_answer(task_id, item_code, question, value)

    def set_findings(self, task_id: int, item_code: str, text: str) -> None:
        self.forms.set_findings(task_id, item_code, text)

    def set_follow_up(self, task_id: int, item_code: str, text: str) -> None:
        self.forms.set_follow_up(task_id, item_code, text)

    def set_category(self, task_id: int, item_code: str, code: str) -> None:
        self.forms.set_category(task_id, item_code, code)

    def add_photo(self, task_id: int, item_code: str, source: Path, question: str | None) -> None:
        self.forms.add_photo(task_id, item_code, source, question)

    def finish_item(self, task_id: int, item_code: str) -> list[FieldProblem]:
        return self.forms.finish(task_id, item_code)

    # -- signatures (mobile.signatures) ---------------------------------------------------

    def signature(self, task_id: int, key: str) -> SignatureState:
        return self.signatures.signature(task_id, key)

    def set_signer_name(self, task_id: int, key: str, name: str) -> None:
        self.signatures.set_signer_name(task_id, key, name)

    def append_stroke(self, task_id: int, key: str, stroke: list[tuple[float, float]]) -> None:
        self.signatures.append_stroke(task_id, key, stroke)

    def clear_signature(self, task_id: int, key: str) -> None:
        self.signatures.clear(task_id, key)

    def finish_signature(self, task_id: int, key: str, *, width: int, height: int) -> None:
        self.signatures.finish_signature(task_id, key, width=width, height=height)

    # -- submission ------------------------------------------------------------------------

    def submit_problems(self, task_id: int) -> list[tuple[str, str]]:
        return [(m.zh, m.en) for m in submission_problems(self.store, task_id)]

    def submit(self, task_id: int) -> list[tuple[str, str]]:
        """Queue the submission (sent at the next sync), or say what is missing."""
        return [(m.zh, m.en) for m in request_submission(self.store, task_id)]

    def submission_requested(self, task_id: int) -> bool:
        task = self.store.task(task_id)
        return task is not None and task.submission != SubmissionState.NOT_REQUESTED
