"""A screen manager that builds each screen the first time it is shown.

Each screen is one module and one `.kv` file in `mobile/app/screens/`; its kv
rules are loaded with the module, so a cold start loads only the first screen.
"""

from __future__ import annotations

import importlib
from typing import Any

from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

from mobile.app.screens import SCREENS, SCREENS_DIR


class LazyScreenManager(ScreenManager):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("transition", NoTransition())
        super().__init__(**kwargs)
        self.history: list[str] = []

    def screen(self, name: str) -> Screen:
        """The screen `name`, built (module imported, kv loaded) on first use."""
        if not self.has_screen(name):
            module = importlib.import_module(f"mobile.app.screens.{name}")
            Builder.load_file(str(SCREENS_DIR / f"{name}.kv"))
            self.add_widget(getattr(module, SCREENS[name])(name=name))
        return self.get_screen(name)

    def show(self, name: str, **params: Any) -> Screen:
        """Build if needed, hand the screen its parameters (`prepare`), and show it."""
        screen = self.screen(name)
        prepare = getattr(screen, "prepare", None)
        if prepare is not None:
            prepare(**params)
        if self.current and self.current != name:
            self.history.append(self.current)
        self.current = name
        return screen

    def back(self, fallback: str = "tasks") -> None:
        target = self.history.pop() if self.history else fallback
        screen = self.screen(target)
        refresh = getattr(screen, "refresh", None)
        if refresh is not None:
            refresh()
        self.current = target
