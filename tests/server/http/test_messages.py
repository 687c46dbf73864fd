"""Decoding and validation messages are Chinese in detail.zh, with the field path."""

from __future__ import annotations

import msgspec
import pytest

from server.http import validation
from tests.server import factories
from tests.server.field.calls import result_body
from tests.server.http.chinese import assert_chinese, assert_error

LOGIN = "/api/v1/auth/login"
JSON = {"content-type": "application/json"}


def test_every_message_shape_msgspec_says_has_a_chinese_wording() -> None:
    samples = [
        "Object missing required field `password`",
        "Object contains unknown field `zzz`",
        "Expected `str`, got `int` - at `$.username`",
        "Expected `int` >= 0",
        "Expected `int` <= 10",
        "Expected `str` of length >= 1",
        "Expected `array` of length <= 3",
        "Expected `str` matching regex '^x'",
        "Invalid enum value 'z'",
        "Invalid RFC3339 encoded date",
        "Invalid RFC3339 encoded datetime",
        "Invalid UUID",
        "Invalid UTF-8 encoded string",
        "Input data was truncated",
        "JSON is malformed: invalid character (byte 4)",
        "JSON is malformed: trailing characters (byte 8)",
        "JSON is malformed: expected ':' (byte 5)",
        "Missing required query parameter 'draw' for path /api/v1/tasks",
        "Invalid content-length: 'x'",
        "Something no rule knows",
    ]
    for message in samples:
        zh = validation.message_zh(message)
        assert_chinese(zh)
    assert validation.message_zh("Something no rule knows") == validation.FALLBACK_ZH
    assert validation.message_zh("Expected `str`, got `int`") == "应为字符串，实际为整数"


def test_a_real_msgspec_error_of_each_kind_is_translated() -> None:
    class Body(msgspec.Struct, forbid_unknown_fields=True):
        a: int
        b: str = "x"

    for raw in (b"{}", b'{"a": "1"}', b'{"a": 1, "z": 0}', b'{"a": 1', b'{"a" 1}', b'{"a":1}x'):
        with pytest.raises(msgspec.DecodeError) as caught:
            msgspec.json.decode(raw, type=Body)
        zh = validation.message_zh(str(caught.value))
        assert zh != validation.FALLBACK_ZH, str(caught.value)
        assert_chinese(zh)


@pytest.mark.parametrize(
    ("body", "expected_zh"),
    [
        (b'{"username": x}', "JSON 格式错误：第 13 字节处有非法字符"),
        (b'{"username": "a"', "JSON 数据不完整"),
        (b'{"username": "a"} x', "多余的字符"),
        (b'{"username": "a"}', "缺少必填字段“password”"),
        (b'{"username": 5, "password": "p", "device_id": "d"}', "字段“username”应为字符串"),
    ],
)
async def test_bad_json_bodies_are_refused_in_chinese_with_the_field(
    client, body: bytes, expected_zh: str
) -> None:
    response = await client.post(LOGIN, content=body, headers=JSON)
    error = assert_error(response, 400, "request.invalid")
    assert expected_zh in error["detail"]["zh"]
    # The English keeps msgspec's own words for developers.
    assert error["detail"]["en"].startswith("The request is invalid: ")


async def test_each_listed_problem_carries_its_chinese_message(client) -> None:
    response = await client.post(LOGIN, json={"username": 5, "password": "p", "device_id": "d"})
    error = assert_error(response, 400, "request.invalid")
    [problem] = error["errors"]
    assert problem["key"] == "username"
    assert problem["message"] == "Expected `str`, got `int`"
    assert problem["message_zh"] == "字段“username”应为字符串，实际为整数"


async def test_query_parameter_problems_name_the_parameter(client) -> None:
    response = await client.get("/api/v1/public/draws", params={"offset": "-1"})
    error = assert_error(response, 400, "request.invalid")
    assert "查询参数“offset”应为不小于 0 的整数" in error["detail"]["zh"]
    response = await client.get("/api/v1/public/draws", params={"limit": "many"})
    error = assert_error(response, 400, "request.invalid")
    assert "查询参数“limit”应为整数，实际为字符串" in error["detail"]["zh"]


async def test_a_missing_body_is_said_in_chinese(client) -> None:
    admin = await factories.login_as(client, "admin", None)
    response = await client.post("/api/v1/plans", content=b"", headers={**admin, **JSON})
    error = assert_error(response, 400, "request.invalid")
    assert "缺少请求体" in error["detail"]["zh"]


async def test_unknown_address_and_method_answer_the_standard_body(client) -> None:
    assert_error(await client.get("/no/such/page"), 404, "http.not_found")
    refused = await client.delete("/api/v1/public/draws")
    assert_error(refused, 405, "http.method_not_allowed")
    assert "GET" in refused.headers["allow"]


async def test_litestar_own_refusals_are_said_in_chinese_too(client) -> None:
    from litestar import Request
    from litestar.exceptions import HTTPException

    from server.http.errors import http_error_handler

    request = Request({"type": "http", "method": "GET", "path": "/x", "headers": []})
    for status, expected in (
        (415, "不支持的内容类型"),
        (429, "请求过于频繁"),
        (418, "请求格式不正确"),
    ):
        response = http_error_handler(request, HTTPException(status_code=status, detail="Nope"))
        body = response.content
        assert response.status_code == status and body["status"] == status
        assert expected in body["detail"]["zh"] and body["detail"]["en"].endswith("Nope")
    internal = http_error_handler(
        request, HTTPException(status_code=500, detail="secret internals")
    )
    assert internal.status_code == 500 and "secret" not in str(internal.content)


async def test_field_refusals_of_a_bad_result_id_or_status_are_chinese(client) -> None:
    inspector = await factories.login_as(client, "inspector")
    response = await client.put(
        "/api/v1/field/tasks/1/results/not-a-uuid", json=result_body("SC-01"), headers=inspector
    )
    error = assert_error(response, 400, "request.invalid")
    assert "路径参数“result_id”应为 UUID" in error["detail"]["zh"]
    lead = await factories.login_as(client, "team_lead")
    response = await client.get("/api/v1/review/conflicts", params={"status": "x"}, headers=lead)
    error = assert_error(response, 400, "request.invalid")
    assert "查询参数“status”应为" in error["detail"]["zh"]
