"""亮码: the task's inspection code and its QR, full-screen, for the business to scan.

Shown from the task screen (`prepare(task_id=…)`: the code and its signature come
with the task package, so it works offline) or with a code and URL given.
"""

from __future__ import annotations

import io
from typing import Any

from kivy.app import App
from kivy.core.image import Image as CoreImage
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.app.marks import check_url
from mobile.checkin.qr_image import qr_png
from mobile.sync.session import SERVER


class InspectionCodeScreen(Screen):
    code = StringProperty("")
    heading = StringProperty("检查码 · 请企业扫码核验")
    hint = StringProperty(
        "企业扫码可核对检查任务、检查人员与法律依据；未出示检查码的，企业可以拒绝检查。"
    )
    close_text = StringProperty("关闭")
    qr_texture = ObjectProperty(None, allownone=True)

    def prepare(
        self, *, task_id: int | None = None, code: str = "", url: str = "", **_: Any
    ) -> None:
        """Show `code` and the QR of `url` (what `GET /tasks/{id}/inspection-code/` answers),
        or those of task `task_id` from its package on the device."""
        app = App.get_running_app()
        translate = getattr(app, "t", None)
        if translate is not None:
            self.heading, self.hint = translate("code_heading"), translate("code_hint")
            self.close_text = translate("close")
        if task_id is not None:
            task = app.field.store.task(task_id)
            package = task.package if task is not None else {}
            code = package.get("inspection_code", "")
            url = check_url(app.field.store.get_meta(SERVER), package) or ""
        if not url:
            # No code yet (a task from before codes, never synced since): say so, no QR.
            self.code, self.qr_texture = "", None
            self.hint = translate("code_missing") if translate else self.hint
            return
        self.code = code
        png = CoreImage(io.BytesIO(qr_png(url)), ext="png", nocache=True)
        texture = png.texture
        # Keep the modules sharp when scaled up to the screen: no smoothing between them.
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"
        self.qr_texture = texture

    def close(self) -> None:
        back = getattr(App.get_running_app(), "back", None)
        if back is not None:
            back()
