"""The Kivy field app: the App class, start-up and the foreground sync.

Screens bind to services (the local store, the sync engine, the photo, form,
signature and visit services); the App only wires them together, keeps the
language and the sync state every screen shows, and starts a sync when the
app comes to the foreground (`on_start`, `on_resume`) or when asked.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

os.environ.setdefault("KIVY_NO_ARGS", "1")

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)

from mobile.app.fonts import register_default_font
from mobile.app.i18n import translate
from mobile.app.lazy import LazyScreenManager
from mobile.checkin import outbox as check_in_outbox
from shared.errors import SuichaError

KV_DIR = Path(__file__).parent


class SuichaFieldApp(App):
    """随查现场检查: the inspector's tablet app."""

    lang = StringProperty("zh")
    unsent = NumericProperty(0)
    syncing = BooleanProperty(False)
    progress = DictProperty({})
    """The last sync progress: phase, records_done/total, bytes_done/total."""
    last_report = ObjectProperty(None, allownone=True)
    last_sync = StringProperty("")
    notice = StringProperty("")
    """A plain message every screen shows at the top (revocation, offline sign-in)."""

    kv_file = None  # rules are loaded explicitly: app.kv, then one kv per screen

    def __init__(self, data_dir: str | os.PathLike[str], lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.lang = lang
        self.field: Any = None
        self.manager: LazyScreenManager | None = None
        self._sync_thread: threading.Thread | None = None

    # -- wiring --------------------------------------------------------------------------

    def build(self) -> LazyScreenManager:
        from mobile.field import FieldSession

        register_default_font(self.data_dir / "fonts")
        Builder.load_file(str(KV_DIR / "app.kv"))
        self.title = translate("app_title", self.lang)
        Window.clearcolor = (0.96, 0.96, 0.97, 1)
        self.field = FieldSession(self.data_dir)
        self.manager = LazyScreenManager()
        if self.field.signed_in():
            self.manager.show("tasks")
        else:
            self.manager.show("signin")
        self.refresh_counts()
        return self.manager

    def on_start(self) -> None:
        self.sync_on_foreground()

    def on_pause(self) -> bool:
        return True  # keep running when the tablet switches apps; everything is on disk already

    def on_resume(self) -> None:
        self.sync_on_foreground()

    def on_stop(self) -> None:
        if self._sync_thread is not None:
            self._sync_thread.join(timeout=5)
        if self.field is not None:
            self.field.close()

    # -- words -----------------------------------------------------------------------------

    def t(self, key: str, _lang: str | None = None, **params: object) -> str:
        """Text for `key` in the current language (kv passes `app.lang` to re-bind)."""
        return translate(key, self.lang, **params)

    def explain(self, error: SuichaError) -> str:
        """A refusal from a service, in the current language."""
        return error.detail_en if self.lang == "en" else error.detail_zh

    def toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self.title = translate("app_title", self.lang)
        # Texts built in Python (rows, the business card) are rebuilt in the new language.
        refresh = getattr(self.manager.current_screen if self.manager else None, "refresh", None)
        if refresh is not None:
            refresh()

    # -- navigation --------------------------------------------------------------------

    def show(self, name: str, **params: Any) -> None:
        assert self.manager is not None
        self.manager.show(name, **params)

    def back(self) -> None:
        assert self.manager is not None
        self.manager.back()

    def sign_out(self) -> None:
        """Close the session; every unsent record stays on the device for the next sign-in."""
        self.field.sign_out()
        self.show("signin")

    # -- sync ------------------------------------------------------------------------------

    def unsent_now(self) -> int:
        """Everything the server has not confirmed, arrival check-ins included (they wait
        in their own outbox, `mobile.checkin.outbox`)."""
        return self.field.unsent_count() + check_in_outbox.unsent_count(self.field.store)

    def refresh_counts(self) -> None:
        self.unsent = self.unsent_now()
        self.last_sync = self.field.last_sync() or ""

    def sync_on_foreground(self) -> None:
        if self.field is not None and self.field.signed_in():
            self.start_sync()

    def start_sync(self) -> bool:
        """Run one sync pass in a worker thread; False when one is already running."""
        if self.syncing or not self.field.signed_in():
            return False
        self.syncing = True
        self.progress = {"phase": "login"}
        self._sync_thread = threading.Thread(target=self._sync_worker, daemon=True)
        self._sync_thread.start()
        return True

    def _sync_worker(self) -> None:
        try:
            report = self.field.sync(progress=self._on_progress)
        except Exception as error:  # the worker must always hand control back to the UI
            self._sync_done(None, repr(error))
            raise
        self._sync_done(report, "")

    def _on_progress(self, progress: Any) -> None:
        snapshot = {
            "phase": progress.phase,
            "records_done": progress.records_done,
            "records_total": progress.records_total,
            "bytes_done": progress.bytes_done,
            "bytes_total": progress.bytes_total,
            "fraction": progress.fraction,
        }
        Clock.schedule_once(lambda _dt: self._set_progress(snapshot))

    def _set_progress(self, snapshot: dict[str, Any]) -> None:
        self.progress = snapshot

    @mainthread
    def _sync_done(self, report: Any, crash: str) -> None:
        self.syncing = False
        self.last_report = report
        self.refresh_counts()
        revoked = self.field.revocation()
        self.notice = self.t("revoked", reason=revoked) if revoked else ""
        if crash:
            self.notice = self.t("sync_stopped", reason=crash)
        screen = self.manager.current_screen if self.manager else None
        refresh = getattr(screen, "refresh", None)
        if refresh is not None:
            refresh()
