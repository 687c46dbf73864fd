"""亮码: the task's inspection code and its QR, full-screen, for the business to scan."""

from __future__ import annotations

import io
from typing import Any

from kivy.core.image import Image as CoreImage
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.checkin.qr_image import qr_png


class InspectionCodeScreen(Screen):
    code = StringProperty("")
    heading = StringProperty("检查码 · 请企业扫码核验")
    hint = StringProperty(
        "企业扫码可核对检查任务、检查人员与法律依据；未出示检查码的，企业可以拒绝检查。"
    )
    qr_texture = ObjectProperty(None, allownone=True)

    def prepare(self, *, code: str, url: str, **_: Any) -> None:
        """Show `code` and the QR of `url` (what `GET /tasks/{id}/inspection-code/` answers)."""
        self.code = code
        png = CoreImage(io.BytesIO(qr_png(url)), ext="png", nocache=True)
        texture = png.texture
        # Keep the modules sharp when scaled up to the screen: no smoothing between them.
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"
        self.qr_texture = texture
