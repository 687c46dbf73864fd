"""Workspace pages at the HTTP level: role guards, keyset paging, export, the error file."""

from __future__ import annotations

import csv
import html
import io
import re

from server.rosters import service as rosters
from tests.server import factories
from tests.server.workspace.http import web_login

HEADER = "统一社会信用代码,名称,行政区划,地址,风险分类\n"


async def _import(client, csrf: str, body: str):
    return await client.post(
        "/workspace/rosters/import",
        data={"kind": "objects", "csrf_token": csrf},
        files={"file": ("objects.csv", body.encode(), "text/csv")},
    )


async def test_observer_reads_but_cannot_import_and_lead_cannot_administer(client) -> None:
    await rosters.ensure_risk_classes()
    await factories.user("observer", "watcher")
    csrf = await web_login(client, "watcher")
    assert (await client.get("/workspace/rosters/objects")).status_code == 200
    page = await client.get("/workspace/rosters/import")
    assert page.status_code == 403 and "无法完成此操作" in page.text
    refused = await _import(
        client, csrf, HEADER + f"{factories.credit_code(1)},某店,230302,某路,B\n"
    )
    assert refused.status_code == 403
    objects = await client.get("/workspace/rosters/objects")
    assert "没有符合条件的检查对象" in objects.text  # nothing imported
    client.cookies.clear()
    await factories.user("team_lead", "lead")
    await web_login(client, "lead")
    for path in (
        "/workspace/admin/accounts",
        "/workspace/admin/security",
        "/workspace/admin/settings",
    ):
        assert (await client.get(path)).status_code == 403


async def test_keyset_pages_cover_every_row_once(client) -> None:
    await rosters.ensure_risk_classes()
    await factories.user("admin", "root", None)
    csrf = await web_login(client, "root")
    rows = "".join(
        f"{factories.credit_code(n)},店{n:03d},230302,路{n},{'C' if n % 3 == 0 else 'B'}\n"
        for n in range(1, 131)
    )
    assert (await _import(client, csrf, HEADER + rows)).status_code == 303
    seen: list[str] = []
    path = "/workspace/rosters/objects?risk_class=C"
    for _ in range(5):
        page = await client.get(path)
        assert page.status_code == 200
        seen += [line.split(">")[-1] for line in page.text.split("</td>") if ">店" in line]
        if 'rel="next"' not in page.text:
            break
        following = re.search(r'href="(\?[^"]+)" rel="next"', page.text)
        assert following
        path = "/workspace/rosters/objects" + html.unescape(following.group(1))
    assert seen == [f"店{n:03d}" for n in range(3, 131, 3)]
    bad = await client.get("/workspace/rosters/objects?after=-1")
    assert bad.status_code == 400


async def test_export_and_error_file_neutralise_formulas(client) -> None:
    await rosters.ensure_risk_classes()
    await factories.user("admin", "root", None)
    csrf = await web_login(client, "root")
    refused = await _import(client, csrf, HEADER + '=1+1,=HYPERLINK("x"),230302,路,B\n')
    assert refused.status_code == 422
    assert "第2行" in refused.text
    rows_field = refused.text.split('name="rows" value="', 1)[1].split('"', 1)[0]
    errors = await client.post(
        "/workspace/rosters/import/errors.csv",
        data={"rows": html.unescape(rows_field), "csrf_token": csrf},
    )
    assert errors.status_code == 200
    table = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert table[0] == ["行号", "列", "错误代码", "原因"] and len(table) >= 2
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    await _import(client, csrf, HEADER + f"{factories.credit_code(1)},=SUM(A1),230302,路,B\n")
    export = await client.get("/workspace/rosters/export/objects?format=csv")
    assert export.status_code == 200
    assert "'=SUM(A1)" in export.content.decode("utf-8-sig")
