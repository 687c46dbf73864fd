"""Objections (异议): filed by the business with its access code, handled by back office.

Every refusal is a 4xx with a stable code and changes nothing (rows and the audit
chain counted before and after).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from server.audit.tables import AuditEntry
from server.db.transaction import write_transaction
from server.draws.tables import Draw
from server.inspection_codes import objections, queries
from server.inspection_codes.tables import Objection, ObjectionAttachment
from server.notifications.tables import Notification
from server.publication.tables import Publication
from server.rosters.tables import InspectionObject
from server.settings import get_settings
from server.tasks.tables import Task
from tests.server import factories
from tests.server.field import photos
from tests.server.portal.published import approve_all
from tests.server.publication.flow import completed_task

API = "/api/v1"
SEALED_RECORD = {"algorithm": "suicha-draw/1", "seed": None, "strata": {}, "selected": {}}
SCRIPT = '<script>alert("x")</script>结果类别与现场情况不符'


@dataclass
class Published:
    task_id: int
    code: str
    access: str
    admin: dict[str, str]
    done: Any


async def published_with_access(client: httpx.AsyncClient, name: str = "异议测试企业") -> Published:
    """A task approved and published (version 1: SC-01 found a food-safety breach, category 3),
    its code, and the business's access code."""
    done = await completed_task(client, categories={"SC-01": "3"})
    task_id = done.task.task_id
    task = await Task.select(Task.object).where(Task.id == task_id).first()
    await InspectionObject.update({InspectionObject.name: name}).where(
        InspectionObject.id == task["object"]
    )
    admin = await factories.login_as(client, "admin", None)
    await approve_all(client, admin, done)
    first = await client.post(f"{API}/review/tasks/{task_id}/publish", json={}, headers=admin)
    assert first.status_code == 201, first.text
    # The field factory's draw is sealed without a record; the check page reads one.
    draw = (await Task.select(Task.draw).where(Task.id == task_id).first())["draw"]
    await Draw.update({Draw.record: json.dumps(SEALED_RECORD)}).where(Draw.id == draw)
    code = await client.get(f"{API}/tasks/{task_id}/inspection-code/", headers=admin)
    assert code.status_code == 200, code.text
    issued = await client.post(f"{API}/tasks/{task_id}/access-code/", headers=admin)
    assert issued.status_code == 201, issued.text
    return Published(task_id, code.json()["code"], issued.json()["access_code"], admin, done)


def form(access: str, text: str) -> dict[str, str]:
    return {"access_code": access, "text": text}


def multipart(data: dict[str, str], attached: list[Any] | None = None) -> list[Any]:
    """Fields and files as multipart/form-data parts (httpx sends fields alone urlencoded)."""
    return [(name, (None, value)) for name, value in data.items()] + (attached or [])


async def file_objection(
    client: httpx.AsyncClient, code: str, data: dict[str, str], attached: list[Any] | None = None
) -> httpx.Response:
    return await client.post(
        f"{API}/public/check/{code}/objections/", files=multipart(data, attached)
    )


def files(*photos_: tuple[str, bytes, str]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("attachments", photo) for photo in photos_]


async def counts() -> tuple[int, int, int, int]:
    return (
        await Objection.count(),
        await ObjectionAttachment.count(),
        await AuditEntry.count(),
        await Publication.count(),
    )


async def test_a_filed_objection_keeps_its_text_and_photo_and_has_a_working_day_deadline(
    client,
) -> None:
    p = await published_with_access(client)
    png = photos.png(64)
    made = await file_objection(
        client, p.code, form(p.access, SCRIPT), files(("现场.png", png, "image/png"))
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["status"] == "filed" and body["publication_version"] == 1
    assert body["attachments"] == 1
    stored = await Objection.select().first()
    assert stored["text"] == SCRIPT  # kept as text; escaped wherever shown
    # 15 working days (the default) after filing: at least three weeks of calendar.
    assert (stored["due_on"] - stored["filed_at"].date()).days >= 19
    attachment = await ObjectionAttachment.select().first()
    assert attachment["sha256"] == photos.sha(png) and attachment["media_type"] == "image/png"
    entry = await AuditEntry.select().where(AuditEntry.action == "objection.file").first()
    assert entry is not None

    # The public status never shows the text; the check page escapes nothing into markup.
    status = await client.get(f"{API}/public/check/{p.code}/objections/")
    assert status.status_code == 200
    assert status.json()[0]["status_zh"] == "处理中" and "text" not in status.json()[0]
    office = await client.get(f"{API}/objections/{stored['id']}", headers=p.admin)
    assert office.json()["text"] == SCRIPT
    photo = await client.get(
        f"{API}/objections/{stored['id']}/attachments/{attachment['sha256']}", headers=p.admin
    )
    assert photo.status_code == 200 and photo.content == png


async def test_bad_objections_are_refused_and_change_nothing(client, monkeypatch) -> None:
    p = await published_with_access(client)
    url = f"{API}/public/check/{p.code}/objections/"
    before = await counts()
    cases: list[tuple[dict[str, str], list[Any], int, str]] = [
        (form(p.access, ""), [], 422, "objection.invalid"),
        (form(p.access, "好" * 2001), [], 422, "objection.invalid"),
        (form(p.access, "a\x1bb"), [], 422, "objection.invalid"),
        (
            form(p.access, "理由"),
            files(("a.gif", photos.gif(), "image/png")),
            415,
            "attachment.media_type",
        ),
        (
            form(p.access, "理由"),
            files(("a.txt", b"<script>alert(1)</script>", "image/jpeg")),
            415,
            "attachment.media_type",
        ),
        (
            form(p.access, "理由"),
            files(*[(f"{n}.png", photos.png(32, seed=n), "image/png") for n in range(4)]),
            422,
            "objection.invalid",
        ),
        (form(p.access, "理由"), files(("e.png", b"", "image/png")), 422, "objection.invalid"),
        ({"access_code": p.access}, [], 400, "request.invalid"),
    ]
    for data, attached, status, error in cases:
        answer = await client.post(url, files=multipart(data, attached))
        assert answer.status_code == status, (error, answer.text)
        assert answer.json()["code"] == error
        assert answer.json()["detail"]["zh"] and answer.json()["detail"]["en"]
    # Oversized: larger than the photo limit of the field app.
    monkeypatch.setenv("SUICHA_MAX_PHOTO_BYTES", "5000")
    get_settings.cache_clear()
    try:
        big = photos.png(200)
        assert len(big) > 5000
        answer = await file_objection(
            client, p.code, form(p.access, "理由"), files(("big.png", big, "image/png"))
        )
        assert answer.status_code == 413 and answer.json()["code"] == "attachment.too_large"
    finally:
        monkeypatch.delenv("SUICHA_MAX_PHOTO_BYTES")
        get_settings.cache_clear()
    unknown = await file_objection(client, "2026-SCJG-000000X", form(p.access, "理由"))
    assert unknown.status_code in (400, 404)
    assert await counts() == before


async def test_wrong_access_codes_are_throttled_and_change_nothing(client) -> None:
    p = await published_with_access(client)
    url = f"{API}/public/check/{p.code}/objections/"
    before = await counts()
    statuses = []
    for attempt in range(12):
        wrong = f"{(int(p.access) + attempt + 1) % 10**10:010d}"
        answer = await client.post(url, files=multipart(form(wrong, "理由")))
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            assert answer.json()["code"] == "business_access.throttled"
            break
        assert answer.json()["code"] == "business_access.wrong_code"
    assert statuses[0] == 403 and statuses[-1] == 429, statuses
    blocked = await client.post(url, files=multipart(form(p.access, "理由")))
    assert blocked.status_code == 429
    assert await counts() == before


async def test_an_unpublished_result_cannot_be_objected_to(client) -> None:
    done = await completed_task(client)
    task_id = done.task.task_id
    admin = await factories.login_as(client, "admin", None)
    code = (await client.get(f"{API}/tasks/{task_id}/inspection-code/", headers=admin)).json()
    access = (await client.post(f"{API}/tasks/{task_id}/access-code/", headers=admin)).json()
    before = await counts()
    answer = await file_objection(client, code["code"], form(access["access_code"], "理由"))
    assert answer.status_code == 409 and answer.json()["code"] == "objection.not_published"
    assert await counts() == before


async def test_one_objection_per_published_version(client) -> None:
    p = await published_with_access(client)
    first = await file_objection(client, p.code, form(p.access, "结果有误"))
    assert first.status_code == 201, first.text
    before = await counts()
    second = await file_objection(client, p.code, form(p.access, "再次提出"))
    assert second.status_code == 409 and second.json()["code"] == "objection.already_filed"
    assert "第1版" in second.json()["detail"]["zh"]
    assert await counts() == before


async def test_rejecting_keeps_the_reason_for_the_business(client) -> None:
    p = await published_with_access(client)
    made = await file_objection(client, p.code, form(p.access, "结果有误"))
    objection_id = made.json()["id"]
    office = await factories.login_as(client, "back_office", "SCJG")
    url = f"{API}/objections/{objection_id}/decision"
    for body, status, error in [
        ({"decision": "reject", "reason": ""}, 422, "review.reason_required"),
        ({"decision": "maybe", "reason": "x"}, 422, "objection.decision_invalid"),
        ({"decision": "uphold", "reason": "成立", "items": []}, 422, "objection.decision_invalid"),
        ({"decision": "uphold", "reason": "成立", "items": ["NO-1"]}, 404, "review.unknown_item"),
    ]:
        before = await counts()
        answer = await client.post(url, json=body, headers=office)
        assert answer.status_code == status, (body, answer.text)
        assert answer.json()["code"] == error
        assert await counts() == before
    other = await factories.login_as(client, "back_office", "QTBM")
    hidden = await client.post(url, json={"decision": "reject", "reason": "x"}, headers=other)
    assert hidden.status_code == 404 and hidden.json()["code"] == "objection.unknown"
    listed = await client.get(f"{API}/objections/", headers=other)
    assert listed.json()["total"] == 0
    observer = await factories.login_as(client, "observer", "SCJG")
    refused = await client.post(url, json={"decision": "reject", "reason": "x"}, headers=observer)
    assert refused.status_code == 403

    rejected = await client.post(
        url, json={"decision": "reject", "reason": "现场照片显示已整改，结果无误"}, headers=office
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    again = await client.post(url, json={"decision": "reject", "reason": "再次"}, headers=office)
    assert again.status_code == 409 and again.json()["code"] == "objection.already_decided"
    status = (await client.get(f"{API}/public/check/{p.code}/objections/")).json()
    assert status[0]["status_zh"] == "不予支持"
    assert status[0]["reason"] == "现场照片显示已整改，结果无误"
    page = await client.get(f"/check/{p.code}")
    assert "不予支持" in page.text and "现场照片显示已整改，结果无误" in page.text
    assert await AuditEntry.count().where(AuditEntry.action == "objection.reject") == 1


@pytest.mark.parametrize("status", ["filed", "upheld", "rejected"])
async def test_the_list_filters_by_status(client, status: str) -> None:
    p = await published_with_access(client)
    await file_objection(client, p.code, form(p.access, "结果有误"))
    listed = await client.get(f"{API}/objections/?status={status}", headers=p.admin)
    assert listed.status_code == 200
    assert listed.json()["total"] == (1 if status == "filed" else 0)
    bad = await client.get(f"{API}/objections/?status=open", headers=p.admin)
    assert bad.status_code == 422 and bad.json()["code"] == "objection.decision_invalid"


async def test_open_objections_near_and_past_their_day_are_reminded_once(client) -> None:
    p = await published_with_access(client)
    made = await file_objection(client, p.code, form(p.access, "结果有误"))
    objection_id = made.json()["id"]
    office = await factories.user("back_office", "bo-hbj", "HBJ")
    lead = await factories.user("team_lead", "lead-hbj", "HBJ")
    await factories.user("back_office", "bo-other", "QTBM")
    due = (await Objection.select(Objection.due_on).first())["due_on"]
    # Far from the day: nothing. The day itself: the organising department's back office.
    assert await objections.reminders(due - timedelta(days=20)) == 0
    assert await objections.reminders(due) == 1
    assert await objections.reminders(due) == 0  # once per objection, day and person
    sent = await Notification.select().where(Notification.kind == "objection_reminder")
    assert [row["user"] for row in sent] == [office]
    assert f"异议{objection_id}须于{due}前答复" == sent[0]["title"]
    # Past the day and still open: the team leads.
    assert await objections.reminders(due + timedelta(days=1)) == 1
    overdue = await Notification.select().where(Notification.kind == "objection_overdue")
    assert [row["user"] for row in overdue] == [lead]
    # Answered: nothing more.
    await client.post(
        f"{API}/objections/{objection_id}/decision",
        json={"decision": "reject", "reason": "结果无误"},
        headers=p.admin,
    )
    assert await objections.reminders(due + timedelta(days=2)) == 0


async def test_the_unique_index_holds_one_objection_per_version(client) -> None:
    """Two requests racing past the check (PostgreSQL) meet the unique index: the second
    insert is refused, and the request answers `objection.already_filed`."""
    p = await published_with_access(client)
    made = await file_objection(client, p.code, form(p.access, "结果有误"))
    stored = await Objection.select().first()
    values = {k: stored[k] for k in ("task", "publication_version", "department", "text")}
    values |= {"filed_at": stored["filed_at"], "due_on": stored["due_on"], "status": "filed"}
    async with write_transaction():
        assert await queries.insert_objection(values) is None
    assert made.status_code == 201 and await Objection.count() == 1
