"""The demo's 随机抽查事项清单: every department's items in one tuple."""

from __future__ import annotations

from collections import defaultdict

from server.demo.item_model import DemoItem
from server.demo.joint_items import JOINT_ITEMS
from server.demo.market_items import MARKET_ITEMS

ITEMS: tuple[DemoItem, ...] = MARKET_ITEMS + JOINT_ITEMS


def qualification_sets() -> dict[str, list[frozenset[str]]]:
    """Per department, the qualification sets its items require (distinct, in item order)."""
    sets: dict[str, list[frozenset[str]]] = defaultdict(list)
    for item in ITEMS:
        needed = frozenset(item.qualifications)
        if needed not in sets[item.department]:
            sets[item.department].append(needed)
    return dict(sets)


def scope_tags() -> frozenset[str]:
    """Every object tag some item inspects."""
    return frozenset(item.scope_tag for item in ITEMS if item.scope_tag)
