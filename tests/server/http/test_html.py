"""JSON embedded in HTML and times shown to the public."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from server.http.html import china_time, environment, json_script


def test_json_script_escapes_what_the_html_tokenizer_reads() -> None:
    value = {"reason": "<!--<script></script>&\u2028\u2029>"}
    text = str(json_script(value))
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert "\\u003c!--\\u003cscript\\u003e" in text
    assert json.loads(text) == value


@given(st.recursive(st.text() | st.integers() | st.none(), lambda c: st.lists(c, max_size=3)))
def test_json_script_round_trips_any_value(value: object) -> None:
    text = str(json_script({"v": value}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"v": value}


def test_every_environment_escapes_tojson_too(tmp_path) -> None:
    (tmp_path / "t.html").write_text("<script>{{ v | tojson }}</script>{{ v | json_script }}")
    env = environment(tmp_path)
    out = env.get_template("t.html").render(v="</script><!--")
    assert "</script><!--" not in out.replace("<script>", "", 1).removesuffix("</script>")
    assert out.count("\\u003c/script\\u003e") == 2


def test_times_are_shown_in_china_standard_time() -> None:
    assert china_time("2026-11-30T18:10:52.118898+00:00") == "2026-12-01 02:10:52"
    assert china_time(datetime(2026, 11, 30, 18, 10, 52, 118898, tzinfo=UTC)) == (
        "2026-12-01 02:10:52"
    )
    assert china_time("2026-11-30 18:10:52.118898+00:00", seconds=False) == "2026-12-01 02:10"
    assert china_time(datetime(2026, 6, 1, 0, 0)) == "2026-06-01 08:00:00"  # naive is UTC
    assert china_time(None) == "—"
