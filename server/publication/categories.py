"""Wording of result categories (抽查检查结果) for a published record.

A result carries its category code, and the wording it was recorded with when
the field area stores it (`category_wording`). Older results without it fall
back to the default list of the national publicity system (result-categories.md).
"""

from __future__ import annotations

from typing import Any

DEFAULT_WORDING = {
    "1": "未发现问题",
    "A": "发现问题待后续处理",
    "2": "违反工商行政管理相关规定",
    "B": "未按规定公示应当公示的信息",
    "C": "公示信息隐瞒真实情况、弄虚作假",
    "6": "通过登记的住所（经营场所）无法联系",
    "D": "违反其他工商行政管理规定行为",
    "3": "违反食品药品管理相关规定",
    "4": "违反质量技术监督相关规定",
    "5": "违反其他部门相关规定",
    "E": "发现问题经责令已改正",
    "F": "未发现开展本次抽查涉及的经营活动",
    "7": "已关闭停业或正在组织清算",
    "8": "不配合检查情节严重",
    "9": "已注销",
    "10": "被吊销",
    "11": "被撤销",
    "12": "迁出",
}


def wording_of(body: dict[str, Any]) -> str:
    """The wording stored with the result, else the default wording of its code."""
    stored = body.get("category_wording")
    if isinstance(stored, str) and stored:
        return stored
    return DEFAULT_WORDING.get(str(body.get("category", "")), str(body.get("category", "")))
