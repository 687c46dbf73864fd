"""Ratings and objections (企业评价与异议) in the accountability view and in the reports:
counted in plain Python, served by `/api/v1/accountability/feedback`, written as part 三 of
the summary and the last columns of the progress table (read back with openpyxl)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from openpyxl import load_workbook

from server.inspection_codes.tables import Objection, Rating
from server.records.reports import figures, workbook
from server.records.reports.periods import parse_period
from tests.server import factories
from tests.server.inspection_codes.test_objection import file_objection, form
from tests.server.inspection_codes.test_objection import published_with_access as published

CHINA = ZoneInfo("Asia/Shanghai")
NOV = parse_period("monthly", "2026-11")
TODAY = date(2026, 12, 1)


def objected(department: str, filed: date, due: date, status: str, decided: date | None):
    return figures.Objected(department, filed, due, status, decided)


def test_feedback_counts_by_period_and_department() -> None:
    ratings = [
        figures.Rated("SCJG", 5, date(2026, 11, 3)),
        figures.Rated("SCJG", 2, date(2026, 11, 30)),
        figures.Rated("SCJG", 4, date(2026, 10, 31)),  # another month
        figures.Rated("HBJ", 1, date(2026, 11, 5)),
    ]
    objections = [
        objected("SCJG", date(2026, 11, 2), date(2026, 11, 23), "upheld", date(2026, 11, 20)),
        objected("SCJG", date(2026, 11, 9), date(2026, 11, 30), "rejected", date(2026, 12, 1)),
        objected("SCJG", date(2026, 11, 10), date(2026, 12, 1), "filed", None),
        objected("SCJG", date(2026, 11, 11), date(2026, 11, 30), "filed", None),
        objected("HBJ", date(2026, 11, 12), date(2026, 12, 3), "filed", None),
        objected("SCJG", date(2026, 10, 12), date(2026, 11, 3), "filed", None),  # October
    ]
    scjg = figures.feedback(ratings, objections, NOV, TODAY, "SCJG")
    assert scjg.counts() == (2, 3.5, 4, 1, 1, 2, 2)
    # Overdue: rejected a day late, and one still open past its day (the one due today is not).
    everyone = figures.feedback(ratings, objections, NOV, TODAY)
    assert everyone.counts() == (3, round(8 / 3, 2), 5, 1, 1, 3, 2)
    assert figures.feedback([], [], NOV, TODAY).counts() == (0, None, 0, 0, 0, 0, 0)
    all_time = figures.feedback(ratings, objections, None, TODAY, "SCJG")
    assert all_time.ratings == 3 and all_time.filed == 5 and all_time.overdue == 3


def test_part_three_and_the_progress_columns_in_the_workbook() -> None:
    ready = figures.Readiness("SCJG", "市场监督管理局", (), 4, 12, 2000, 3)
    feedback = figures.Feedback(
        ratings=2, score_sum=7, filed=4, upheld=1, rejected=1, open=2, overdue=2
    )
    section = workbook.Section(ready, [], feedback)
    data = workbook.summary_workbook(NOV, section, [], datetime(2026, 12, 1, 8))
    rows = [list(r) for r in load_workbook(io.BytesIO(data))["SCJG"].iter_rows(values_only=True)]
    title = next(i for i, r in enumerate(rows) if r[0] == "三、企业评价与异议处理情况")
    assert tuple(rows[title + 1][:7]) == workbook.FEEDBACK_HEADER
    assert rows[title + 2][:7] == [2, 3.5, 4, 1, 1, 2, 2]

    row = figures.progress_row(ready, [], feedback)
    data = workbook.progress_workbook(
        parse_period("quarterly", "2026-Q4"), [row], row, datetime(2026, 12, 1)
    )
    table = list(load_workbook(io.BytesIO(data))["推进情况"].iter_rows(values_only=True))
    assert table[2][-7:] == workbook.FEEDBACK_HEADER
    assert table[3][-7:] == (2, 3.5, 4, 1, 1, 2, 2)


async def test_accountability_and_reports_count_the_stored_ratings_and_objections(
    client: httpx.AsyncClient,
) -> None:
    first = await published(client, "评价异议一号店")
    second = await published(client, "评价异议二号店")
    for p, score in ((first, 2), (second, 5)):
        rated = await client.post(
            f"/api/v1/public/check/{p.code}/rating/",
            json={"access_code": p.access, "score": score, "comment": "检查规范"},
        )
        assert rated.status_code == 201, rated.text
    for p in (first, second):
        made = await file_objection(client, p.code, form(p.access, "结果与现场不符"))
        assert made.status_code == 201, made.text
    # The first is rejected; the second is still open and its day has passed.
    first_id = (await Objection.select(Objection.id).where(Objection.task == first.task_id))[0]
    rejected = await client.post(
        f"/api/v1/objections/{first_id['id']}/decision",
        json={"decision": "reject", "reason": "结果无误"},
        headers=first.admin,
    )
    assert rejected.status_code == 200, rejected.text
    today = datetime.now(CHINA).date()
    await Objection.update({Objection.due_on: today - timedelta(days=1)}).where(
        Objection.task == second.task_id
    )
    second_id = (await Objection.select(Objection.id).where(Objection.task == second.task_id))[0]
    # Independent counts from the tables.
    scores = [r["score"] for r in await Rating.select(Rating.score)]
    assert sorted(scores) == [2, 5]

    # The field factory's plans are led by the first department in code order (HBJ).
    view = await client.get("/api/v1/accountability/feedback", headers=first.admin)
    assert view.status_code == 200, view.text
    by_department = {row["department"]: row for row in view.json()}
    hbj = by_department["HBJ"]
    assert (hbj["ratings"], hbj["rating_mean"]) == (2, 3.5)
    assert (
        hbj["objections_filed"],
        hbj["objections_upheld"],
        hbj["objections_rejected"],
        hbj["objections_open"],
        hbj["objections_overdue"],
    ) == (2, 0, 1, 1, 1)
    assert hbj["overdue_objections"] == [second_id["id"]]
    assert by_department["SCJG"]["ratings"] == 0 and by_department["SCJG"]["objections_filed"] == 0
    # A team lead sees their own department only; a bad year is refused.
    lead = await factories.login_as(client, "team_lead", "SCJG")
    own = await client.get("/api/v1/accountability/feedback", headers=lead)
    assert [row["department"] for row in own.json()] == ["SCJG"]
    other = await client.get("/api/v1/accountability/feedback?department=HBJ", headers=lead)
    assert other.status_code == 403
    bad = await client.get("/api/v1/accountability/feedback?year=1999", headers=first.admin)
    assert bad.status_code == 400

    # The month's combined report: part 三 on the combined sheet and on HBJ's.
    period = f"{today.year}-{today.month:02d}"
    made = await client.post(
        "/api/v1/reports/", json={"kind": "monthly", "period": period}, headers=first.admin
    )
    assert made.status_code == 201, made.text
    file = await client.get(f"/api/v1/reports/{made.json()['id']}/file", headers=first.admin)
    book = load_workbook(io.BytesIO(file.content))
    for sheet in ("汇总", "HBJ"):
        rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
        title = next(i for i, r in enumerate(rows) if r[0] == "三、企业评价与异议处理情况")
        assert rows[title + 2][:7] == [2, 3.5, 2, 0, 1, 1, 1], sheet
    rows = [list(r) for r in book["SCJG"].iter_rows(values_only=True)]
    title = next(i for i, r in enumerate(rows) if r[0] == "三、企业评价与异议处理情况")
    assert rows[title + 2][:7] == [0, None, 0, 0, 0, 0, 0]

    quarter = (today.month - 1) // 3 + 1
    made = await client.post(
        "/api/v1/reports/",
        json={"kind": "quarterly", "period": f"{today.year}-Q{quarter}"},
        headers=first.admin,
    )
    file = await client.get(f"/api/v1/reports/{made.json()['id']}/file", headers=first.admin)
    table = list(load_workbook(io.BytesIO(file.content))["推进情况"].iter_rows(values_only=True))
    assert table[-1][0] == "合计" and table[-1][-7:] == (2, 3.5, 2, 0, 1, 1, 1)
