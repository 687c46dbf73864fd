"""Where a photo comes from: a file chooser on desktop, the camera on Android.

`choose_photo(on_chosen)` asks the platform's `PhotoSource` for one image file
and hands its path on; the form service runs it through the photo pipeline.
On Android `plyer.camera` crashes (FileUriExposedException on targetSdk ≥ 24),
so the camera is an `ACTION_IMAGE_CAPTURE` intent writing into app-private
storage through a `FileProvider` (declared in buildozer.spec); that path can
only run on a device and is not exercised by the desktop tests.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from kivy.app import App
from kivy.factory import Factory
from kivy.utils import platform

PhotoChosen = Callable[[Path], None]
IMAGE_PATTERNS = ["*.jpg", "*.jpeg", "*.JPG", "*.JPEG", "*.png", "*.PNG"]
START_DIR_ENV = "SUICHA_PHOTO_DIR"
"""Folder the desktop chooser opens in (default: the user's Pictures, else home)."""


class PhotoSource(Protocol):
    def choose(self, on_chosen: PhotoChosen) -> None: ...


class DesktopChooser:
    """A popup with a file chooser filtered to JPEG and PNG images."""

    def choose(self, on_chosen: PhotoChosen) -> None:
        start = os.environ.get(START_DIR_ENV) or str(
            next((p for p in (Path.home() / "Pictures", Path.home()) if p.is_dir()), Path("/"))
        )
        content = Factory.PhotoChooser()
        content.ids.chooser.path = start
        content.ids.chooser.filters = IMAGE_PATTERNS
        popup = Factory.Popup(
            title=App.get_running_app().t("choose_photo"),
            content=content,
            size_hint=(0.9, 0.9),
            auto_dismiss=False,
        )

        def done(accepted: bool) -> None:
            selection = content.ids.chooser.selection
            popup.dismiss()
            if accepted and selection:
                on_chosen(Path(selection[0]))

        content.done_callback = done
        popup.open()


class AndroidCamera:
    """The system camera app through an intent; the photo lands in private storage."""

    REQUEST_CODE = 0x5C

    def choose(self, on_chosen: PhotoChosen) -> None:  # pragma: no cover - device only
        from android import activity  # type: ignore[import-not-found]
        from jnius import autoclass  # type: ignore[import-not-found]

        python_activity = autoclass("org.kivy.android.PythonActivity").mActivity
        intent_class = autoclass("android.content.Intent")
        media_store = autoclass("android.provider.MediaStore")
        file_provider = autoclass("androidx.core.content.FileProvider")
        java_file = autoclass("java.io.File")
        folder = Path(App.get_running_app().data_dir) / "camera"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{uuid.uuid4().hex}.jpg"
        uri = file_provider.getUriForFile(
            python_activity,
            f"{python_activity.getPackageName()}.fileprovider",
            java_file(str(target)),
        )
        intent = intent_class(media_store.ACTION_IMAGE_CAPTURE)
        intent.putExtra(media_store.EXTRA_OUTPUT, uri)
        intent.addFlags(intent_class.FLAG_GRANT_WRITE_URI_PERMISSION)

        def on_result(request_code: int, result_code: int, _data: object) -> None:
            activity.unbind(on_activity_result=on_result)
            if request_code == self.REQUEST_CODE and result_code == -1 and target.exists():
                on_chosen(target)

        activity.bind(on_activity_result=on_result)
        python_activity.startActivityForResult(intent, self.REQUEST_CODE)


def photo_source() -> PhotoSource:
    return AndroidCamera() if platform == "android" else DesktopChooser()


def choose_photo(on_chosen: PhotoChosen) -> None:
    photo_source().choose(on_chosen)
