"""Server-rendered HTML: the one Jinja environment factory and its filters.

Every template environment of the server comes from `environment()`, so every
page gets the same escaping of embedded JSON (`json_script`, also installed as
`tojson`) and the same way of showing times (`china_time`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")
"""Asia/Shanghai: UTC+8 all year (no daylight saving since 1991), so no tz database is needed."""

# In a <script> element the HTML tokenizer looks for "</script", "<!--" and
# "<script" whatever JSON thinks of them; "&" matters where the JSON lands in
# an attribute; U+2028/2029 end a line in older JavaScript. All five are
# written as JSON escapes, which decode to the same string.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_script(value: Any) -> Markup:
    """`value` as JSON that is safe inside `<script type="application/json">`.

    Keys are sorted and separators compact (the canonical form of
    `shared.canonical`), so a record embedded in a page reads as it is hashed.
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return Markup(text.translate(_SCRIPT_ESCAPES))  # escaped just above


def china_time(value: datetime | str | None, seconds: bool = True) -> str:
    """A moment in China Standard Time, `2026-11-30 18:10:52`; "—" for none.

    Accepts a datetime or an ISO 8601 text; a moment without an offset is UTC
    (what the server stores).
    """
    if value is None or value == "":
        return "—"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_STANDARD_TIME).strftime(
        "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    )


def environment(templates: Path) -> Environment:
    """A Jinja environment over `templates`, autoescaping HTML, with the filters above."""
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json_script"] = json_script
    env.filters["tojson"] = json_script
    env.filters["china_time"] = china_time
    return env
