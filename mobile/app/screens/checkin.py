"""扫码入企: at arrival, the business-licence QR read from a photo (the camera on Android,
an image file on desktop) or the credit code typed; the arrival is kept on the device at
once and queued for the next sync. The rules are `mobile.checkin`'s; this screen routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.app.marks import check_in_text, directed_mark
from mobile.app.photos import choose_photo
from mobile.checkin import location, outbox
from mobile.checkin.arrival import WrongBusiness
from mobile.checkin.licence import LicenceUnreadable, decode_image


class CheckInScreen(Screen):
    task_id = NumericProperty(0)
    expected = StringProperty("")
    mark = StringProperty("")
    status = StringProperty("")
    problem = StringProperty("")

    def prepare(self, task_id: int | None = None, **_: Any) -> None:
        if task_id is not None and task_id != self.task_id:
            self.task_id = task_id
            self.problem = ""
            self.ids.typed.text = ""
        self.refresh()

    def _business(self) -> dict[str, Any]:
        app = App.get_running_app()
        task = app.field.store.task(self.task_id)
        return task.package if task is not None else {}

    def refresh(self) -> None:
        app = App.get_running_app()
        package = self._business()
        obj = package.get("object") or {}
        self.expected = app.t(
            "checkin_expected", name=obj.get("name", ""), code=obj.get("credit_code", "")
        )
        self.mark = directed_mark(package, app.lang)
        self.status = check_in_text(outbox.check_in_of(app.field.store, self.task_id), app.lang)

    def scan_licence(self) -> None:
        choose_photo(self.scan_file)

    def scan_file(self, path: Path) -> None:
        """Read the licence QR in the photo and check in with the credit code in it."""
        app = App.get_running_app()
        try:
            scanned = decode_image(path)
        except LicenceUnreadable:
            self.problem = app.t("licence_unreadable")
            return
        self.check_in(scanned)

    def check_in_typed(self) -> None:
        self.check_in(self.ids.typed.text)

    def check_in(self, scanned: str) -> None:
        app = App.get_running_app()
        credit_code = (self._business().get("object") or {}).get("credit_code", "")
        try:
            recorded = outbox.record(
                app.field.store,
                self.task_id,
                credit_code,
                scanned,
                gps=location.current_position(),
            )
        except WrongBusiness as refused:
            self.problem = refused.en if app.lang == "en" else refused.zh
            return
        except outbox.AlreadyCheckedIn:
            self.problem = app.t("already_checked_in")
            return
        self.problem = ""
        self.ids.typed.text = ""
        # The visit record's arrival time is the check-in's, unless one was typed already.
        if not app.field.visit(self.task_id).get("arrival"):
            app.field.update_visit(self.task_id, arrival=_minute(recorded.arrived_at))
        self.status = check_in_text(recorded, app.lang)
        app.refresh_counts()
        app.start_sync()  # sent at once when the network is there; kept queued when not


def _minute(iso: str) -> str:
    """`YYYY-MM-DD HH:MM` of an ISO time, as the visit record takes it."""
    return iso[:16].replace("T", " ")
