"""Task list (检查任务): today / upcoming / done / returned, search, unsent count, 同步."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from mobile.app.marks import directed_mark

TABS = ("today", "upcoming", "done", "returned")


class TaskRow(ButtonBehavior, BoxLayout):
    """One task in the list: business, credit code, due date and its sync badge."""

    task_id = NumericProperty(0)
    name = StringProperty("")
    credit_code = StringProperty("")
    due = StringProperty("")
    badge = StringProperty("")
    badge_kind = StringProperty("")
    mark = StringProperty("")
    """定向检查（非随机）· reason, for a directed task; "" for a drawn one."""

    def on_release(self) -> None:
        App.get_running_app().show("task", task_id=self.task_id)


class TaskListScreen(Screen):
    tab = StringProperty("today")
    query = StringProperty("")
    empty = StringProperty("")

    def prepare(self, **_: Any) -> None:
        self.refresh()

    def on_tab(self, *_: Any) -> None:
        self.refresh()

    def on_query(self, *_: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        app = App.get_running_app()
        rows = app.field.tasks(self.tab, self.query)
        store = app.field.store
        self.ids.rows.data = [
            {
                "mark": directed_mark(_package(store, row.task_id), app.lang),
                "task_id": row.task_id,
                "name": row.name,
                "credit_code": row.credit_code,
                "due": app.t("due", date=row.due_date),
                "badge": app.t(f"badge_{row.badge}", count=row.unsent),
                "badge_kind": row.badge,
            }
            for row in rows
        ]
        self.empty = "" if rows else app.t("no_tasks")
        app.refresh_counts()


def _package(store: Any, task_id: int) -> dict[str, Any]:
    task = store.task(task_id)
    return task.package if task is not None else {}
