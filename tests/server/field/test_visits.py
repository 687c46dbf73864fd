"""Visit records with signatures (sync-v1.1): idempotent, versioned, strictly checked."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from server.audit.tables import AuditEntry
from server.field.tables import VisitVersion
from tests.server import factories
from tests.server.field import factory, photos
from tests.server.field.calls import API, login, upload


def signature(data: bytes, signer: str = "representative", **changes: Any) -> dict[str, Any]:
    inspector = signer.startswith("inspector:")
    body: dict[str, Any] = {
        "signer": signer,
        "role": "inspector" if inspector else "representative",
        "name": "检查员S1" if inspector else "王五",
        "badge": signer.split(":", 1)[1] if inspector else None,
        "signed_at": "2026-11-20T10:40:00+08:00",
        "sha256": photos.sha(data),
        "size": len(data),
        "media_type": "image/png",
        "width": 800,
        "height": 400,
        "strokes": [[[0.1, 0.2], [0.5, 0.6]], [[0.3, 0.3], [0.3, 0.3]]],
    }
    body.update(changes)
    return body


def visit_body(*signatures: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "arrival_at": "2026-11-20T09:30:00+08:00",
        "method": "on_site",
        "notes": "企业负责人在场，配合检查",
        "people": [{"name": "王五", "role": "店长", "id_number": "11010119900101123X"}],
        "signatures": list(signatures),
    }
    body.update(changes)
    return body


async def put_visit(
    client: httpx.AsyncClient, headers: dict[str, str], task_id: int, record_id: str, body: Any
) -> httpx.Response:
    return await client.put(
        f"{API}/field/tasks/{task_id}/visit/{record_id}", json=body, headers=headers
    )


async def held() -> list[dict[str, Any]]:
    return await VisitVersion.select().order_by(VisitVersion.id)


@pytest.fixture
async def setup(db: None, filesystem_store: object, client: httpx.AsyncClient) -> dict[str, Any]:
    task = await factory.field_task()
    headers = await login(client, task.users["S1"])
    pngs = {"rep": photos.png(120, seed=5), "s1": photos.png(130, seed=6)}
    for data in pngs.values():
        assert (await upload(client, headers, data, photos.sha(data))).status_code == 200
    return {"task": task, "headers": headers, "pngs": pngs}


async def test_stored_once_then_unchanged_then_next_version(
    client: httpx.AsyncClient, setup: dict[str, Any]
) -> None:
    task, headers, pngs = setup["task"], setup["headers"], setup["pngs"]
    record_id = str(uuid.uuid4())
    body = visit_body(signature(pngs["rep"]), signature(pngs["s1"], "inspector:S1"))
    first = await put_visit(client, headers, task.task_id, record_id, body)
    assert first.status_code == 201, first.text
    assert first.json() == {"record_id": record_id, "version": 1, "status": "stored"}
    audit_after_first = await AuditEntry.count()
    again = await put_visit(client, headers, task.task_id, record_id, body)
    assert again.status_code == 200
    assert again.json() == {"record_id": record_id, "version": 1, "status": "unchanged"}
    assert await AuditEntry.count() == audit_after_first
    (row,) = await held()
    stored = row["body"] if isinstance(row["body"], dict) else __import__("json").loads(row["body"])
    assert stored["signatures"][1]["strokes"] == [
        [[0.1, 0.2], [0.5, 0.6]],
        [[0.3, 0.3], [0.3, 0.3]],
    ]
    assert stored["people"][0]["id_number"] == "11010119900101123X"
    changed = await put_visit(
        client, headers, task.task_id, record_id, {**body, "notes": "补充：复查通过"}
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert [r["version"] for r in await held()] == [1, 2]


async def test_signature_must_point_at_an_uploaded_png_of_its_size(
    client: httpx.AsyncClient, setup: dict[str, Any]
) -> None:
    task, headers, pngs = setup["task"], setup["headers"], setup["pngs"]
    never = photos.png(140, seed=9)
    jpeg = photos.jpeg(64)
    await upload(client, headers, jpeg, photos.sha(jpeg))
    for bad in (
        signature(never),
        signature(pngs["rep"], size=len(pngs["rep"]) + 1),
        signature(jpeg),
    ):
        reply = await put_visit(client, headers, task.task_id, str(uuid.uuid4()), visit_body(bad))
        assert reply.status_code == 422, reply.text
        assert reply.json()["code"] == "field.visit_invalid"
        assert "签名图片" in reply.json()["detail"]["zh"]
    assert await held() == []


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"method": "by_phone"}, "检查方式"),
        ({"arrival_at": "2026-11-20T09:30:00"}, "时区"),
        ({"people": [{"name": " ", "role": "店长"}]}, "姓名"),
        ({"people": [{"name": "王五", "id_number": "12-34"}]}, "证件号码"),
        ({"sig": {"strokes": [[[0.1, 1.5]]]}}, "0到1"),
        ({"sig": {"signer": "inspector:S9", "badge": "S9", "role": "inspector"}}, "检查组"),
        ({"sig": {"signer": "inspector:S2", "badge": "S1", "role": "inspector"}}, "inspector:"),
        ({"sig": {"media_type": "image/jpeg"}}, "PNG格式"),
        ({"sig": {"width": 10}}, "尺寸"),
        ({"sig": {"sha256": "A" * 64}}, "校验值"),
    ],
)
async def test_bad_records_are_refused_and_change_nothing(
    client: httpx.AsyncClient, setup: dict[str, Any], changes: dict[str, Any], reason: str
) -> None:
    task, headers, pngs = setup["task"], setup["headers"], setup["pngs"]
    sig = signature(pngs["rep"], **changes.pop("sig", {}))
    reply = await put_visit(
        client, headers, task.task_id, str(uuid.uuid4()), visit_body(sig, **changes)
    )
    assert reply.status_code == 422, reply.text
    assert reason in reply.json()["detail"]["zh"]
    assert await held() == []


async def test_unknown_fields_and_oversized_strokes_are_refused(
    client: httpx.AsyncClient, setup: dict[str, Any]
) -> None:
    task, headers, pngs = setup["task"], setup["headers"], setup["pngs"]
    extra = {**visit_body(signature(pngs["rep"])), "weather": "晴"}
    too_many = visit_body(signature(pngs["rep"], strokes=[[[0.1, 0.1]]] * 301))
    for body in (extra, too_many):
        reply = await put_visit(client, headers, task.task_id, str(uuid.uuid4()), body)
        assert reply.status_code in (400, 422), reply.text
    assert await held() == []


async def test_authority_team_and_record_owner(
    client: httpx.AsyncClient, setup: dict[str, Any]
) -> None:
    task, headers, pngs = setup["task"], setup["headers"], setup["pngs"]
    body = visit_body(signature(pngs["rep"]))
    stranger = await factory.field_task(team={"X1": "SCJG"}, items={"SC-01": "SCJG"})
    outsider = await login(client, stranger.users["X1"])
    refused = await put_visit(client, outsider, task.task_id, str(uuid.uuid4()), body)
    assert refused.status_code == 403 and refused.json()["code"] == "field.not_on_task"
    record_id = str(uuid.uuid4())
    assert (await put_visit(client, headers, task.task_id, record_id, body)).status_code == 201
    team_mate = await login(client, task.users["S2"], device="device-2")
    taken = await put_visit(client, team_mate, task.task_id, record_id, {**body, "notes": "改"})
    assert taken.status_code == 409 and taken.json()["code"] == "field.visit_mismatch"
    assert (await put_visit(client, headers, task.task_id, "bad id", body)).status_code == 422
    missing = await put_visit(client, headers, 999_999, str(uuid.uuid4()), body)
    assert missing.status_code == 404
    assert len(await held()) == 1


async def test_observer_accounts_cannot_send_visits(
    client: httpx.AsyncClient, setup: dict[str, Any]
) -> None:
    await factories.user("admin", "boss", None)
    admin = await factories.login(client, "boss")
    reply = await put_visit(client, admin, setup["task"].task_id, str(uuid.uuid4()), visit_body())
    assert reply.status_code == 403
