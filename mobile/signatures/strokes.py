"""The stroke model: what a finger drew, independent of the pad's size."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from mobile.signatures.errors import STROKE_INVALID
from shared.errors import SuichaError
from shared.visit import POINTS_MAX, STROKES_MAX

Point = tuple[float, float]
Stroke = list[Point]

MAX_POINTS = POINTS_MAX
"""Points in one stroke (a long flourish at 60 Hz for over a minute)."""
MAX_STROKES = STROKES_MAX


def _invalid(zh: str, en: str) -> SuichaError:
    return SuichaError(STROKE_INVALID, reason=zh, reason_en=en)


def check_stroke(raw: Sequence[Any]) -> Stroke:
    """A stroke as stored: 1..MAX_POINTS points, each (x, y) within 0..1.

    A single point (a tap, a dot) becomes a zero-length stroke of two points.
    """
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence) or not raw:
        raise _invalid("笔画至少要有一个点", "a stroke needs at least one point")
    if len(raw) > MAX_POINTS:
        raise _invalid(f"一笔最多{MAX_POINTS}个点", f"a stroke takes at most {MAX_POINTS} points")
    stroke: Stroke = []
    for point in raw:
        if isinstance(point, str | bytes) or not isinstance(point, Sequence) or len(point) != 2:
            raise _invalid("每个点应为(x, y)", "each point must be (x, y)")
        x, y = point
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in (x, y)
        ):
            raise _invalid("坐标应为数字", "coordinates must be numbers")
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            raise _invalid("坐标应在0到1之间", "coordinates must be within 0..1")
        stroke.append((round(float(x), 5), round(float(y), 5)))
    if len(stroke) == 1:
        stroke.append(stroke[0])
    return stroke
