"""The business rates an inspection with its one-time access code; bad input changes nothing."""

from __future__ import annotations

from typing import Any

from server.audit.tables import AuditEntry
from server.inspection_codes.tables import Rating
from server.tasks.tables import Task
from tests.server.inspection_codes.helpers import drawn_task_code

SCRIPT = '<script>alert("x")</script> 检查很规范'


async def _ended_task_with_access(client: Any) -> tuple[dict[str, Any], str]:
    _, code, lead = await drawn_task_code(client)
    await Task.update({Task.status: "submitted"}).where(Task.id == code["task_id"])
    issued = await client.post(f"/api/v1/tasks/{code['task_id']}/access-code/", headers=lead)
    assert issued.status_code == 201, issued.text
    access = issued.json()["access_code"]
    assert len(access) == 10 and access.isdigit()
    return code, access


async def test_a_rating_round_trip_with_a_script_in_the_comment(client) -> None:
    code, access = await _ended_task_with_access(client)
    url = f"/api/v1/public/check/{code['code']}/rating/"
    made = await client.post(url, json={"access_code": access, "score": 4, "comment": SCRIPT})
    assert made.status_code == 201, made.text
    stored = await Rating.select().first()
    assert stored["score"] == 4 and stored["comment"] == SCRIPT  # kept as text, escaped on output
    again = await client.post(url, json={"access_code": access, "score": 1})
    assert again.status_code == 409 and again.json()["code"] == "business_access.spent"
    assert await Rating.count() == 1


async def test_bad_ratings_are_refused_and_change_nothing(client) -> None:
    code, access = await _ended_task_with_access(client)
    url = f"/api/v1/public/check/{code['code']}/rating/"
    audit_before = await AuditEntry.count()
    for body, status, error in [
        ({"access_code": access, "score": 0}, 422, "rating.invalid"),
        ({"access_code": access, "score": 6}, 422, "rating.invalid"),
        ({"access_code": access, "score": 3, "comment": "好" * 501}, 422, "rating.invalid"),
        ({"access_code": access, "score": 3, "comment": "a\x1bb"}, 422, "rating.invalid"),
        ({"access_code": access, "score": 3, "extra": 1}, 400, "request.invalid"),
    ]:
        answer = await client.post(url, json=body)
        assert answer.status_code == status, (body, answer.text)
        assert answer.json()["code"] == error
        assert answer.json()["detail"]["zh"]
    unknown = await client.post(
        "/api/v1/public/check/2026-SCJG-000000X/rating/", json={"access_code": access, "score": 3}
    )
    assert unknown.status_code in (400, 404)
    assert await Rating.count() == 0 and await AuditEntry.count() == audit_before


async def test_wrong_access_codes_are_throttled(client) -> None:
    code, access = await _ended_task_with_access(client)
    url = f"/api/v1/public/check/{code['code']}/rating/"
    statuses = []
    for attempt in range(12):
        wrong = f"{(int(access) + attempt + 1) % 10**10:010d}"
        answer = await client.post(url, json={"access_code": wrong, "score": 5})
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            assert answer.json()["code"] == "business_access.throttled"
            assert "秒后再试" in answer.json()["detail"]["zh"]
            break
    assert statuses[0] == 403 and statuses[-1] == 429, statuses
    # Even the right code waits out the block: guessing gains nothing by trying it.
    blocked = await client.post(url, json={"access_code": access, "score": 5})
    assert blocked.status_code == 429
    assert await Rating.count() == 0


async def test_a_visit_still_under_way_cannot_be_rated(client) -> None:
    _, code, lead = await drawn_task_code(client)
    issued = await client.post(f"/api/v1/tasks/{code['task_id']}/access-code/", headers=lead)
    access = issued.json()["access_code"]
    answer = await client.post(
        f"/api/v1/public/check/{code['code']}/rating/", json={"access_code": access, "score": 5}
    )
    assert answer.status_code == 409 and answer.json()["code"] == "rating.too_early"
    anonymous = await client.post(f"/api/v1/tasks/{code['task_id']}/access-code/")
    assert anonymous.status_code == 401


async def test_the_check_page_rating_form(client) -> None:
    code, access = await _ended_task_with_access(client)
    page = f"/check/{code['code']}"
    shown = await client.get(page)
    assert shown.status_code == 200 and 'id="rating-form"' in shown.text
    form = f"{page}/rating"
    wrong = await client.post(form, data={"access_code": "0000000000", "score": "5"})
    assert wrong.status_code == 403 and 'id="rating-error"' in wrong.text
    no_score = await client.post(form, data={"access_code": access, "comment": SCRIPT})
    assert no_score.status_code == 422 and "评分须为1至5" in no_score.text
    assert "<script>alert" not in no_score.text  # the comment written back, escaped
    assert await Rating.count() == 0

    done = await client.post(form, data={"access_code": access, "score": "4", "comment": SCRIPT})
    assert done.status_code == 303, done.text
    after = await client.get(done.headers["location"])
    assert "评价已提交" in after.text and "评分：4分" in after.text
    assert "<script>alert" not in after.text and "&lt;script&gt;" in after.text
    assert 'id="rating-form"' not in after.text
    stored = await Rating.select().first()
    assert stored["score"] == 4 and stored["comment"] == SCRIPT
