"""Task detail: the business, the team, my department's items (editable), the other
departments' items (read-only), the visit record (现场检查笔录), signatures and submit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kivy.app import App
from kivy.factory import Factory
from kivy.properties import DictProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from mobile.app.i18n import local_time
from mobile.app.marks import check_in_text, directed_mark
from mobile.checkin import outbox as check_in_outbox
from shared.errors import SuichaError


class PersonRow(BoxLayout):
    """One person present for the business: name, role, ID number (optional)."""

    index = NumericProperty(0)

    def changed(self) -> None:
        screen = App.get_running_app().manager.get_screen("task")
        screen.save_people()


class TaskDetailScreen(Screen):
    task_id = NumericProperty(0)
    package = DictProperty({})
    business = StringProperty("")
    team_text = StringProperty("")
    methods = ListProperty([])
    problem = StringProperty("")
    mark = StringProperty("")
    """定向检查（非随机）· reason, for a directed task."""
    check_in_status = StringProperty("")

    def prepare(self, task_id: int | None = None, **_: Any) -> None:
        if task_id is not None:
            self.task_id = task_id
        self.refresh()

    def refresh(self) -> None:
        app = App.get_running_app()
        view = app.field.task_view(self.task_id, app.lang)
        self.package = view.package
        obj = view.package["object"]
        lang = app.lang
        lines = [
            f"[b]{obj['name']}[/b]",
            f"{app.t('credit_code')}：{obj['credit_code']}",
            f"{app.t('address')}：{obj['address']}",
            f"{app.t('licences')}：{'、'.join(view.licences) or app.t('none')}",
            f"{app.t('credit_class')}：{view.credit_class or app.t('none')}",
            app.t("due", date=view.package["due_date"]),
        ]
        if lang == "en":
            lines = [line.replace("：", ": ") for line in lines]
        self.business = "\n".join(lines)
        self.mark = directed_mark(view.package, lang)
        self.check_in_status = check_in_text(
            check_in_outbox.check_in_of(app.field.store, self.task_id), lang
        )
        self.team_text = "\n".join(
            f"{m['name']}（{m['badge_no']}，{m['department']}）" for m in view.package["team"]
        )
        self._fill_items(view)
        self._fill_signatures(view)
        self._fill_visit(view)

    def _fill_items(self, view: Any) -> None:
        app = App.get_running_app()
        for box, items, editable in (
            (self.ids.my_items, view.my_items, True),
            (self.ids.other_items, view.other_items, False),
        ):
            box.clear_widgets()
            for item in items:
                row = Factory.ItemRow()
                row.code = item.code
                row.title = f"{item.code}  {item.name}"
                row.state_text = app.t(f"item_state_{item.state}") if editable else item.department
                row.editable = editable
                row.task_id = self.task_id
                box.add_widget(row)
            if not items:
                box.add_widget(Factory.Para(text=app.t("none")))

    def _fill_signatures(self, view: Any) -> None:
        app = App.get_running_app()
        box = self.ids.signers
        box.clear_widgets()
        for signer in view.signers:
            row = Factory.SignerRow()
            row.role = signer.role
            row.key = signer.key
            row.title = (
                app.t("sign_representative")
                if signer.role == "representative"
                else app.t("sign_inspector", name=signer.name)
            )
            row.status = (
                app.t("signed_at", when=local_time(signer.signed_at or ""))
                if signer.signed_at
                else app.t("not_signed")
            )
            row.task_id = self.task_id
            box.add_widget(row)

    # -- the visit record: every edit is saved at once --------------------------------

    def _fill_visit(self, view: Any) -> None:
        # Filling the fields fires their on_text: nothing is saved while loading.
        self._loading = True
        try:
            self._fill_visit_fields(view.visit, view.methods)
        finally:
            self._loading = False

    def _fill_visit_fields(self, visit: dict[str, Any], methods: list[tuple[str, str]]) -> None:
        self.methods = [label for _value, label in methods]
        self._method_values = {label: value for value, label in methods}
        self.ids.arrival.text = visit.get("arrival") or ""
        label = next((lbl for value, lbl in methods if value == visit.get("method")), "")
        self.ids.method.text = label or App.get_running_app().t("choose")
        self.ids.notes.text = visit.get("notes") or ""
        people = self.ids.people
        people.clear_widgets()
        for index, person in enumerate(visit.get("people") or []):
            row = PersonRow(index=index)
            row.ids.name.text = person.get("name", "")
            row.ids.role.text = person.get("role", "")
            row.ids.id_number.text = person.get("id_number", "") or ""
            people.add_widget(row)

    _loading = False

    def save_visit(self, **changes: Any) -> None:
        if self._loading or not self.task_id:
            return
        app = App.get_running_app()
        try:
            app.field.update_visit(self.task_id, **changes)
        except SuichaError as error:  # too long, a closed record: said under the record
            self.problem = app.explain(error)
            return
        self.problem = ""

    def arrival_now(self) -> None:
        self.ids.arrival.text = datetime.now().strftime("%Y-%m-%d %H:%M")
        self.save_visit(arrival=self.ids.arrival.text)

    def method_chosen(self, label: str) -> None:
        value = getattr(self, "_method_values", {}).get(label)
        if value is not None:
            self.save_visit(method=value)

    def add_person(self) -> None:
        row = PersonRow(index=len(self.ids.people.children))
        self.ids.people.add_widget(row)
        self.save_people()

    def save_people(self) -> None:
        rows = sorted(self.ids.people.children, key=lambda r: r.index)
        self.save_visit(
            people=[
                {
                    "name": r.ids.name.text.strip(),
                    "role": r.ids.role.text.strip(),
                    "id_number": r.ids.id_number.text.strip(),
                }
                for r in rows
            ]
        )
