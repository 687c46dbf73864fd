"""Renders every screen of the field app with the demo data (see scripts/screenshots).

A demo dataset is made in a temporary folder and served on 127.0.0.1; for each
size the app signs in as the demo inspector, downloads the task, fills part of
an item (so validation messages show), draws a signature, and each screen is
saved as it is shown to a person.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from tests.mobile.app import flow
from tests.mobile.app.harness import ROOT, AppProcess
from tests.support.live_server import ServerProcess

SIZES = [(1280, 800), (800, 1280), (1080, 2340)]
DENSITY = {(1080, 2340): "2.75"}
"""A phone's screen is dense: 1080 px wide is about 390 dp."""
DEMO_PASSWORD = "suicha-demo"
SIGNATURE = [
    [(0.12, 0.45), (0.18, 0.62), (0.24, 0.4), (0.3, 0.6), (0.36, 0.42)],
    [(0.42, 0.5), (0.5, 0.58), (0.58, 0.44), (0.66, 0.56), (0.8, 0.48)],
]


OPEN_TASK_OFFICER = """
SELECT u.username FROM task_inspector ti
JOIN inspector i ON i.id = ti.inspector
JOIN suicha_user u ON u.inspector = i.id
WHERE ti.active AND NOT EXISTS (
    SELECT 1 FROM task_submission s WHERE s.task = ti.task AND s.department = ti.department)
ORDER BY u.username = 'inspector' DESC, i.badge_no LIKE 'SCJG%' DESC, ti.task LIMIT 1
"""
"""The demo also plays out submitted, published and returned tasks; the screens are
shown for an officer (the field demo account when it can) whose visit is still open."""


def open_task_officer(work: Path) -> str:
    with closing(sqlite3.connect(work / "suicha.db")) as conn:
        row = conn.execute(OPEN_TASK_OFFICER).fetchone()
    if row is None:
        raise RuntimeError("the demo has no officer with an open task")
    return str(row[0])


def demo_server(work: Path) -> ServerProcess:
    database = f"sqlite:///{work / 'suicha.db'}"
    env = {"SUICHA_DATA_DIR": str(work), "SUICHA_DATABASE_URL": database}
    subprocess.run(
        [sys.executable, "-m", "server.cli", "demo", "--objects", "1000", "--db", database],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return ServerProcess(env=env)


def render(app: AppProcess, server_url: str, user: str, out: Path, suffix: str) -> list[Path]:
    shots: list[Path] = []

    def shot(name: str) -> None:
        path = out / f"{name}-{suffix}.png"
        app.call("screenshot", path=str(path))
        shots.append(path)

    app.type(server_url, id="server", replace=True)
    app.type(user, id="username", replace=True)
    app.type("wrong", id="password", replace=True)
    app.tap(id="sign_in_button")
    app.wait("screen.problem")
    shot("signin")
    app.type(DEMO_PASSWORD, id="password", replace=True)
    app.tap(id="sign_in_button")
    app.wait("manager.current == 'tasks'")
    app.wait("not app.syncing and app.last_report is not None")
    # A task still open for its visit record (the demo may also hold submitted ones).
    tab, task = app.eval(
        "next(((t, r.task_id) for t in ('today', 'upcoming', 'returned', 'done')"
        " for r in field.tasks(t) if not field.store.task(r.task_id).package.get('submitted_at')"
        " and not field.submission_requested(r.task_id)), (None, None))"
    )
    if task is None:
        raise RuntimeError(f"no open task came down: {app.eval('app.last_report')}")
    app.tap(id=f"tab_{tab}")
    app.wait("screen.ids.rows.data")
    shot("tasks")

    app.eval(f"app.show('task', task_id={task})")
    # The visit record as an inspector fills it on arrival.
    app.tap(expr="with_text(app.t('now'))[0]")
    flow.choose_in_spinner(app, "method", app.eval("screen.methods[0]"))
    app.tap(expr="with_text(app.t('add_person'))[0]")
    app.type("王经理", expr="of_type('PersonRow')[0].ids.name")
    app.type("店长", expr="of_type('PersonRow')[0].ids.role")
    app.type("到店时正常营业，负责人在场。", id="notes")

    signer = app.eval(f"field.task_view({task}).signers[0].key")
    app.eval(f"app.show('signature', task_id={task}, signer={signer!r})")
    app.type("王经理", id="signer_name", replace=True)
    app.call("draw", target={"id": "pad"}, strokes=SIGNATURE)
    kept = app.eval("len(screen.ids.pad.strokes)")
    if kept != len(SIGNATURE):
        raise RuntimeError(f"{kept} strokes kept: {app.eval('screen.problem')}")
    shot("signature")
    app.tap(id="done")
    if app.wait("manager.current == 'task' or screen.problem") is not True:
        raise RuntimeError(f"the signature was not kept: {app.eval('screen.problem')}")
    app.eval("setattr(screen.ids.visit_scroll, 'scroll_y', 0)")  # down to the signatures
    shot("task")

    item = app.eval(f"[i.code for i in field.task_view({task}).my_items][0]")
    app.eval(f"app.show('item', task_id={task}, item_code={item!r})")
    first = app.eval("screen.view.visible[0].id")
    app.tap(expr=f"screen.boxes[{first!r}].ids.input.children[-1]")  # the first choice
    app.tap(id="finish")  # the rest unanswered: each required question says so
    shot("item")

    app.eval(f"app.show('submit', task_id={task})")
    shot("submit")

    app.eval("app.show('sync')")
    app.wait("not app.syncing")
    shot("sync")
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="suicha-shots-") as tmp:
        work = Path(tmp)
        server = demo_server(work)
        user = open_task_officer(work)
        server.start()
        try:
            for width, height in SIZES:
                env = {"KIVY_METRICS_DENSITY": DENSITY.get((width, height), "1")}
                app = AppProcess(work / f"device-{width}x{height}", size=(width, height), env=env)
                app.start()
                try:
                    size = f"{width}x{height}"
                    for path in render(app, server.url, user, args.out, size):
                        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                finally:
                    app.stop()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
