"""The visit record (现场检查笔录) rules both the device and the server apply.

Inspection methods as on the national co-supervision platform, and the bounds
of every field of the record and of its signatures, so the tablet refuses
what the server would refuse before anything is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ID_NUMBER",
    "METHODS",
    "METHOD_VALUES",
    "NAME_MAX",
    "NOTES_MAX",
    "PEOPLE_MAX",
    "POINTS_MAX",
    "ROLE_MAX",
    "SIGNATURE_MEDIA_TYPE",
    "STROKES_MAX",
    "Method",
]


@dataclass(frozen=True)
class Method:
    value: str
    zh: str
    en: str

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


METHODS: tuple[Method, ...] = (
    Method("on_site", "实地检查", "On-site inspection"),
    Method("written", "书面检查", "Written inspection"),
    Method("online", "网络监测", "Online monitoring"),
    Method("testing", "检验检测", "Testing"),
    Method("adopted", "采用行政部门检查结果或专业意见", "Another authority's result or opinion"),
    Method("commissioned", "委托专业机构辅助", "Commissioned professional body"),
)
METHOD_VALUES = frozenset(m.value for m in METHODS)

NOTES_MAX = 4000
PEOPLE_MAX = 20
NAME_MAX = 50
ROLE_MAX = 50
ID_NUMBER = re.compile(r"[0-9A-Za-z]{6,30}")
"""An identity document number, if given (居民身份证 or another document): fullmatch."""
STROKES_MAX = 300
POINTS_MAX = 5000
"""Points in one stroke."""
SIGNATURE_MEDIA_TYPE = "image/png"
