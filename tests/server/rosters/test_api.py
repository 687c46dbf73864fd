"""The roster data model through the API: create, read, update, status; each change audited."""

from __future__ import annotations

from typing import Any

from server.audit.tables import AuditEntry
from tests.server import factories
from tests.server.rosters.helpers import credit_code, wrong_check


async def audit_actions() -> list[str]:
    rows = await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
    return [row["action"] for row in rows]


async def test_departments(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    created = await client.post(
        "/api/v1/departments/",
        headers=headers,
        json={
            "code": "HLJ-SCJG",
            "name": "黑龙江省市场监管局",
            "level": "province",
            "region": "230000",
        },
    )
    assert created.status_code == 201, created.text
    child = await client.post(
        "/api/v1/departments/",
        headers=headers,
        json={
            "code": "JX-SCJG",
            "name": "鸡西市市场监管局",
            "region": "230300",
            "parent": "HLJ-SCJG",
        },
    )
    assert child.json()["parent"] == "HLJ-SCJG"
    assert child.json()["level"] == "city"
    updated = await client.patch(
        "/api/v1/departments/JX-SCJG", headers=headers, json={"name": "鸡西市市场监督管理局"}
    )
    assert updated.json()["name"] == "鸡西市市场监督管理局"
    listed = (await client.get("/api/v1/departments/", headers=headers)).json()
    assert [d["code"] for d in listed["items"]] == ["HLJ-SCJG", "JX-SCJG"]
    again = await client.post(
        "/api/v1/departments/", headers=headers, json={"code": "JX-SCJG", "name": "重复"}
    )
    assert (again.status_code, again.json()["code"]) == (409, "rosters.already_exists")
    bad = await client.patch(
        "/api/v1/departments/JX-SCJG", headers=headers, json={"level": "galaxy"}
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "rosters.field_invalid")
    assert bad.json()["errors"][0]["field"] == "level"
    assert await audit_actions() == [
        "user.create",
        "department.create",
        "department.create",
        "department.update",
    ]


async def test_risk_classes_default_and_configurable(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    listed = (await client.get("/api/v1/risk-classes", headers=headers)).json()
    assert [c["code"] for c in listed] == ["A", "B", "C", "D"]
    created = await client.post(
        "/api/v1/risk-classes", headers=headers, json={"code": "e", "name": "E类", "rank": 5}
    )
    assert created.json() == {"code": "E", "name": "E类", "rank": 5}
    renamed = await client.patch(
        "/api/v1/risk-classes/E", headers=headers, json={"name": "E类（严重失信）"}
    )
    assert renamed.json()["name"] == "E类（严重失信）"
    await client.post(
        "/api/v1/objects/",
        headers=headers,
        json={"credit_code": credit_code(1), "name": "甲", "risk_class": "E"},
    )
    in_use = await client.delete("/api/v1/risk-classes/E", headers=headers)
    assert (in_use.status_code, in_use.json()["code"]) == (409, "rosters.risk_class_in_use")
    assert (await client.delete("/api/v1/risk-classes/A", headers=headers)).status_code == 204
    listed = (await client.get("/api/v1/risk-classes", headers=headers)).json()
    assert [c["code"] for c in listed] == ["B", "C", "D", "E"]
    actions = await audit_actions()
    for action in (
        "risk_class.seed",
        "risk_class.create",
        "risk_class.update",
        "risk_class.delete",
    ):
        assert action in actions


async def test_items_with_checklist_and_department_scope(client) -> None:
    await factories.department("WSJ", "卫生健康委员会")
    lead = await factories.login_as(client, "team_lead", "SCJG")
    item: dict[str, Any] = {
        "code": "SC-001",
        "department": "SCJG",
        "name": "食品经营检查",
        "legal_basis": "《食品安全法》第八十七条",
        "ratio_cap": "0.05",
        "methods": ["现场", "written"],
        "required_qualifications": ["食品"],
        "checklist": [{"id": "q1", "type": "yes_no", "label": {"zh": "亮照", "en": "Licence"}}],
    }
    created = await client.post("/api/v1/items/", headers=lead, json=item)
    assert created.status_code == 201, created.text
    assert created.json()["methods"] == ["onsite", "written"]
    assert created.json()["checklist"][0]["required"] is True
    foreign = await client.post(
        "/api/v1/items/", headers=lead, json={**item, "code": "WS-001", "department": "WSJ"}
    )
    assert (foreign.status_code, foreign.json()["code"]) == (403, "auth.forbidden_department")
    moved = await client.patch("/api/v1/items/SC-001", headers=lead, json={"department": "WSJ"})
    assert moved.status_code == 403
    bad = await client.patch(
        "/api/v1/items/SC-001",
        headers=lead,
        json={"kind": "key", "checklist": [{"id": "q1", "type": "nope"}]},
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["checklist"]
    key = await client.patch(
        "/api/v1/items/SC-001", headers=lead, json={"kind": "key", "ratio_cap": None}
    )
    assert key.json()["kind"] == "key" and key.json()["ratio_cap"] is None
    off = await client.post(
        "/api/v1/items/SC-001/status", headers=lead, json={"status": "inactive"}
    )
    assert off.json()["active"] is False
    listed = (await client.get("/api/v1/items/", params={"active": "false"}, headers=lead)).json()
    assert [i["code"] for i in listed["items"]] == ["SC-001"]
    entries = await AuditEntry.select().where(AuditEntry.entity == "item").order_by(AuditEntry.id)
    assert [e["action"] for e in entries] == ["item.create", "item.update", "item.update"]


async def test_inspectors(client) -> None:
    await factories.department("SCJG")
    headers = await factories.login_as(client, "admin", None)
    body = {
        "badge_no": "230300-007",
        "name": "赵六",
        "department": "SCJG",
        "qualifications": ["食品", "特种设备"],
        "expertise": ["电梯"],
        "is_expert": True,
        "station_region": "230302",
        "conflicts": [{"object": credit_code(1).lower(), "reason": "亲属经营"}],
    }
    created = await client.post("/api/v1/inspectors/", headers=headers, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["conflicts"] == [{"object": credit_code(1), "reason": "亲属经营"}]
    leave = await client.post(
        "/api/v1/inspectors/230300-007/status", headers=headers, json={"status": "on_leave"}
    )
    assert leave.json()["status"] == "on_leave"
    wrong = await client.post(
        "/api/v1/inspectors/230300-007/status", headers=headers, json={"status": "retired"}
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "rosters.field_invalid")
    found = await client.get(
        "/api/v1/inspectors/", params={"qualification": "特种设备"}, headers=headers
    )
    assert found.json()["total"] == 1
    none = await client.get(
        "/api/v1/inspectors/", params={"qualification": "特种"}, headers=headers
    )
    assert none.json()["total"] == 0
    bad = await client.post(
        "/api/v1/inspectors/",
        headers=headers,
        json={**body, "badge_no": "x/1", "conflicts": [{"object": wrong_check(credit_code(2))}]},
    )
    assert [e["field"] for e in bad.json()["errors"]] == ["badge_no", "conflicts"]
    entries = await AuditEntry.select().where(AuditEntry.entity == "inspector")
    assert [e["action"] for e in entries] == ["inspector.create", "inspector.update"]


async def test_objects_and_their_filters(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    objects = [
        (1, "鸡西市好运来餐馆", "B", "H62", "230302", ["餐饮", "学校周边"]),
        (2, "鸡西市电梯维保公司", "C", "F52", "230303", ["特种设备"]),
        (3, "密山市餐饮外卖店", "B", "H621", "230382", ["餐饮外卖"]),
        (4, "鸡西市百货商店", "D", "F52", "230302", []),
    ]
    for n, name, risk, industry, region, tags in objects:
        response = await client.post(
            "/api/v1/objects/",
            headers=headers,
            json={
                "credit_code": credit_code(n),
                "name": name,
                "risk_class": risk,
                "industry_code": industry,
                "region": region,
                "tags": tags,
            },
        )
        assert response.status_code == 201, response.text

    async def codes(**params: Any) -> list[str]:
        page = (await client.get("/api/v1/objects/", params=params, headers=headers)).json()
        return [o["credit_code"] for o in page["items"]]

    assert await codes(tag="餐饮") == [credit_code(1)]  # a whole tag, not a substring
    assert await codes(risk_class="B") == [credit_code(1), credit_code(3)]
    assert await codes(industry="H62") == [credit_code(1), credit_code(3)]
    assert await codes(industry="F") == [credit_code(2), credit_code(4)]
    assert await codes(region="2303") == [credit_code(n) for n in (1, 2, 3, 4)]
    assert await codes(region="230302") == [credit_code(1), credit_code(4)]
    assert await codes(q="电梯") == [credit_code(2)]
    assert await codes(q=credit_code(3)[:17].lower()) == [credit_code(3)]
    assert await codes(q="100%") == []
    page = (
        await client.get("/api/v1/objects/", params={"limit": 2, "offset": 2}, headers=headers)
    ).json()
    assert (page["total"], len(page["items"]), page["offset"]) == (4, 2, 2)

    revoked = await client.post(
        f"/api/v1/objects/{credit_code(2)}/status", headers=headers, json={"status": "吊销"}
    )
    assert revoked.json()["status"] == "revoked"
    assert await codes(status="revoked") == [credit_code(2)]
    changed = await client.patch(
        f"/api/v1/objects/{credit_code(4).lower()}",
        headers=headers,
        json={"abnormal": True, "complaints": 3, "licences": ["食品经营许可证"]},
    )
    assert changed.json()["abnormal"] is True
    assert changed.json()["licences"] == ["食品经营许可证"]
    assert await codes(licence="食品经营许可证") == [credit_code(4)]
    rekey = await client.patch(
        f"/api/v1/objects/{credit_code(4)}", headers=headers, json={"credit_code": credit_code(5)}
    )
    assert rekey.json()["errors"][0]["code"] == "rosters.key_fixed"
    missing = await client.get(f"/api/v1/objects/{credit_code(9)}", headers=headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    bad = await client.post(
        "/api/v1/objects/",
        headers=headers,
        json={"credit_code": wrong_check(credit_code(7)), "name": "", "risk_class": "Q"},
    )
    assert bad.status_code == 422
    assert [(e["field"], e["code"]) for e in bad.json()["errors"]] == [
        ("credit_code", "credit_code.check_digit"),
        ("name", "rosters.required"),
        ("risk_class", "rosters.risk_class_unknown"),
    ]
    entries = await AuditEntry.select().where(AuditEntry.entity == "object").order_by(AuditEntry.id)
    assert [e["action"] for e in entries] == ["object.create"] * 4 + ["object.update"] * 2


async def test_audit_log_reads_newest_first_and_verifies(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    await client.post(
        "/api/v1/departments/", headers=headers, json={"code": "WSJ", "name": "卫健委"}
    )
    page = (await client.get("/api/v1/audit", params={"limit": 1}, headers=headers)).json()
    assert page["total"] == 2
    assert page["items"][0]["action"] == "department.create"
    assert page["items"][0]["change"]["name"] == "卫健委"
    verify = (await client.get("/api/v1/audit/verify", headers=headers)).json()
    assert verify["intact"] is True and verify["entries"] == 2
    assert verify["head_hash"] == page["items"][0]["entry_hash"]
    async with factories.audit_protection_lifted():
        await AuditEntry.update({AuditEntry.actor: "someone else"}).where(
            AuditEntry.id == page["items"][0]["id"]
        )
    broken = (await client.get("/api/v1/audit/verify", headers=headers)).json()
    assert broken["intact"] is False
    assert [b["entry_id"] for b in broken["breaks"]] == [page["items"][0]["id"]]
