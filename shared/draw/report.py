"""Human-readable lines for a verification result (verify-draw command, pages)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.draw.verify import Discrepancy

OK_LINE = "OK 验证通过"
# A population of a million IDs must not flood the terminal.
_SHOWN_CHARS = 160


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def discrepancy_lines(discrepancies: Sequence[Discrepancy]) -> list[str]:
    """Two lines per discrepancy (Chinese, then English with the values)."""
    lines = [f"不符 {len(discrepancies)} 处 / {len(discrepancies)} discrepancies:"]
    for d in discrepancies:
        lines.append(f"✗ [{d.field}] {d.message_zh}")
        lines.append(f"  {d.message_en} (expected {_short(d.expected)}, found {_short(d.found)})")
    return lines
