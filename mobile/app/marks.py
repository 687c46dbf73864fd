"""Texts the task list and the task screen show about a task's kind, code and check-in.

Kivy-free: the words come from `mobile.app.i18n`, the rules from `mobile.checkin`.
"""

from __future__ import annotations

from typing import Any

from mobile.app.i18n import TEXTS, local_time, translate
from mobile.checkin.outbox import GPS_FIX, CheckIn
from mobile.sync.states import RecordState
from shared import inspection_code


def directed_mark(package: dict[str, Any], lang: str) -> str:
    """ "定向检查（非随机）· 投诉举报" for a directed task, "" for a drawn one."""
    if package.get("kind") != "directed":
        return ""
    key = f"reason_{package.get('reason_category', '')}"
    reason = translate(key, lang) if key in TEXTS else str(package.get("reason_category", ""))
    return translate("directed_mark", lang, reason=reason)


def check_url(server: str | None, package: dict[str, Any]) -> str | None:
    """What the task's QR holds, built on the device from the package (亮码 offline)."""
    code, signature = package.get("inspection_code"), package.get("code_signature")
    if not (server and code and signature):
        return None
    return inspection_code.check_url(server, code, signature)


def check_in_text(check_in: CheckIn | None, lang: str) -> str:
    if check_in is None:
        return translate("not_checked_in", lang)
    if check_in.gps == GPS_FIX:
        gps = translate(
            "gps_fix", lang, lat=f"{check_in.latitude:.5f}", lon=f"{check_in.longitude:.5f}"
        )
    else:
        gps = translate("gps_unavailable", lang)
    if check_in.state is RecordState.REFUSED:
        problem = check_in.problem
        reason = (problem.en if lang == "en" else problem.zh) if problem else ""
        state = translate("checkin_refused", lang, reason=reason)
    elif check_in.state is RecordState.ACKNOWLEDGED and check_in.late:
        state = translate("checkin_late", lang)
    elif f"checkin_{check_in.state.value}" in TEXTS:
        state = translate(f"checkin_{check_in.state.value}", lang)
    else:
        state = check_in.state.value
    return translate("checked_in", lang, when=local_time(check_in.arrived_at), gps=gps, state=state)
