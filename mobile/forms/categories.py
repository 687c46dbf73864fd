"""Result categories (抽查检查结果类别) as the task package brings them.

The server sends its active category list in each task package
(`categories`: code, wording, parent). Only leaves can be chosen: a grouping
node such as `A` (发现问题待后续处理) or `2` is refined by one of its
children. A package from a server without the list falls back to the default
list of the national co-supervision platform (shared/reference:
result-categories).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NO_PROBLEM = "1"
"""未发现问题: the only category that needs no follow-up measure."""


@dataclass(frozen=True)
class Category:
    code: str
    zh: str
    en: str
    parent: str | None = None

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" and self.en else self.zh


DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category("1", "未发现问题", "No problem found"),
    Category("A", "发现问题待后续处理", "Problem found, follow-up pending"),
    Category("2", "违反工商行政管理相关规定", "Breach of business administration rules", "A"),
    Category("B", "未按规定公示应当公示的信息", "Required information not disclosed", "2"),
    Category("C", "公示信息隐瞒真实情况、弄虚作假", "Disclosed information false", "2"),
    Category("6", "通过登记的住所（经营场所）无法联系", "Unreachable at registered address", "2"),
    Category("D", "违反其他工商行政管理规定行为", "Other business administration breach", "2"),
    Category("3", "违反食品药品管理相关规定", "Breach of food and drug rules", "A"),
    Category("4", "违反质量技术监督相关规定", "Breach of quality supervision rules", "A"),
    Category("5", "违反其他部门相关规定", "Breach of other departments' rules", "A"),
    Category("E", "发现问题经责令已改正", "Problem found and corrected on order"),
    Category("F", "未发现开展本次抽查涉及的经营活动", "Inspected activity not carried on"),
    Category("7", "已关闭停业或正在组织清算", "Closed or in liquidation"),
    Category("8", "不配合检查情节严重", "Serious refusal to cooperate"),
    Category("9", "已注销", "Deregistered"),
    Category("10", "被吊销", "Licence revoked"),
    Category("11", "被撤销", "Registration cancelled"),
    Category("12", "迁出", "Moved out of the jurisdiction"),
)


def _from_package(raw: Mapping[str, Any]) -> Category | None:
    code = raw.get("code")
    if not isinstance(code, str | int) or isinstance(code, bool) or str(code) == "":
        return None
    zh = next(
        (raw[k] for k in ("zh", "wording", "name", "label") if isinstance(raw.get(k), str)), ""
    )
    en = next((raw[k] for k in ("en", "wording_en", "name_en") if isinstance(raw.get(k), str)), "")
    parent = raw.get("parent", raw.get("parent_code"))
    return Category(str(code), zh or str(code), en, str(parent) if parent else None)


def task_categories(package: Mapping[str, Any]) -> list[Category]:
    """The categories an inspector may choose on this task: the leaves, in server order."""
    raw = package.get("categories")
    listed = [c for c in map(_from_package, raw) if c] if isinstance(raw, list) else []
    every = listed or list(DEFAULT_CATEGORIES)
    parents = {c.parent for c in every if c.parent}
    return [c for c in every if c.code not in parents]
