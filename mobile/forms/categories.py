"""Result categories (抽查检查结果类别) as the task package brings them.

The server sends its active category list in each task package
(`categories`: code, wording, parent). Only leaves can be chosen: a grouping
node such as `A` (发现问题待后续处理) or `2` is refined by one of its
children. A package from a server without the list falls back to the default
list of the national co-supervision platform (`shared.result_categories`,
which also seeds the server's table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared import result_categories as defaults

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


DEFAULT_CATEGORIES: tuple[Category, ...] = tuple(
    Category(c.code, c.zh, c.en, c.parent) for c in defaults.DEFAULT_CATEGORIES
)
"""The list a package from a server without `categories` falls back to."""


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
