"""The accountability view (问责) over the demo's cycle, checked against independent SQL; and the
refusals of the report and accountability endpoints, which change nothing."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from openpyxl import load_workbook

from server.demo.dataset import create_demo
from server.plans.tables import Plan
from server.records.accountability import Lapse, People, lapses
from server.records.reports.schemas import Responsible
from server.records.reports.tables import Report
from tests.server import factories
from tests.server.records.test_reports import _day_of, _moment, _raw, login, one_late_publication

CHINA = ZoneInfo("Asia/Shanghai")


async def everything(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list:
    found: list[dict[str, Any]] = []
    while True:
        page = await client.get(
            "/api/v1/accountability/",
            params={**params, "limit": 100, "offset": len(found)},
            headers=headers,
        )
        assert page.status_code == 200, page.text
        body = page.json()
        found.extend(body["items"])
        if len(found) >= body["total"]:
            return found


async def test_accountability_names_each_lapse_and_who_was_responsible(
    client: httpx.AsyncClient,
) -> None:
    await create_demo(objects=2_000, seed=2026, report=lambda _: None)
    late_task = await one_late_publication()
    today = datetime.now(CHINA).date()
    # The plan's inspection window has now ended: every part not submitted is not inspected.
    await Plan.update({Plan.window_end: today - timedelta(days=1)}).where(Plan.id > 0)
    observer = await login(client, "observer")
    found = await everything(client, observer)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for lapse in found:
        by_kind.setdefault(lapse["kind"], []).append(lapse)

    late = by_kind["published_late"]
    assert [lapse["task_id"] for lapse in late] == [late_task]
    publisher = await _raw(
        f"SELECT published_by FROM publication WHERE task = {late_task} AND version = 1"
    )
    roles = {(r["role"], r["username"]) for r in late[0]["responsible"]}
    assert ("publisher", publisher[0]["published_by"]) in roles
    assert late[0]["days_late"] == 2

    overdue = await _raw(
        "SELECT task FROM task_deadline WHERE published_on IS NULL AND deadline < "
        f"'{today.isoformat()}'"
    )
    unpublished = [x for x in by_kind.get("delayed", []) if x["happened"] is None]
    assert sorted(x["task_id"] for x in unpublished) == sorted(r["task"] for r in overdue)
    assert len(unpublished) == 1 and unpublished[0]["responsible"]  # the demo's overdue task

    parts = await _raw(
        "SELECT DISTINCT ti.task AS task, dep.code AS department FROM task_item ti "
        "JOIN department dep ON dep.id = ti.department "
        "WHERE NOT EXISTS (SELECT 1 FROM task_submission s "
        "WHERE s.task = ti.task AND s.department = ti.department)"
    )
    missing = by_kind["not_inspected"]
    assert sorted((x["task_id"], x["department"]) for x in missing) == sorted(
        (r["task"], r["department"]) for r in parts
    )
    sample = missing[0]
    team = await _raw(
        "SELECT i.badge_no AS badge_no FROM task_inspector ti JOIN inspector i "
        "ON i.id = ti.inspector JOIN department dep ON dep.id = ti.department "
        f"WHERE ti.task = {sample['task_id']} AND dep.code = '{sample['department']}' "
        "AND ti.active = TRUE"
    )
    assert sorted(r["badge_no"] for r in sample["responsible"]) == sorted(
        r["badge_no"] for r in team
    )
    assert {r["role"] for r in sample["responsible"]} == {"team"}

    submissions = await _raw(
        "SELECT s.task AS task, s.submitted_at AS submitted_at, t.due_date AS due_date "
        "FROM task_submission s JOIN task t ON t.id = s.task"
    )
    late_submitted = [
        r for r in submissions if _day_of(_moment(r["submitted_at"])) > _day_of(r["due_date"])
    ]
    submitted_late = [x for x in by_kind.get("delayed", []) if x["happened"] is not None]
    assert len(submitted_late) == len(late_submitted)

    # Paged and filtered; a team lead sees their own department only.
    page = await client.get(
        "/api/v1/accountability/", params={"kind": "not_inspected", "limit": 2}, headers=observer
    )
    assert page.json()["total"] == len(missing) and len(page.json()["items"]) == 2
    lead = await login(client, "lead")
    own = await everything(client, lead)
    assert own and {x["department"] for x in own} == {"SCJG"}
    refused = await client.get("/api/v1/accountability/", params={"department": "GA"}, headers=lead)
    assert (refused.status_code, refused.json()["code"]) == (403, "auth.forbidden_department")


def test_lapses_rule_on_plain_rows() -> None:
    today = datetime(2026, 12, 1).date()
    team = [Responsible(name="张三", role="team", badge_no="B1")]
    reviewer = Responsible(name="李四", role="reviewer", username="li")
    publisher = Responsible(name="王五", role="publisher", username="wang")
    office = [Responsible(name="赵六", role="back_office", username="zhao")]
    people = People(
        {(1, "SCJG"): team, (2, "SCJG"): team}, {3: [reviewer]}, {3: publisher}, {"SCJG": office}
    )
    base = {"plan_code": "P", "object_name": "某公司", "credit_code": "X"}
    found = lapses(
        today,
        [{**base, "task": 1, "department": "SCJG", "window_end": today - timedelta(days=3)}],
        [
            {**base, "task": 2, "department": "SCJG", "day": today, "due_date": today},
            {
                **base,
                "task": 2,
                "department": "SCJG",
                "day": today,
                "due_date": today - timedelta(days=1),
            },
        ],
        [
            {
                **base,
                "task": 3,
                "department": "SCJG",
                "deadline": today - timedelta(days=5),
                "published_on": today - timedelta(days=1),
            },
            {
                **base,
                "task": 4,
                "department": "SCJG",
                "deadline": today - timedelta(days=2),
                "published_on": None,
            },
            {
                **base,
                "task": 5,
                "department": "SCJG",
                "deadline": today - timedelta(days=2),
                "published_on": today - timedelta(days=2),
            },
        ],
        people,
    )
    assert [(x.kind, x.task_id, x.days_late) for x in found] == [
        ("not_inspected", 1, 3),
        ("published_late", 3, 4),
        ("delayed", 2, 1),
        ("delayed", 4, 2),
    ]
    assert found[1].responsible == (publisher, reviewer)
    assert found[3].responsible == tuple(office)  # nobody reviewed: the back office answers
    assert isinstance(found[0], Lapse) and found[0].responsible == tuple(team)


async def test_refusals_change_nothing(client: httpx.AsyncClient) -> None:
    await factories.department("SCJG")
    await factories.department("WSJ", "卫生健康委员会")
    lead = await factories.login_as(client, "team_lead", "SCJG")
    office = await factories.login_as(client, "back_office", "SCJG")
    cases = [
        (office, {"kind": "weekly", "period": "2026"}, 422, "reports.unknown_kind"),
        (office, {"kind": "monthly", "period": "2026-13"}, 422, "reports.bad_period"),
        (office, {"kind": "year", "period": "1900"}, 422, "reports.period_out_of_range"),
        (
            office,
            {"kind": "year", "period": "2026", "department": "NONE"},
            404,
            "reports.unknown_department",
        ),
        (lead, {"kind": "year", "period": "2026"}, 403, "reports.combined_forbidden"),
        (
            lead,
            {"kind": "year", "period": "2026", "department": "WSJ"},
            403,
            "auth.forbidden_department",
        ),
    ]
    for headers, body, status, code in cases:
        response = await client.post("/api/v1/reports/", json=body, headers=headers)
        assert (response.status_code, response.json()["code"]) == (status, code), body
        assert response.json()["detail"]["zh"] and response.json()["detail"]["en"]
    assert await Report.count() == 0
    unknown = await client.get("/api/v1/reports/999/file", headers=office)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "reports.unknown_report")
    bad_kind = await client.get("/api/v1/accountability/", params={"kind": "x"}, headers=office)
    assert (bad_kind.status_code, bad_kind.json()["code"]) == (422, "accountability.unknown_kind")
    # A half-year summary of a department with nothing drawn: part 一 and an empty 合计.
    made = await client.post(
        "/api/v1/reports/",
        json={"kind": "half_year", "period": "2026-H2", "department": "SCJG"},
        headers=office,
    )
    assert made.status_code == 201, made.text
    file = await client.get(f"/api/v1/reports/{made.json()['id']}/file", headers=office)
    rows = list(load_workbook(io.BytesIO(file.content))["SCJG"].iter_rows(values_only=True))
    assert rows[0][0] == "市场监管领域部门联合“双随机、一公开”抽查工作半年工作总结"
    assert rows[1][0] == "（2026年下半年）"
    total = next(r for r in rows if r[0] == "合计")
    assert total[4:10] == (0, 0, 0, 0, 0, 0)
    # Part 三 last: no ratings, no objections.
    assert rows[-2][0] == "企业评价数" and rows[-1][:7] == (0, None, 0, 0, 0, 0, 0)
    part_one = rows[: rows.index(total)]
    assert [r[2] for r in part_one if r[0] in (1, 2, 3)] == ["否", "否", "否"]
    await Report.delete(force=True)
    # Generating is bounded per user: the eleventh within a minute is refused, and not stored.
    for n in range(10):
        made = await client.post(
            "/api/v1/reports/",
            json={"kind": "monthly", "period": f"2026-{n + 1:02d}", "department": "SCJG"},
            headers=lead,
        )
        assert made.status_code == 201, made.text
    refused = await client.post(
        "/api/v1/reports/",
        json={"kind": "monthly", "period": "2026-11", "department": "SCJG"},
        headers=lead,
    )
    assert (refused.status_code, refused.json()["code"]) == (429, "reports.too_many")
    assert await Report.count() == 10
