"""Reports over the demo's whole cycle, read back with openpyxl and checked against the database.

The expected figures come from one independent SQL join (and the plain rules
written out again here), not from the report's own queries.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import msgspec
from openpyxl import load_workbook
from piccolo.table import Table

from server.calendar.tables import TaskDeadline
from server.demo.accounts import DEMO_PASSWORD
from server.demo.dataset import create_demo
from server.records.reports.tables import Report
from server.scheduler import jobs

CHINA = ZoneInfo("Asia/Shanghai")
FOUND = set(["A", "2", "B", "C", "D", "3", "4", "5", "6", "8", "E"])
"""Categories that record a problem (发现问题), as the seed's categories list them."""
HEADER = "抽查事项名称"

FACTS_SQL = """
SELECT ti.task AS task, ii.code AS item_code, dep.code AS department, dr.drawn_at AS drawn_at,
       t.completed_at_device AS completed_at, ir.result_uuid AS result_uuid,
       ir.version AS version, td.deadline AS deadline, td.published_on AS published_on,
       ic.kind AS kind
FROM task_item ti
JOIN task t ON t.id = ti.task
JOIN draw dr ON dr.id = t.draw
JOIN plan p ON p.id = dr.plan
JOIN inspection_item ii ON ii.id = ti.item
JOIN department dep ON dep.id = ti.department
LEFT JOIN item_result ir ON ir.task = ti.task AND ir.item = ti.item
LEFT JOIN task_deadline td ON td.task = ti.task
LEFT JOIN inspection_code ic ON ic.task = ti.task
WHERE p.year IN ({year} - 1, {year})
"""


def _moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _day_of(value: Any) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.astimezone(CHINA).date()
    text = str(value)
    return date.fromisoformat(text) if len(text) == 10 else _day_of(_moment(text))


async def _raw(sql: str) -> list[dict[str, Any]]:
    return await Table.raw(sql)  # type: ignore[return-value]


async def expected_lines(start: date, end: date, department: str | None) -> Counter:
    """(item, kind) → the six counts, from SQL alone."""
    year = start.year
    rows = await _raw(FACTS_SQL.format(year=year))
    bodies = {}
    for row in await _raw("SELECT result_uuid, version, body FROM result_version"):
        body = row["body"]
        bodies[(row["result_uuid"], row["version"])] = (
            msgspec.json.decode(body) if isinstance(body, (str, bytes)) else body
        )
    counts: dict[tuple[str, str], list[int]] = {}

    def inside(day: date | None) -> bool:
        return day is not None and start <= day <= end

    for row in rows:
        if department and row["department"] != department:
            continue
        kind = "定向检查" if row["kind"] == "directed" else "随机抽查"
        line = counts.setdefault((row["item_code"], kind), [0] * 6)
        drawn_on = _day_of(_moment(row["drawn_at"]))
        body = bodies.get((row["result_uuid"], row["version"])) if row["result_uuid"] else None
        line[0] += inside(drawn_on)
        if body is not None and inside(_day_of(_moment(row["completed_at"]))):
            line[1] += 1
            category = str(body.get("category", ""))
            if category in FOUND:
                line[2] += 1
                line[3] += bool(str(body.get("follow_up", "")).strip()) or category == "E"
        published = _day_of(row["published_on"])
        if inside(published):
            assert published is not None
            deadline = _day_of(row["deadline"])
            line[4 if deadline is None or published <= deadline else 5] += 1
    return Counter({key: tuple(value) for key, value in counts.items() if any(value)})


def sheet_lines(sheet: Any) -> tuple[Counter, tuple[Any, ...], dict[int, tuple[Any, ...]]]:
    """Part 二's rows by (item, kind), the 合计 row, and part 一's rows by number."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(n for n, row in enumerate(rows) if row[0] == HEADER) + 1
    # Part 一 only: part 三's counts, after part 二, may also be 1, 2 or 3.
    part_one = {row[0]: row for row in rows[:start] if row[0] in (1, 2, 3)}
    lines: Counter = Counter()
    for row in rows[start:]:
        if row[0] == "合计":
            return lines, tuple(row[4:10]), part_one
        lines[(row[1], row[2])] = tuple(row[4:10])
    raise AssertionError("no 合计 row")


async def login(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": DEMO_PASSWORD, "device_id": f"{username}-pc"},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def one_late_publication() -> int:
    """The demo publishes on time; move one published task's deadline before its publication."""
    row = await TaskDeadline.select().where(TaskDeadline.published_on.is_not_null()).first()
    assert row is not None
    await TaskDeadline.update(
        {TaskDeadline.deadline: row["published_on"] - timedelta(days=2)}
    ).where(TaskDeadline.id == row["id"])
    return row["task"]


async def download(client: httpx.AsyncClient, headers: dict[str, str], report: dict) -> Any:
    response = await client.get(f"/api/v1/reports/{report['id']}/file", headers=headers)
    assert response.status_code == 200, response.text
    assert hashlib.sha256(response.content).hexdigest() == report["sha256"]
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content))


async def test_reports_match_the_database(client: httpx.AsyncClient) -> None:
    await create_demo(objects=2_000, seed=2026, report=lambda _: None)
    late_task = await one_late_publication()
    admin = await login(client, "admin")
    today = datetime.now(CHINA).date()
    year = today.year

    made = await client.post(
        "/api/v1/reports/", json={"kind": "year", "period": str(year)}, headers=admin
    )
    assert made.status_code == 201, made.text
    book = await download(client, admin, made.json())
    departments = [row["code"] for row in await _raw("SELECT code FROM department ORDER BY code")]
    assert book.sheetnames == ["汇总", *departments]

    start, end = date(year, 1, 1), date(year, 12, 31)
    lines, total, part_one = sheet_lines(book["汇总"])
    expected = await expected_lines(start, end, None)
    assert lines == expected
    late_items = await _raw(f"SELECT COUNT(*) AS n FROM task_item WHERE task = {late_task}")
    # Every item of the one task published late (a count per item, as the annex has it).
    assert sum(v[5] for v in expected.values()) == late_items[0]["n"] > 0
    assert sum(v[4] for v in expected.values()) >= 2
    assert sum(v[2] for v in expected.values()) >= 1  # the corrected result (E) is a problem
    assert total == tuple(sum(v[i] for v in expected.values()) for i in range(6))
    items = (await _raw("SELECT COUNT(*) AS n FROM inspection_item WHERE active = TRUE"))[0]["n"]
    assert part_one[2][3] == f"抽查事项{items}项"
    for code in departments:
        department_lines, _, _ = sheet_lines(book[code])
        assert department_lines == await expected_lines(start, end, code), code

    # The month of the demo's published inspections, one department's report.
    month = today - timedelta(days=6)
    period = f"{month.year}-{month.month:02d}"
    made = await client.post(
        "/api/v1/reports/",
        json={"kind": "monthly", "period": period, "department": "SCJG"},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    book = await download(client, admin, made.json())
    assert book.sheetnames == ["SCJG"]
    first = date(month.year, month.month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    lines, _, _ = sheet_lines(book["SCJG"])
    assert lines == await expected_lines(first, last, "SCJG")

    # The quarterly progress table: one row per department and 合计.
    quarter = (today.month - 1) // 3 + 1
    made = await client.post(
        "/api/v1/reports/",
        json={"kind": "quarterly", "period": f"{year}-Q{quarter}"},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    rows = list(
        (await download(client, admin, made.json()))["推进情况"].iter_rows(values_only=True)
    )
    assert rows[-1][0] == "合计" and len(rows) == 3 + len(departments) + 1
    q_start = date(year, quarter * 3 - 2, 1)
    q_end = (date(year, quarter * 3, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    expected = await expected_lines(q_start, q_end, None)
    assert rows[-1][7:10] == tuple(sum(v[i] for v in expected.values()) for i in range(3))
    assert rows[-1][10:12] == (
        sum(v[4] + v[5] for v in expected.values()),
        sum(v[5] for v in expected.values()),
    )

    listed = (await client.get("/api/v1/reports/", headers=admin)).json()
    assert listed["total"] == 3 and [r["kind"] for r in listed["items"]] == [
        "quarterly",
        "monthly",
        "year",
    ]
    # The team lead sees their own department's report only; the combined ones are absent.
    lead = await login(client, "lead")
    mine = (await client.get("/api/v1/reports/", headers=lead)).json()
    assert [r["department"] for r in mine["items"]] == ["SCJG"]
    combined_id = listed["items"][0]["id"]
    refused = await client.get(f"/api/v1/reports/{combined_id}/file", headers=lead)
    assert (refused.status_code, refused.json()["code"]) == (404, "reports.unknown_report")


async def test_the_monthly_job_generates_and_stores_last_months_reports(db: None) -> None:
    await create_demo(objects=2_000, seed=2026, report=lambda _: None)
    await jobs.monthly_report()
    rows = await Report.select()
    today = datetime.now(CHINA).date()
    last = today.replace(day=1) - timedelta(days=1)
    departments = [row["code"] for row in await _raw("SELECT code FROM department ORDER BY code")]
    assert sorted(row["department"] for row in rows) == ["", *departments]
    for row in rows:
        assert (row["kind"], row["period"], row["generated_by"]) == (
            "monthly",
            f"{last.year}-{last.month:02d}",
            "scheduler",
        )
        content = bytes(row["content"])
        assert hashlib.sha256(content).hexdigest() == row["sha256"] and len(content) == row["size"]
        book = load_workbook(io.BytesIO(content))
        first = date(last.year, last.month, 1)
        lines, _, _ = sheet_lines(book.worksheets[0])
        assert lines == await expected_lines(first, last, row["department"] or None)
    # A second run (another process, a retry) stores nothing twice.
    await jobs.monthly_report()
    assert await Report.count() == len(rows)
    audit = await _raw("SELECT COUNT(*) AS n FROM audit_entry WHERE action = 'reports.generate'")
    assert audit[0]["n"] == len(rows)
