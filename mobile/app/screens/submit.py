"""Submit (提交): what is still missing, or the confirmation; sent at the next sync."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen


class SubmitScreen(Screen):
    task_id = NumericProperty(0)
    missing = StringProperty("")
    ready = BooleanProperty(False)
    outcome = StringProperty("")

    def prepare(self, task_id: int | None = None, **_: Any) -> None:
        if task_id is not None:
            self.task_id = task_id
        self.outcome = ""
        self.refresh()

    def refresh(self) -> None:
        app = App.get_running_app()
        problems = app.field.submit_problems(self.task_id)
        self.ready = not problems
        self.missing = "\n".join(f"• {en if app.lang == 'en' else zh}" for zh, en in problems)
        if app.field.submission_requested(self.task_id):
            self.outcome = app.t("submit_queued")

    def submit(self) -> None:
        app = App.get_running_app()
        problems = app.field.submit(self.task_id)
        if problems:
            self.refresh()
            return
        self.outcome = app.t("submit_queued")
        self.ready = False
        app.refresh_counts()
        app.start_sync()
