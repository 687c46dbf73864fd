"""Fixtures for the app's UI tests: a live server with tasks, and the app under Xvfb."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.mobile.app.harness import AppProcess, xvfb_missing


@pytest.fixture(scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, object]]:
    """A server process on loopback with two tasks for inspector UI1 (SCJG)."""
    from tests.conftest import UNUSABLE_REASON
    from tests.server.field import factory
    from tests.support.live_field import field_server, fresh_database

    if UNUSABLE_REASON:
        pytest.skip(UNUSABLE_REASON)
    if reason := xvfb_missing():
        pytest.skip(reason)
    await fresh_database()
    work = tmp_path_factory.mktemp("app-live")
    task = await factory.field_task(
        team={"UI1": "SCJG", "UI2": "SCJG", "UH1": "HBJ"},
        items={"UI-01": "SCJG", "UH-01": "HBJ"},
        checklist=UI_CHECKLIST,
    )
    server = field_server(work)
    server.start()
    try:
        yield {"server": server, "task": task, "work": work}
    finally:
        server.stop()


UI_CHECKLIST = [
    {"id": "q1", "type": "yes_no", "label": {"zh": "亮照经营", "en": "Licence shown"}},
    {
        "id": "q2",
        "type": "number",
        "label": {"zh": "冷藏温度", "en": "Fridge temperature"},
        "min": -30,
        "max": 8,
        "unit": "℃",
    },
    {
        "id": "q3",
        "type": "single_choice",
        "label": {"zh": "从业人员健康证", "en": "Staff health certificates"},
        "options": [
            {"value": "all", "label": {"zh": "齐全", "en": "All"}},
            {"value": "some", "label": {"zh": "部分缺失", "en": "Some missing"}},
        ],
    },
    {
        "id": "q4",
        "type": "text",
        "label": {"zh": "缺证人员姓名", "en": "Staff without certificates"},
        "show_if": {"question": "q3", "equals": "some"},
    },
    {
        "id": "q5",
        "type": "photo",
        "label": {"zh": "后厨照片", "en": "Kitchen photos"},
        "min_photos": 2,
    },
]


@pytest.fixture
def start_app(tmp_path: Path) -> Iterator[object]:
    """Start (and at the end stop) the app on a data dir; restartable after a kill."""
    started: list[AppProcess] = []

    def start(data_dir: Path | None = None, size: tuple[int, int] = (1280, 800)) -> AppProcess:
        app = AppProcess(data_dir or tmp_path / "tablet", size=size)
        started.append(app)
        return app.start()

    yield start
    for app in started:
        app.stop()
