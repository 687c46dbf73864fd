"""Runs the real field app and obeys commands on stdin, one JSON object a line.

Started by `harness.AppProcess` under Xvfb. Each command runs on Kivy's main
thread between frames, through the real event loop: taps and drags are
`MotionEvent`s posted to the window (as a finger would), text arrives as the
window's `on_textinput` event (the path an input method's committed text
takes). Each command's answer is one stdout line starting with `@@ `.

Commands (`op`): tap, type, draw, eval, wait, choose_file, screenshot, resize.
A target is `{"id": name}` (an id of the current screen), `{"text": label}`
(a visible widget with that text, the topmost popup first) or `{"expr": code}`.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

REPLY = "@@ "


def main() -> None:
    data_dir = Path(sys.argv[1])
    from mobile.app.run import configure_kivy

    configure_kivy(data_dir)
    from kivy.clock import Clock

    from mobile.app.main import SuichaFieldApp

    app = SuichaFieldApp(data_dir=data_dir, lang=os.environ.get("SUICHA_LANG", "zh"))
    commands: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def read_stdin() -> None:
        for line in sys.stdin:
            if line.strip():
                commands.put(json.loads(line))
        commands.put(None)

    threading.Thread(target=read_stdin, daemon=True).start()
    runner = Runner(app)
    Clock.schedule_interval(lambda _dt: runner.step(commands), 0)
    app.run()


def reply(**body: Any) -> None:
    sys.stdout.write(REPLY + json.dumps(body, ensure_ascii=False, default=repr) + "\n")
    sys.stdout.flush()


class Runner:
    """Executes one command at a time; a command may span frames (a generator)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.current: Any = None

    def step(self, commands: queue.Queue[dict[str, Any] | None]) -> None:
        if self.current is None:
            try:
                command = commands.get_nowait()
            except queue.Empty:
                return
            if command is None:
                self.app.stop()
                return
            self.current = self.run(command)
        try:
            next(self.current)
        except StopIteration:
            self.current = None

    def run(self, command: dict[str, Any]) -> Any:
        try:
            op = command["op"]
            result = yield from getattr(self, f"op_{op}")(command)
            reply(ok=True, value=result)
        except Exception as error:  # every failure goes back to the test, with its trace
            reply(ok=False, error=f"{type(error).__name__}: {error}", trace=traceback.format_exc())

    # -- finding widgets ------------------------------------------------------------

    def namespace(self) -> dict[str, Any]:
        from kivy.core.window import Window

        manager = self.app.manager
        return {
            "app": self.app,
            "field": self.app.field,
            "screen": manager.current_screen if manager else None,
            "manager": manager,
            "Window": Window,
            "walk": walk_visible,
            "of_type": lambda name: [w for w in walk_visible() if type(w).__name__ == name],
            "with_text": lambda text: [
                w for w in walk_visible() if getattr(w, "text", None) == text
            ],
        }

    def find(self, target: dict[str, Any]) -> Any:
        ns = self.namespace()
        if "id" in target:
            return ns["screen"].ids[target["id"]]
        if "text" in target:
            for widget in walk_visible():
                if getattr(widget, "text", None) == target["text"] and hasattr(
                    widget, "on_release"
                ):
                    return widget
            raise LookupError(f"no visible button with text {target['text']!r}")
        return eval(target["expr"], ns)  # test-only driver: the expression is the test's

    # -- operations -------------------------------------------------------------------

    def op_eval(self, command: dict[str, Any]) -> Any:
        value = eval(command["expr"], self.namespace())
        yield
        return value

    def op_wait(self, command: dict[str, Any]) -> Any:
        deadline = time.monotonic() + command.get("timeout", 30)
        while True:
            value = eval(command["expr"], self.namespace())
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false: {command['expr']}")
            yield

    def op_tap(self, command: dict[str, Any]) -> Any:
        widget = self.find(command["target"])
        yield from bring_into_view(widget)
        x, y = widget.to_window(*widget.center)
        yield from touch_path([(x, y)])
        return True

    def op_type(self, command: dict[str, Any]) -> Any:
        from kivy.core.window import Window

        widget = self.find(command["target"])
        # A tap that lands while the screen still moves (a transition, a scroll into
        # view on a loaded machine) misses; a person taps again, and so does this.
        for _attempt in range(3):
            yield from bring_into_view(widget)
            x, y = widget.to_window(*widget.center)
            yield from touch_path([(x, y)])
            for _frame in range(10):
                yield
                if widget.focus:
                    break
            if widget.focus:
                break
        if not widget.focus:
            raise RuntimeError("the text field did not take the focus on three taps")
        if command.get("replace"):
            widget.select_all()
            widget.delete_selection()
        for chunk in _chunks(command["text"]):
            Window.dispatch("on_textinput", chunk)
            yield
        widget.focus = False
        yield
        return widget.text

    def op_draw(self, command: dict[str, Any]) -> Any:
        """Strokes in fractions of the target's size, each drawn as one finger's path."""
        widget = self.find(command["target"])
        for stroke in command["strokes"]:
            points = [
                widget.to_window(widget.x + fx * widget.width, widget.y + fy * widget.height)
                for fx, fy in stroke
            ]
            yield from touch_path(points)
        return len(command["strokes"])

    def op_choose_file(self, command: dict[str, Any]) -> Any:
        """In the open photo chooser: go to the folder, tap the file, tap OK."""
        path = Path(command["path"])
        chooser = next(w for w in walk_visible() if type(w).__name__ == "FileChooserListView")
        chooser.path = str(path.parent)
        deadline = time.monotonic() + 20
        entry = None
        while entry is None:
            yield
            entry = next(
                (
                    w
                    for w in walk_visible()
                    if getattr(w, "path", None) == str(path) and type(w).__name__ == "FileListEntry"
                ),
                None,
            )
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path.name} not listed in the chooser")
        yield from bring_into_view(entry)
        x, y = entry.to_window(*entry.center)
        yield from touch_path([(x, y)])
        yield
        if chooser.selection != [str(path)]:
            raise RuntimeError(f"chooser selected {chooser.selection}")
        ok = next(w for w in walk_visible() if getattr(w, "text", None) == self.app.t("ok"))
        x, y = ok.to_window(*ok.center)
        yield from touch_path([(x, y)])
        return str(path)

    def op_screenshot(self, command: dict[str, Any]) -> Any:
        from kivy.core.window import Window

        for _ in range(int(command.get("frames", 3))):
            yield
        # Kivy numbers the file (name0001.png): move it to the name asked for.
        produced = Window.screenshot(name=command["path"])
        Path(produced).replace(command["path"])
        return command["path"]

    def op_resize(self, command: dict[str, Any]) -> Any:
        from kivy.core.window import Window

        Window.size = tuple(command["size"])
        for _ in range(5):
            yield
        return list(Window.size)


def _chunks(text: str) -> list[str]:
    # An input method commits a word at a time; a keyboard a character at a time.
    return [text[i : i + 4] for i in range(0, len(text), 4)]


def walk_visible() -> list[Any]:
    """Widgets on screen, topmost first (popups before the screen under them)."""
    from kivy.core.window import Window

    found: list[Any] = []
    for root in Window.children:  # the last added (a popup) is first here
        for widget in root.walk(restrict=True):
            if getattr(widget, "opacity", 1) > 0 and widget.width > 0 and widget.height > 0:
                found.append(widget)
    return found


def bring_into_view(widget: Any) -> Any:
    """Scroll every enclosing ScrollView so the widget is on screen, as a user would."""
    from kivy.uix.scrollview import ScrollView

    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ScrollView) and not _inside(widget, parent):
            parent.scroll_to(widget, padding=20, animate=False)
            yield
            yield
        parent = parent.parent
    yield


def _inside(widget: Any, view: Any) -> bool:
    """Whether the widget's centre is within the scroll view's visible area."""
    x, y = widget.to_window(*widget.center)
    left, bottom = view.to_window(view.x, view.y)
    return left <= x <= left + view.width and bottom <= y <= bottom + view.height


def touch_path(points: list[tuple[float, float]]) -> Any:
    """One finger: down at the first point, moves through the rest, up at the last."""
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*points[0])
    touch.touch_down()
    yield
    for x, y in points[1:]:
        touch.touch_move(x, y)
    yield
    touch.touch_up()
    yield


if __name__ == "__main__":
    main()
