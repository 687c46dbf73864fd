"""Every refusal of the rosters area reads in Chinese from start to end; enumerations
list, and accept, the Chinese words a clerk types (存续/在业/注销/吊销 …)."""

from __future__ import annotations

from typing import Any

import pytest

from server.rosters import rules
from server.rosters.rules import FieldProblem
from server.rosters.tables import InspectionObject
from tests.server import factories
from tests.server.factories import credit_code
from tests.server.rosters.helpers import OBJECT_HEADER, csv_text, object_row, wrong_check
from tests.support.wording import english_words

INSPECTOR_HEADER = [
    "执法证号",
    "姓名",
    "部门",
    "资格",
    "专长",
    "状态",
    "专家",
    "所在区划",
    "回避对象",
]
ITEM_HEADER = ["事项编码", "部门", "事项名称", "事项类别", "比例上限", "检查方式", "检查表", "启用"]


def _all_chinese(body: dict[str, Any]) -> None:
    assert english_words(body["detail"]["zh"]) == [], body["detail"]["zh"]
    for error in body.get("errors", []):
        # Roster rules give {reason: {zh, en}}; request validation gives {message_zh}.
        reason = error["reason"]["zh"] if "reason" in error else error["message_zh"]
        assert english_words(reason) == [], error


@pytest.mark.parametrize(
    ("allowed", "typed", "code"),
    [
        (rules.OBJECT_STATUSES, "在业", "active"),
        (rules.OBJECT_STATUSES, "存续", "active"),
        (rules.OBJECT_STATUSES, "注销", "deregistered"),
        (rules.OBJECT_STATUSES, "吊销", "revoked"),
        (rules.OBJECT_STATUSES, "revoked", "revoked"),
        (rules.INSPECTOR_STATUSES, "调离", "left"),
        (rules.OBJECT_KINDS, "个体工商户", "individual"),
        (rules.METHODS, "书面检查", "written"),
    ],
)
def test_chinese_words_are_accepted(allowed: Any, typed: str, code: str) -> None:
    assert rules.choice(typed, allowed) == code


def test_a_wrong_enumeration_lists_the_chinese_words_to_type() -> None:
    with pytest.raises(FieldProblem) as caught:
        rules.choice("停业", rules.OBJECT_STATUSES)
    assert caught.value.zh == (
        "“停业”不是可用值，可填：存续、在业（active）；注销（deregistered）；吊销（revoked）"
    )
    assert english_words(caught.value.zh) == []
    assert "active, deregistered, revoked" in caught.value.en


async def test_every_import_error_reads_in_chinese(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    objects = [
        object_row(1, 状态="停业"),
        object_row(2, 类型="公司", 行业代码="XX99999", 行政区划="abc"),
        object_row(3, 风险分类="Z", 经营异常="maybe", 投诉数="-1"),
        object_row(4, 名称="", 许可证="证" * 120),
        [wrong_check(credit_code(5)), *object_row(5)[1:]],
        object_row(1),
    ]
    response = await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=headers,
        content=csv_text(OBJECT_HEADER, objects).encode(),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error_count"] >= 10
    _all_chinese(body)
    statuses = [e for e in body["errors"] if e["column"] == "状态"]
    assert "存续、在业（active）" in statuses[0]["reason"]["zh"]

    await factories.department("SCJG")
    inspectors = [
        ["230300-001", "张三", "NOPE", "", "", "退休", "maybe", "23", "91230300XXXX"],
        ["中文证号", "", "SCJG", "", "", "", "", "", ""],
    ]
    response = await client.post(
        "/api/v1/rosters/inspectors/import?format=csv",
        headers=headers,
        content=csv_text(INSPECTOR_HEADER, inspectors).encode(),
    )
    assert response.status_code == 422
    _all_chinese(response.json())

    items = [
        ["SC-001", "SCJG", "食品检查", "重点", "5%", "电话", "", ""],
        ["SC-002", "SCJG", "食品检查", "一般", "abc", "现场", "{oops", "也许"],
        ["SC-003", "SCJG", "食品检查", "一般", "2", "现场", '[{"id": "q", "type": "x"}]', "是"],
    ]
    response = await client.post(
        "/api/v1/rosters/items/import?format=csv",
        headers=headers,
        content=csv_text(ITEM_HEADER, items).encode(),
    )
    assert response.status_code == 422
    _all_chinese(response.json())

    header_errors = await client.post(
        "/api/v1/rosters/objects/import?format=csv",
        headers=headers,
        content=csv_text(["名称", "名称", "Colour"], [["甲", "乙", "红"]]).encode(),
    )
    assert header_errors.status_code == 422
    _all_chinese(header_errors.json())
    assert await InspectionObject.count() == 0


async def test_every_api_refusal_reads_in_chinese(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    await factories.department("SCJG")
    answers = [
        await client.post(
            "/api/v1/objects/",
            headers=headers,
            json={"credit_code": credit_code(1), "name": "店", "risk_class": "B", "status": "x"},
        ),
        await client.post(
            "/api/v1/departments/", headers=headers, json={"code": "中文", "name": "部门"}
        ),
        await client.post(
            "/api/v1/departments/", headers=headers, json={"code": "WSJK", "name": "", "extra": 1}
        ),
        await client.post("/api/v1/risk-classes", headers=headers, json={"code": "E", "rank": -1}),
        await client.get(f"/api/v1/objects/{credit_code(9)}", headers=headers),
        await client.get("/api/v1/departments/NOPE", headers=headers),
        await client.get("/api/v1/rosters/widgets/export", headers=headers),
        await client.get("/api/v1/rosters/objects/export?format=ods", headers=headers),
        await client.get("/api/v1/rosters/imports/99/changes", headers=headers),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500, answer.text
        _all_chinese(answer.json())
    status = answers[0].json()
    assert status["detail"]["zh"].startswith(
        "“状态”不合法：“x”不是可用值，可填：存续、在业（active）"
    )
    assert status["detail"]["en"].startswith("Field 'status' is invalid")


async def test_a_department_refusal_quotes_the_other_department(client) -> None:
    await factories.department("SCJG")
    await factories.department("WSJK", "卫生健康委员会")
    lead = await factories.login_as(client, "team_lead", "WSJK")
    response = await client.post(
        "/api/v1/inspectors/",
        headers=lead,
        json={"badge_no": "230300-001", "name": "张三", "department": "SCJG"},
    )
    assert (response.status_code, response.json()["code"]) == (403, "auth.forbidden_department")
    assert (
        response.json()["detail"]["zh"] == "只能管理本部门（WSJK）的数据，不能管理部门“SCJG”的数据"
    )
    _all_chinese(response.json())


async def test_status_endpoints_take_the_chinese_words(client) -> None:
    headers = await factories.login_as(client, "admin", None)
    await factories.department("SCJG")
    item = {"code": "SC-001", "department": "SCJG", "name": "食品检查"}
    assert (await client.post("/api/v1/items/", headers=headers, json=item)).status_code == 201
    off = await client.post("/api/v1/items/SC-001/status", headers=headers, json={"status": "停用"})
    assert off.json()["active"] is False
    on = await client.post("/api/v1/items/SC-001/status", headers=headers, json={"status": "启用"})
    assert on.json()["active"] is True
    inspector = {"badge_no": "230300-001", "name": "张三", "department": "SCJG"}
    assert (await client.post("/api/v1/inspectors/", headers=headers, json=inspector)).status_code
    leave = await client.post(
        "/api/v1/inspectors/230300-001/status", headers=headers, json={"status": "休假"}
    )
    assert leave.json()["status"] == "on_leave"
