"""Sync (同步): progress of records and bytes, last sync time, each record's state and reason."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen


class SyncScreen(Screen):
    outcome = StringProperty("")
    empty = StringProperty("")

    def prepare(self, **_: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        app = App.get_running_app()
        report = app.last_report
        if app.syncing:
            self.outcome = app.t("syncing")
        elif report is None:
            self.outcome = ""
        elif report.stopped is not None:
            reason = report.stopped.en if app.lang == "en" else report.stopped.zh
            self.outcome = app.t("sync_stopped", reason=reason)
        elif report.pending or report.failures or app.unsent_now():
            # Recorded since the pass counts too: "everything sent" must be true now.
            waiting = max(report.pending + len(report.failures), app.unsent_now())
            self.outcome = app.t("sync_pending", count=waiting)
        else:
            self.outcome = app.t("sync_ok")
        rows = app.field.record_states()
        self.empty = "" if rows else app.t("no_records")
        self.ids.states.data = [
            {
                "text": f"{row.label(app.lang)}\n[b]{row.state_text(app.lang)}[/b]"
                + (f"  {row.reason(app.lang)}" if row.reason(app.lang) else ""),
                "attention": row.attention,
            }
            for row in rows
        ]

    def phase_text(self, progress: dict[str, Any], lang: str) -> str:
        app = App.get_running_app()
        phase = progress.get("phase")
        return app.t(f"phase_{phase}") if phase else ""
