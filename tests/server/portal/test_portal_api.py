"""The portal's JSON, pages and open data, in process."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from tests.server.portal.published import correct, publish_task

API = "/api/v1/public"


async def test_search_by_name_part_and_credit_code(client: httpx.AsyncClient) -> None:
    first = await publish_task(client, "鸡西市鸡冠区好运来餐饮有限公司")
    await publish_task(client, "鸡西市恒山区平安超市")
    by_name = await client.get(f"{API}/results", params={"q": "好运来餐饮"})
    assert by_name.status_code == 200, by_name.text
    [hit] = by_name.json()["items"]
    assert hit["task_id"] == first.task.task_id
    assert hit["results"] == [{"code": "1", "wording": "未发现问题"}]
    assert hit["kind"] == "抽查" and hit["inspected_on"] == "2026-11-20"
    both = await client.get(f"{API}/results", params={"q": "鸡西市"})
    assert len(both.json()["items"]) == 2
    code = hit["credit_code"]
    by_code = await client.get(f"{API}/results", params={"q": code.lower()})
    assert [r["task_id"] for r in by_code.json()["items"]] == [first.task.task_id]
    # Operators and wildcards are text, not syntax.
    for text in ('好运"来', "100%", "a_b", "OR NOT"):
        response = await client.get(f"{API}/results", params={"q": text})
        assert response.status_code == 200 and response.json()["items"] == [], text


@pytest.mark.parametrize(
    ("q", "code"),
    [("好运", "portal.query_too_short"), ("好" * 101, "portal.query_too_long")],
)
async def test_bad_searches_are_refused_clearly(
    client: httpx.AsyncClient, q: str, code: str
) -> None:
    response = await client.get(f"{API}/results", params={"q": q})
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert response.json()["detail"]["zh"]


async def test_history_and_versions_after_a_correction(client: httpx.AsyncClient) -> None:
    done = await publish_task(client, "鸡西市鸡冠区好运来餐饮有限公司")
    await correct(client, done, "E", "经复核，问题已责令改正")
    result = await client.get(f"{API}/results/{done.task.task_id}")
    versions = result.json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["reason"] == "经复核，问题已责令改正"
    code = versions[0]["record"]["business"]["credit_code"]
    history = await client.get(f"{API}/businesses/{code}")
    assert [(h["version"], h["current"]) for h in history.json()] == [(2, True), (1, False)]
    # Search lists the current version only.
    search = await client.get(f"{API}/results", params={"q": "好运来餐饮"})
    assert [r["version"] for r in search.json()["items"]] == [2]
    # Nothing about the inspectors or the field record is public.
    text = result.text + history.text
    for private in ("S1", "检查员", "device", "findings", "answers", "photos"):
        assert private not in text, private
    page = await client.get(f"/results/{done.task.task_id}")
    assert page.status_code == 200
    assert "第1版（已被更正）" in page.text and "第2版（现行）" in page.text
    missing = await client.get(f"{API}/results/999999")
    assert missing.status_code == 404 and missing.json()["code"] == "portal.result_not_found"
    bad = await client.get(f"{API}/businesses/nonsense")
    assert bad.status_code == 422


async def test_open_data_json_and_csv_paged_and_filtered(client: httpx.AsyncClient) -> None:
    a = await publish_task(client, "甲企业有限公司")
    await publish_task(client, "乙企业有限公司")
    await correct(client, a, "E", "更正")
    everything = await client.get(f"{API}/open-data.json")
    assert len(everything.json()["items"]) == 3
    page = await client.get(f"{API}/open-data.json", params={"limit": 2})
    assert len(page.json()["items"]) == 2 and page.json()["more"] is True
    rest = await client.get(f"{API}/open-data.json", params={"limit": 2, "offset": 2})
    assert len(rest.json()["items"]) == 1 and rest.json()["more"] is False
    none = await client.get(f"{API}/open-data.json", params={"plan": "NO-SUCH-PLAN"})
    assert none.json()["items"] == []
    dated = await client.get(f"{API}/open-data.json", params={"to": "2020-01-01"})
    assert dated.json()["items"] == []
    bad = await client.get(
        f"{API}/open-data.json", params={"from": "2026-12-01", "to": "2026-01-01"}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "portal.bad_date_range"
    department = everything.json()["items"][0]["authority"]
    assert department
    response = await client.get(f"{API}/open-data.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["抽查任务编号", "公示版本", "是否现行版本", "统一社会信用代码"]
    assert len(rows) == 4
    assert {row[4] for row in rows[1:]} == {"甲企业有限公司", "乙企业有限公司"}


async def test_site_root_is_the_portal(client: httpx.AsyncClient) -> None:
    await publish_task(client, "鸡西市鸡冠区好运来餐饮有限公司")
    home = await client.get("/")
    assert home.status_code == 200
    assert "好运来餐饮" in home.text and 'href="/public/"' in home.text
    short = await client.get("/search", params={"q": "好"})
    assert short.status_code == 422 and "至少3个字" in short.text


async def test_one_client_is_rate_limited(client: httpx.AsyncClient) -> None:
    from server.portal.limits import PER_MINUTE

    for _ in range(PER_MINUTE):
        response = await client.get(f"{API}/results", params={"q": "鸡西市"})
        assert response.status_code == 200
    limited = await client.get(f"{API}/results", params={"q": "鸡西市"})
    assert limited.status_code == 429
    assert limited.json()["detail"]["zh"]


async def test_page_titles_are_text_and_the_open_data_script_is_in_the_body(
    client: httpx.AsyncClient,
) -> None:
    done = await publish_task(client, "鸡西市鸡冠区好运来餐饮有限公司")
    code = (await client.get(f"{API}/results", params={"q": "好运来"})).json()["items"][0][
        "credit_code"
    ]
    result = f"/results/{done.task.task_id}"
    for path in ("/", "/search?q=好运来", "/open-data", f"/businesses/{code}", result):
        page = await client.get(path)
        assert page.status_code == 200, path
        head = page.text.partition("</head>")[0]
        title = head.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "<" not in title and "script" not in title, (path, title)
        assert "<script" not in head, path
    open_data = (await client.get("/open-data")).text
    assert open_data.count('<script src="/public/static/portal.js"') == 1
    assert open_data.index("portal.js") > open_data.index("<main>")


async def test_a_read_over_its_budget_is_read_again_on_the_reader_thread(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite a portal read runs on the event loop's thread until it has taken
    `INLINE_BUDGET`; then SQLite stops it and it runs again on the reader thread, with
    the same answer."""
    import threading

    from server.db import reader
    from tests import dbsetup

    await publish_task(client, "鸡西市鸡冠区好运来餐饮有限公司")
    await publish_task(client, "鸡西市恒山区平安超市")
    quick = (await client.get(f"{API}/results", params={"q": "鸡西市"})).json()
    threads: list[str] = []
    read = reader._read

    def spied(*args: object) -> object:
        threads.append(threading.current_thread().name)
        return read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "_read", spied)
    # A budget no read on a loaded machine runs out of: the read stays on the loop.
    monkeypatch.setattr(reader, "INLINE_BUDGET", 60.0)
    again = (await client.get(f"{API}/results", params={"q": "鸡西市"})).json()
    assert again == quick and threads == []  # within the budget: no thread
    monkeypatch.setattr(reader, "INLINE_BUDGET", -1.0)
    monkeypatch.setattr(reader, "CHECK_EVERY", 1)
    slow = (await client.get(f"{API}/results", params={"q": "鸡西市"})).json()
    assert slow == quick and len(slow["items"]) == 2
    if dbsetup.ENGINE == "sqlite":
        assert threads and all(name.startswith("suicha-reader") for name in threads)
    else:
        assert threads == []  # PostgreSQL: Piccolo's pool, no reader
