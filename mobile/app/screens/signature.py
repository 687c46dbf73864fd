"""Signature (签名), drawn full-screen.

The pad keeps strokes as points normalised to 0..1 of its own size, so a
rotation or resize redraws them instead of losing them; each stroke is handed
to the signature service when the finger lifts (one commit per stroke).
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.graphics import Color, Line
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from mobile.app.i18n import local_time
from shared.errors import SuichaError

Point = tuple[float, float]


class SignaturePad(Widget):
    strokes = ListProperty([])
    """Finished strokes, each a list of normalised (x, y) points."""
    line_width = NumericProperty(2.0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._current: list[Point] | None = None
        self.on_stroke_end: Any = None
        self.bind(size=self._redraw, pos=self._redraw, strokes=self._redraw)

    def _normalise(self, x: float, y: float) -> Point:
        w, h = max(self.width, 1), max(self.height, 1)
        return (min(max((x - self.x) / w, 0.0), 1.0), min(max((y - self.y) / h, 0.0), 1.0))

    def on_touch_down(self, touch: Any) -> bool:
        if not self.collide_point(*touch.pos) or self.disabled:
            return False
        touch.grab(self)
        self._current = [self._normalise(*touch.pos)]
        self._redraw()
        return True

    def on_touch_move(self, touch: Any) -> bool:
        if touch.grab_current is not self or self._current is None:
            return False
        self._current.append(self._normalise(*touch.pos))
        self._redraw()
        return True

    def on_touch_up(self, touch: Any) -> bool:
        if touch.grab_current is not self or self._current is None:
            return False
        touch.ungrab(self)
        stroke, self._current = self._current, None
        if len(stroke) == 1:
            stroke.append(stroke[0])  # a dot is a stroke too
        self.strokes = [*self.strokes, stroke]
        if self.on_stroke_end is not None:
            self.on_stroke_end(stroke)
        return True

    def _redraw(self, *_: Any) -> None:
        self.canvas.after.clear()
        with self.canvas.after:
            Color(0.05, 0.05, 0.2, 1)
            for stroke in [*self.strokes, *([self._current] if self._current else [])]:
                points = [
                    coord
                    for x, y in stroke
                    for coord in (self.x + x * self.width, self.y + y * self.height)
                ]
                Line(points=points, width=self.line_width)


class SignatureScreen(Screen):
    task_id = NumericProperty(0)
    signer = StringProperty("")
    """The signer's key from the signature service (the role, and the badge for inspectors)."""
    title = StringProperty("")
    problem = StringProperty("")
    status = StringProperty("")
    fixed_name = StringProperty("")

    def prepare(self, task_id: int | None = None, signer: str | None = None, **_: Any) -> None:
        if task_id is not None:
            self.task_id = task_id
        if signer is not None:
            self.signer = signer
        self.refresh()

    def refresh(self) -> None:
        app = App.get_running_app()
        state = app.field.signature(self.task_id, self.signer)
        self.title = (
            app.t("sign_representative")
            if state.role == "representative"
            else app.t("sign_inspector", name=state.name)
        )
        # An inspector's name comes from the team; the representative types theirs.
        self.fixed_name = "" if state.role == "representative" else state.name
        self._loading = True
        self.ids.signer_name.text = state.name or ""
        self._loading = False
        pad: SignaturePad = self.ids.pad
        pad.on_stroke_end = self._stroke_ended
        pad.strokes = [list(map(tuple, s)) for s in state.strokes]
        self.status = (
            app.t("signed_at", when=local_time(state.signed_at or "")) if state.signed_at else ""
        )
        self.problem = ""

    _loading = False

    def _call(self, method: str, *args: Any, **kwargs: Any) -> bool:
        """One change through the signature service; a refusal is shown, not raised."""
        app = App.get_running_app()
        try:
            getattr(app.field, method)(self.task_id, self.signer, *args, **kwargs)
        except SuichaError as error:
            self.problem = app.explain(error)
            return False
        self.problem = ""
        return True

    def name_changed(self, text: str) -> None:
        if not self._loading and not self.fixed_name:
            self._call("set_signer_name", text.strip())

    def _stroke_ended(self, stroke: list[Point]) -> None:
        if self._call("append_stroke", stroke):
            self.status = ""
        else:  # not kept (task closed, too many strokes): do not show it as if it were
            self.ids.pad.strokes = self.ids.pad.strokes[:-1]

    def clear(self) -> None:
        if self._call("clear_signature"):
            self.ids.pad.strokes = []
            self.status = ""

    def done(self) -> None:
        app = App.get_running_app()
        if not (self.fixed_name or self.ids.signer_name.text.strip()):
            self.problem = app.t("need_name")
            return
        if not self.ids.pad.strokes:
            self.problem = app.t("need_strokes")
            return
        pad = self.ids.pad
        if self._call("finish_signature", width=int(pad.width), height=int(pad.height)):
            app.show("task", task_id=self.task_id)
