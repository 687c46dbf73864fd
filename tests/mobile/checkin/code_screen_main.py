"""Run under Xvfb by test_code_screen: show the code screen alone and save a screenshot."""

from __future__ import annotations

import sys
from pathlib import Path

from mobile.app.fonts import register_default_font


def main(out: str, code: str, url: str, cache: str) -> None:
    register_default_font(cache)
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.lang import Builder
    from kivy.uix.screenmanager import ScreenManager

    from mobile.app.screens.inspection_code import InspectionCodeScreen

    Builder.load_file(str(Path(InspectionCodeScreen.__module__.replace(".", "/") + ".kv")))

    class Shot(App):
        def build(self) -> ScreenManager:
            manager = ScreenManager()
            screen = InspectionCodeScreen(name="code")
            screen.prepare(code=code, url=url)
            manager.add_widget(screen)
            Window.size = (800, 1280)
            self.frames = 0
            Clock.schedule_interval(self.save, 0)
            return manager

        def save(self, _: float) -> bool:
            # A few frames first: the resize and the QR texture must reach the screen.
            self.frames += 1
            if self.frames < 10:
                return True
            Window.screenshot(name=out)
            self.stop()
            return False

    Shot().run()


if __name__ == "__main__":
    main(*sys.argv[1:5])
