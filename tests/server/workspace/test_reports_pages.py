"""Reports, archives and the accountability view over HTTP, on the demo's cycle: generate
(errors beside the field, nothing stored on a refusal), list, download byte for byte;
department scope; observers read the accountability view only; inspectors refused;
CSRF-less posts refused."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from openpyxl import load_workbook

from server.demo.accounts import DEMO_PASSWORD
from server.demo.dataset import create_demo
from server.plans.tables import Plan
from server.records.reports.tables import Report
from tests.server import factories
from tests.server.records.test_reports import one_late_publication
from tests.server.workspace.http import csrf_of, web_login

CHINA = ZoneInfo("Asia/Shanghai")


async def _as(client: httpx.AsyncClient, username: str, password: str = DEMO_PASSWORD) -> str:
    client.cookies.clear()
    return await web_login(client, username, password)


async def test_reports_archives_and_accountability(client: httpx.AsyncClient) -> None:
    await create_demo(objects=2_000, seed=2026, report=lambda _: None)
    late_task = await one_late_publication()
    today = datetime.now(CHINA).date()
    await Plan.update({Plan.window_end: today - timedelta(days=1)}).where(Plan.id > 0)
    await factories.user("team_lead", "gaj-lead", "GAJ")
    await factories.user(
        "inspector", "field-only", "SCJG", inspector_id=await factories.inspector("INS-W1")
    )
    [plan] = await Plan.select(Plan.id, Plan.code).where(Plan.status == "drawn")

    # Back office: generate (refusals beside the field, nothing stored), list, download.
    csrf = await _as(client, "office")
    index = await client.get("/workspace/reports/")
    assert index.status_code == 200 and 'id="generate-form"' in index.text
    assert f'href="/workspace/archives/plans/{plan["id"]}"' in index.text
    assert 'aria-current="page">报表<' in index.text
    no_csrf = await client.post(
        "/workspace/reports/", data={"kind": "monthly", "period": "2026-11"}
    )
    assert no_csrf.status_code == 403 and await Report.count() == 0
    bad = await client.post(
        "/workspace/reports/",
        data={"csrf_token": csrf, "kind": "monthly", "period": "2026-13", "department": ""},
    )
    assert bad.status_code == 422 and 'id="e-period"' in bad.text and "2026-13" in bad.text
    assert 'value="2026-13"' in bad.text  # the typed value stays in the field
    assert await Report.count() == 0
    unknown = await client.post(
        "/workspace/reports/",
        data={"csrf_token": csrf, "kind": "weekly", "period": "2026-11", "department": ""},
    )
    assert unknown.status_code == 422 and 'id="e-kind"' in unknown.text
    made = await client.post(
        "/workspace/reports/",
        data={"csrf_token": csrf, "kind": "year", "period": str(today.year), "department": ""},
    )
    assert made.status_code == 303, made.text
    [combined] = await Report.select(Report.id, Report.sha256, Report.department)
    assert combined["department"] == ""
    listed = await client.get("/workspace/reports/?kind=year")
    assert f'href="/workspace/reports/{combined["id"]}/file"' in listed.text
    assert "年度工作总结" in listed.text
    assert (
        f"/workspace/reports/{combined['id']}/file"
        not in (await client.get("/workspace/reports/?kind=monthly")).text
    )
    file = await client.get(f"/workspace/reports/{combined['id']}/file")
    assert file.status_code == 200
    assert hashlib.sha256(file.content).hexdigest() == combined["sha256"]
    assert file.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(file.content)).sheetnames
    archive = await client.get(f"/workspace/archives/plans/{plan['id']}")
    assert archive.status_code == 200 and archive.content[:2] == b"PK"

    # A team lead: own department only; the combined report is refused beside the field.
    csrf = await _as(client, "lead")
    combined_refused = await client.post(
        "/workspace/reports/",
        data={"csrf_token": csrf, "kind": "monthly", "period": "2026-11", "department": ""},
    )
    assert combined_refused.status_code == 422 and 'id="e-department"' in combined_refused.text
    assert await Report.count() == 1
    own = await client.post(
        "/workspace/reports/",
        data={"csrf_token": csrf, "kind": "quarterly", "period": "2026-Q4", "department": "SCJG"},
    )
    assert own.status_code == 303
    mine = await Report.select(Report.id).where(Report.department == "SCJG").first()
    assert mine is not None
    page = (await client.get("/workspace/reports/")).text
    assert f"/workspace/reports/{mine['id']}/file" in page
    assert f"/workspace/reports/{combined['id']}/file" not in page
    assert (await client.get(f"/workspace/reports/{combined['id']}/file")).status_code == 404
    lapses = await client.get("/workspace/reports/accountability")
    assert lapses.status_code == 200 and "逾期公示" in lapses.text
    assert 'id="feedback"' in lapses.text and "<td>SCJG " in lapses.text
    assert "<td>GAJ " not in lapses.text  # a lead sees their own department's figures
    assert (await client.get("/workspace/reports/accountability?year=1999")).status_code == 400
    assert f'href="/workspace/review/{late_task}"' in lapses.text

    # Another department's lead sees neither SCJG's reports nor its lapses.
    await _as(client, "gaj-lead", factories.PASSWORD)
    assert (await client.get(f"/workspace/reports/{mine['id']}/file")).status_code == 404
    theirs = await client.get("/workspace/reports/accountability?department=SCJG")
    assert theirs.status_code == 200 and f"/workspace/review/{late_task}" not in theirs.text
    assert (await client.get(f"/workspace/archives/plans/{plan['id']}")).status_code == 404

    # The observer reads the accountability view (every department) and nothing else here.
    csrf = await _as(client, "observer")
    sent = await client.get("/workspace/reports/")
    assert sent.status_code == 303
    assert sent.headers["location"] == "/workspace/reports/accountability"
    view = await client.get("/workspace/reports/accountability?kind=published_late")
    assert view.status_code == 200 and f'href="/workspace/review/{late_task}"' in view.text
    assert "未按期检查</td>" not in view.text  # the kind filter holds
    assert '<form method="post" action="/workspace/reports/"' not in view.text
    refused = await client.post(
        "/workspace/reports/",
        data={"csrf_token": csrf, "kind": "monthly", "period": "2026-11", "department": ""},
    )
    assert refused.status_code == 403 and await Report.count() == 2
    assert (await client.get(f"/workspace/reports/{mine['id']}/file")).status_code == 403
    assert (await client.get(f"/workspace/archives/plans/{plan['id']}")).status_code == 403

    # An inspector cannot open any of it.
    client.cookies.clear()
    form = await client.get("/workspace/login")
    await client.post(
        "/workspace/login",
        data={
            "username": "field-only",
            "password": factories.PASSWORD,
            "csrf_token": csrf_of(form.text),
        },
    )
    for path in ("/workspace/reports/", "/workspace/reports/accountability"):
        response = await client.get(path)
        assert response.status_code == 403 and "执法检查人员" in response.text
    assert (await client.get(f"/workspace/reports/{mine['id']}/file")).status_code == 403
