"""Sign in (登录): server address, user name, password; the device id is shown."""

from __future__ import annotations

import threading
from typing import Any

from kivy.app import App
from kivy.clock import mainthread
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen


class SignInScreen(Screen):
    problem = StringProperty("")
    info = StringProperty("")
    busy = BooleanProperty(False)
    device_id = StringProperty("")

    def prepare(self, **_: Any) -> None:
        app = App.get_running_app()
        self.device_id = app.field.device_id()
        remembered = app.field.remembered_login()
        if remembered:
            self.ids.server.text = self.ids.server.text or remembered[0]
            self.ids.username.text = self.ids.username.text or remembered[1]
        self.ids.password.text = ""
        self.problem = ""

    def sign_in(self) -> None:
        app = App.get_running_app()
        server = self.ids.server.text.strip()
        username = self.ids.username.text.strip()
        password = self.ids.password.text
        if not (server and username and password):
            self.problem = app.t("fill_all")
            return
        self.busy = True
        self.problem = ""
        self.info = app.t("signing_in")
        # The network call runs off the UI thread; the answer comes back on it.
        threading.Thread(
            target=lambda: self._signed_in(app.field.sign_in(server, username, password)),
            daemon=True,
        ).start()

    @mainthread
    def _signed_in(self, outcome: Any) -> None:
        app = App.get_running_app()
        self.busy = False
        self.info = ""
        if not outcome.ok:
            self.problem = outcome.en if app.lang == "en" else outcome.zh
            return
        self.ids.password.text = ""
        app.notice = (
            app.t("signed_in_offline", until=outcome.valid_until) if outcome.offline else ""
        )
        app.show("tasks")
        if not outcome.offline:
            app.start_sync()
