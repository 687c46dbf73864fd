"""Item form (检查事项): the checklist template rendered question by question.

Left pane: the task's items (mine to fill, others read-only). Right pane: the
selected item's questions, its photos (any number per question or per item),
findings, result category and follow-up measure. Every change is handed to
the form service at once (one commit per answer); the rules — which questions
show, what is required, what is valid — are the service's and
`shared/checklist.py`'s: this screen only shows their verdicts next to the
fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from mobile.app.photos import choose_photo
from shared.errors import SuichaError


def parse_number(text: str) -> int | float | str | None:
    """What the inspector typed, as a number when it is one (else the text, so the
    checklist rules report it as the wrong type rather than it being dropped)."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


class QuestionBox(BoxLayout):
    """One question: its label, the input for its type, its photos and its problem."""

    qid = StringProperty("")
    qtype = StringProperty("")
    title = StringProperty("")
    problem = StringProperty("")
    photo_count = NumericProperty(0)
    wants_photos = BooleanProperty(False)
    editable = BooleanProperty(True)
    form = ObjectProperty(None)

    def build_input(self, question: Any, value: Any, lang: str) -> None:
        box = self.ids.input
        box.clear_widgets()
        app = App.get_running_app()
        if question.type == "yes_no":
            for answer, key in ((True, "yes"), (False, "no")):
                btn = Factory.ChoiceBtn(text=app.t(key), group=f"q-{self.qid}")
                btn.state = "down" if value is answer else "normal"
                btn.disabled = not self.editable
                btn.bind(on_release=lambda b, a=answer: self._toggle_single(b, a))
                box.add_widget(btn)
        elif question.type in ("single_choice", "multi_choice"):
            multi = question.type == "multi_choice"
            chosen = set(value or []) if multi else {value}
            for option in question.options:
                label = option.label.en if lang == "en" else option.label.zh
                btn = Factory.ChoiceBtn(text=label, group=None if multi else f"q-{self.qid}")
                btn.state = "down" if option.value in chosen else "normal"
                btn.disabled = not self.editable
                btn.option_value = option.value
                if multi:
                    btn.bind(on_release=lambda _b: self._multi_changed())
                else:
                    btn.bind(on_release=lambda b, v=option.value: self._toggle_single(b, v))
                box.add_widget(btn)
            box.cols = 1 if len(question.options) > 3 else max(2, len(question.options))
        elif question.type in ("number", "text", "date"):
            field = Factory.Field(
                text="" if value is None else str(value),
                multiline=question.type == "text",
                readonly=not self.editable,
            )
            if question.type == "text":
                field.height = field.height * 2
            if question.type == "date":
                field.hint_text = app.t("date_hint")
            if question.type == "number":
                field.hint_text = question.unit or app.t("number_hint")
            field.bind(text=lambda _f, text: self._typed(text))
            self.text_field = field
            box.add_widget(field)

    def _toggle_single(self, button: Any, answer: Any) -> None:
        self.form.answer(self.qid, answer if button.state == "down" else None)

    def _multi_changed(self) -> None:
        chosen = [b.option_value for b in reversed(self.ids.input.children) if b.state == "down"]
        self.form.answer(self.qid, chosen or None)

    def _typed(self, text: str) -> None:
        if self.form.loading:
            return
        value: Any = parse_number(text) if self.qtype == "number" else (text or None)
        self.form.answer(self.qid, value)

    def add_photo(self) -> None:
        self.form.add_photo(self.qid)


class ItemFormScreen(Screen):
    task_id = NumericProperty(0)
    item_code = StringProperty("")
    title = StringProperty("")
    editable = BooleanProperty(True)
    read_only_note = StringProperty("")
    categories = ListProperty([])
    summary = StringProperty("")
    category_problem = StringProperty("")
    follow_up_problem = StringProperty("")
    findings_problem = StringProperty("")
    item_photo_count = NumericProperty(0)
    saved = StringProperty("")
    loading = False

    def prepare(self, task_id: int | None = None, item_code: str | None = None, **_: Any) -> None:
        if task_id is not None:
            self.task_id = task_id
        if item_code is not None:
            self.item_code = item_code
        self.checked = False
        self.refresh()

    # -- showing ----------------------------------------------------------------------

    def refresh(self) -> None:
        app = App.get_running_app()
        view = app.field.form(self.task_id, self.item_code)
        self.view = view
        self.loading = True
        try:
            self._fill_item_list(app.field.items(self.task_id))
            self.title = f"{view.item_code}  {view.item_name}"
            self.editable = view.editable
            returned = app.field.return_reason(self.task_id, self.item_code)
            if returned is not None:
                self.read_only_note = app.t("returned_note", reason=returned)
            elif not view.editable:
                self.read_only_note = app.t("read_only", department=view.department)
            else:
                self.read_only_note = ""
            self._category_values = {label: code for code, label in view.categories}
            self.categories = [label for _code, label in view.categories]
            self.ids.category.text = dict(view.categories).get(view.category, app.t("choose"))
            self.ids.findings.text = view.findings or ""
            self.ids.follow_up.text = view.follow_up or ""
            self.item_photo_count = len(view.item_photos)
            self._build_questions(view)
        finally:
            self.loading = False
        self._show_problems(view.problems if self.checked else [])

    def _fill_item_list(self, items: list[Any]) -> None:
        app = App.get_running_app()
        box = self.ids.item_list
        box.clear_widgets()
        for item in items:
            row = Factory.ItemPick()
            row.code = item.code
            row.title = f"{item.code}  {item.name}"
            row.note = app.t(f"item_state_{item.state}") if item.editable else item.department
            row.selected = item.code == self.item_code
            box.add_widget(row)

    def _build_questions(self, view: Any) -> None:
        app = App.get_running_app()
        box = self.ids.questions
        box.clear_widgets()
        self.boxes: dict[str, QuestionBox] = {}
        for question in view.visible:
            label = question.label.en if app.lang == "en" else question.label.zh
            qbox = QuestionBox(
                qid=question.id,
                qtype=question.type,
                title=label + (app.t("required_mark") if question.required else ""),
                wants_photos=question.photos_needed > 0 or question.type == "photo",
                photo_count=len(view.question_photos.get(question.id, [])),
                editable=view.editable,
                form=self,
            )
            qbox.build_input(question, view.answers.get(question.id), app.lang)
            box.add_widget(qbox)
            self.boxes[question.id] = qbox

    def _show_problems(self, problems: list[Any]) -> None:
        app = App.get_running_app()
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(
                problem.en if app.lang == "en" else problem.zh
            )
        for qid, qbox in self.boxes.items():
            qbox.problem = "\n".join(by_field.get(qid, []))
        self.category_problem = "\n".join(by_field.get("category", []))
        self.follow_up_problem = "\n".join(by_field.get("follow_up", []))
        self.findings_problem = "\n".join(by_field.get("findings", []))
        self.summary = app.t("fix_problems", count=len(problems)) if problems else ""

    # -- user actions: each is saved at once ---------------------------------------------

    def select_item(self, code: str) -> None:
        self.prepare(item_code=code)

    def answer(self, qid: str, value: Any) -> None:
        if self.loading:
            return
        app = App.get_running_app()
        before = [q.id for q in self.view.visible]
        try:
            app.field.set_answer(self.task_id, self.item_code, qid, value)
        except SuichaError as error:  # e.g. a text over its length: shown, nothing saved
            self.boxes[qid].problem = app.explain(error)
            return
        self.saved = ""
        view = app.field.form(self.task_id, self.item_code)
        self.view = view
        if [q.id for q in view.visible] != before:
            # A conditional question appeared or went: rebuild (typed text is already saved).
            self.loading = True
            try:
                self._build_questions(view)
            finally:
                self.loading = False
        self._show_problems(view.problems if self.checked else [])

    def _save(self, field_name: str, call: Any, *args: Any) -> bool:
        """Hand one change to the form service; its refusal shows next to the field."""
        app = App.get_running_app()
        try:
            call(self.task_id, self.item_code, *args)
        except SuichaError as error:
            setattr(self, f"{field_name}_problem", app.explain(error))
            return False
        setattr(self, f"{field_name}_problem", "")
        self.saved = ""
        return True

    def set_findings(self, text: str) -> None:
        if not self.loading:
            self._save("findings", App.get_running_app().field.set_findings, text)

    def set_follow_up(self, text: str) -> None:
        if not self.loading:
            self._save("follow_up", App.get_running_app().field.set_follow_up, text)
            if self.checked:
                self._show_problems(
                    App.get_running_app().field.form(self.task_id, self.item_code).problems
                )

    def category_chosen(self, label: str) -> None:
        code = getattr(self, "_category_values", {}).get(label)
        field = App.get_running_app().field
        if (
            code is not None
            and not self.loading
            and self._save("category", field.set_category, code)
        ):
            self.refresh()  # the follow-up measure may have become required

    def add_photo(self, question: str | None = None) -> None:
        choose_photo(lambda path: self._photo_chosen(path, question))

    def _photo_chosen(self, path: Path, question: str | None) -> None:
        app = App.get_running_app()
        try:
            app.field.add_photo(self.task_id, self.item_code, path, question)
        except SuichaError as error:  # not a picture, unreadable: said where it was asked
            self.refresh()
            message = app.explain(error)
            if question in getattr(self, "boxes", {}):
                self.boxes[question].problem = message
            else:
                self.findings_problem = message
            return
        self.saved = ""
        self.refresh()

    def finish(self) -> None:
        app = App.get_running_app()
        self.checked = True
        problems = app.field.finish_item(self.task_id, self.item_code)
        self.refresh()
        if not problems:
            self.saved = app.t("item_saved")
            app.refresh_counts()
            return
        # Bring the first field to fix into view, as a person would look for it.
        first = next((self.boxes[p.field] for p in problems if p.field in self.boxes), None)
        if first is not None:
            Clock.schedule_once(lambda _dt: self.ids.form_scroll.scroll_to(first, animate=False))
