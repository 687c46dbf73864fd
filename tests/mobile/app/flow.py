"""Steps of the inspector's visit, done through the app's widgets (shared by the UI tests)."""

from __future__ import annotations

from pathlib import Path

from tests.mobile.app.harness import AppProcess


def sign_in(app: AppProcess, server_url: str, user: str, password: str) -> None:
    app.type(server_url, id="server", replace=True)
    app.type(user, id="username", replace=True)
    app.type(password, id="password", replace=True)
    app.tap(id="sign_in_button")


def sign_in_and_download(app: AppProcess, server_url: str, user: str, password: str) -> None:
    sign_in(app, server_url, user, password)
    app.wait("manager.current == 'tasks'")
    app.wait("not app.syncing and app.last_report is not None")
    assert app.eval("app.last_report.ok"), app.eval("app.last_report")


def open_task(app: AppProcess, tab: str = "upcoming") -> int:
    """Tap the tab, then the first task row; returns the task id shown."""
    app.tap(id=f"tab_{tab}")
    app.wait("of_type('TaskRow')")
    app.tap(expr="of_type('TaskRow')[0]")
    app.wait("manager.current == 'task'")
    return int(app.eval("screen.task_id"))


def open_item(app: AppProcess, code: str) -> None:
    app.tap(expr=f"[w for w in of_type('ItemRow') if w.code == {code!r}][0]")
    app.wait(f"manager.current == 'item' and screen.item_code == {code!r}")


def question_field(qid: str) -> dict[str, str]:
    return {"expr": f"screen.boxes[{qid!r}].text_field"}


def tap_choice(app: AppProcess, qid: str, label: str) -> None:
    app.tap(expr=f"[b for b in screen.boxes[{qid!r}].ids.input.children if b.text == {label!r}][0]")


def attach_photo(app: AppProcess, qid: str | None, source: Path) -> None:
    """Tap 添加照片 (of a question, or of the item), pick the file in the chooser."""
    before = app.eval("len(field.store.photos())")
    if qid is None:
        app.tap(id="item_photo")
    else:
        app.tap(expr=f"screen.boxes[{qid!r}].ids.add_photo")
    app.wait("of_type('FileChooserListView')")
    app.call("choose_file", path=str(source))
    app.wait(f"len(field.store.photos()) == {before + 1}")


def choose_in_spinner(app: AppProcess, spinner_id: str, label: str) -> None:
    app.tap(id=spinner_id)
    app.wait(f"with_text({label!r})")
    app.tap(expr=f"[w for w in with_text({label!r}) if type(w).__name__ == 'SpinnerOption'][0]")
    app.wait(f"screen.ids[{spinner_id!r}].text == {label!r}")


def draw_signature(app: AppProcess, signer_key: str, name: str | None, strokes: list) -> None:
    app.tap(expr=f"[r for r in of_type('SignerRow') if r.key == {signer_key!r}][0].children[0]")
    app.wait("manager.current == 'signature'")
    if name is not None:
        app.type(name, id="signer_name", replace=True)
    app.call("draw", target={"id": "pad"}, strokes=strokes)
    app.tap(id="done")
    app.wait("manager.current == 'task'")
