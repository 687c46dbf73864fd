"""Settings for the accounts tests that tune the login backoff through the environment."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from server.settings import get_settings


@pytest.fixture
def auth_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """`auth_env(SUICHA_LOGIN_…="…")`: set variables and read the settings again."""

    def set_env(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_env
    monkeypatch.undo()
    get_settings.cache_clear()
