"""One entry of the demo's 随机抽查事项清单 (inspection item list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ON_SITE = "on_site"
"""现场检查."""
WRITTEN = "written"
"""书面检查."""
ONLINE = "online"
"""网络监测."""

LICENCE = "执法证"
"""The administrative enforcement certificate every on-site officer needs."""


@dataclass(frozen=True)
class DemoItem:
    code: str
    department: str
    name: str
    legal_basis: str
    object_type: str
    """entity / product / project / behaviour."""
    kind: str
    """key (重点) or general (一般)."""
    ratio_cap: str | None
    """Highest ratio for a general item (decimal string); None for key items."""
    methods: tuple[str, ...]
    qualifications: tuple[str, ...]
    scope_tag: str | None
    """The object sub-roster (tag) the item inspects; None: every active entity."""
    checklist: tuple[dict[str, Any], ...]
