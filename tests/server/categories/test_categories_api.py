"""Result categories over HTTP: the seeded default list, admin edits, audit, refusals."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx

from server.audit.log import verify_chain
from server.audit.tables import AuditEntry
from server.categories.tables import ResultCategory
from shared.result_categories import DEFAULT_CATEGORIES
from tests.server import factories

API = "/api/v1/categories"


async def _state() -> dict[str, Any]:
    return {
        "categories": await ResultCategory.select().order_by(ResultCategory.id),
        "audit": await AuditEntry.count(),
    }


def _no_english(text: str) -> None:
    assert not re.findall(r"[A-Za-z]{2,}", re.sub(r"“[^”]*”", "", text)), text


async def test_every_logged_in_user_reads_the_seeded_default_list(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get(f"{API}/")).status_code == 401
    inspector = await factories.login_as(client, "inspector", "SCJG")
    listed = await client.get(f"{API}/", params={"limit": 500}, headers=inspector)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == len(DEFAULT_CATEGORIES)
    assert [(c["code"], c["zh"], c["parent"]) for c in body["items"]] == [
        (c.code, c.zh, c.parent) for c in DEFAULT_CATEGORIES
    ]
    grouping = {c["code"] for c in body["items"] if c["grouping"]}
    assert grouping == {"A", "2"}
    [seed] = await AuditEntry.select().where(AuditEntry.action == "category.seed")
    assert json.loads(seed["change"])["codes"][0] == "1"
    again = await client.get(f"{API}/", headers=inspector)  # seeded once only
    assert again.json()["total"] == len(DEFAULT_CATEGORIES)
    assert await AuditEntry.count().where(AuditEntry.action == "category.seed") == 1


async def test_admin_adds_renames_retires_and_reactivates_with_audit(
    client: httpx.AsyncClient,
) -> None:
    admin = await factories.login_as(client, "admin", None)
    added = await client.post(
        f"{API}/",
        json={
            "code": "G",
            "zh": "违反价格管理规定",
            "en": "Breach of pricing rules",
            "parent": "2",
        },
        headers=admin,
    )
    assert added.status_code == 201, added.text
    assert added.json()["parent"] == "2" and added.json()["active"] is True
    assert added.json()["sort_order"] > max(
        c["sort_order"]
        for c in (await client.get(f"{API}/", headers=admin)).json()["items"]
        if c["code"] != "G"
    )

    renamed = await client.patch(f"{API}/G", json={"zh": "违反价格监督检查规定"}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["code"], renamed.json()["zh"]) == ("G", "违反价格监督检查规定")

    retired = await client.post(f"{API}/G/retire", headers=admin)
    assert retired.json()["active"] is False
    active = await client.get(f"{API}/", params={"active": "true", "limit": 500}, headers=admin)
    assert "G" not in {c["code"] for c in active.json()["items"]}
    back = await client.post(f"{API}/G/reactivate", headers=admin)
    assert back.json()["active"] is True

    actions = [
        (row["action"], row["entity_id"])
        for row in await AuditEntry.select(AuditEntry.action, AuditEntry.entity_id)
        .where(AuditEntry.entity == "result_category")
        .order_by(AuditEntry.id)
    ]
    assert actions == [
        ("category.seed", ""),
        ("category.create", "G"),
        ("category.rename", "G"),
        ("category.retire", "G"),
        ("category.reactivate", "G"),
    ]
    assert await verify_chain() == []


async def test_refusals_change_nothing(client: httpx.AsyncClient) -> None:
    admin = await factories.login_as(client, "admin", None)
    lead = await factories.login_as(client, "team_lead", "SCJG")
    await client.get(f"{API}/", headers=admin)  # the default list is seeded
    before = await _state()

    forbidden = await client.post(f"{API}/", json={"code": "G", "zh": "某类"}, headers=lead)
    assert forbidden.status_code == 403
    invalid = await client.post(
        f"{API}/",
        json={"code": "有 空格", "zh": " ", "en": "x" * 201, "parent": "NOPE", "sort_order": -5},
        headers=admin,
    )
    assert invalid.status_code == 422, invalid.text
    body = invalid.json()
    assert body["code"] == "categories.invalid"
    assert [p["field"] for p in body["errors"]] == ["code", "zh", "en", "sort_order", "parent"]
    for problem in body["errors"]:
        _no_english(problem["zh"])
    _no_english(body["detail"]["zh"])
    taken = await client.post(f"{API}/", json={"code": "B", "zh": "另一个类别"}, headers=admin)
    assert taken.status_code == 409 and taken.json()["code"] == "categories.code_taken"
    missing = await client.patch(f"{API}/NOPE", json={"zh": "改名"}, headers=admin)
    assert missing.status_code == 404 and missing.json()["code"] == "categories.not_found"
    empty = await client.patch(f"{API}/B", json={"zh": ""}, headers=admin)
    assert empty.status_code == 422
    group = await client.post(f"{API}/2/retire", headers=admin)
    assert group.status_code == 409
    assert group.json()["code"] == "categories.has_active_children"
    assert "“B”" in group.json()["detail"]["zh"]
    assert await _state() == before

    # a child is not reactivated under a retired group
    for code in ("B", "C", "6", "D", "2"):
        assert (await client.post(f"{API}/{code}/retire", headers=admin)).status_code == 200
    snapshot = await _state()
    orphan = await client.post(f"{API}/B/reactivate", headers=admin)
    assert orphan.status_code == 409 and orphan.json()["code"] == "categories.parent_retired"
    under_retired = await client.post(
        f"{API}/", json={"code": "G", "zh": "某类", "parent": "2"}, headers=admin
    )
    assert [p["code"] for p in under_retired.json()["errors"]] == ["categories.parent_unknown"]
    assert await _state() == snapshot


async def test_concurrent_first_uses_seed_the_list_once(db: None) -> None:
    from server.categories import service

    await asyncio.gather(*(service.active_categories() for _ in range(4)))
    assert await ResultCategory.count() == len(DEFAULT_CATEGORIES)
    assert await AuditEntry.count().where(AuditEntry.action == "category.seed") == 1
    assert await verify_chain() == []


async def test_every_role_reads_and_only_admins_write(client: httpx.AsyncClient) -> None:
    writes = [
        ("POST", f"{API}/", {"code": "G", "zh": "某类"}),
        ("PATCH", f"{API}/1", {"zh": "未发现任何问题"}),
        ("POST", f"{API}/12/retire", None),
        ("POST", f"{API}/12/reactivate", None),
    ]
    for method, path, body in writes:
        assert (await client.request(method, path, json=body)).status_code == 401
    for role in ("inspector", "observer", "back_office", "team_lead"):
        headers = await factories.login_as(client, role, "SCJG", device_id=f"{role}-dev")
        assert (await client.get(f"{API}/", headers=headers)).status_code == 200
        before = await _state()
        for method, path, body in writes:
            response = await client.request(method, path, json=body, headers=headers)
            assert response.status_code == 403, (role, path, response.text)
        assert await _state() == before
    admin = await factories.login_as(client, "admin", None)
    for method, path, body in writes:
        response = await client.request(method, path, json=body, headers=admin)
        assert response.status_code in (200, 201), (path, response.text)
