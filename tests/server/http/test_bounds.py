"""Inputs that used to answer 500 answer 4xx with the standard body, and change nothing."""

from __future__ import annotations

import pytest

from server.http.bounds import MAX_JSON_DEPTH, check_json_value, json_too_deep
from shared.errors import SuichaError
from tests.server import factories
from tests.server.http.chinese import assert_error

JSON = {"content-type": "application/json"}
BIG = str(2**63)
INTEGER_PAST = str(2**31)  # one past SQL INTEGER, the type of ids (PostgreSQL refuses to bind it)


def test_json_depth_counts_brackets_outside_strings_only() -> None:
    assert not json_too_deep(b'{"a": [1, {"b": []}]}', 4)
    assert json_too_deep(b'{"a": [1, {"b": []}]}', 3)
    assert json_too_deep(b'[[[[[["a"]]]]]]', 5)
    assert not json_too_deep(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 5)
    assert not json_too_deep(b'["\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]', 5)
    assert not json_too_deep(b"[" * 3 + b"]" * 3 + b"[" * 3 + b"]" * 3, 3)
    assert json_too_deep(b"[" * 100_000 + b"]" * 100_000, MAX_JSON_DEPTH)
    assert json_too_deep(b"[" * 100_000, MAX_JSON_DEPTH)


def test_decoded_values_are_checked_for_64_bit_integers_nul_and_surrogates() -> None:
    check_json_value({"a": [1, -(2**31), 2**31 - 1, True, "正常", None, 1.5]})
    for bad in (
        {"a": [{"b": 2**63}]},
        {"a": 2**31},
        {"a": -(2**31) - 1},
        {"a": "x\x00"},
        ["\ud800"],
    ):
        with pytest.raises(SuichaError) as caught:
            check_json_value(bad)
        assert caught.value.code == "request.invalid"


async def test_json_nested_100000_deep_is_refused_before_decoding(client) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    response = await client.post("/api/v1/auth/login", content=body, headers=JSON)
    error = assert_error(response, 400, "request.json_too_deep")
    assert str(MAX_JSON_DEPTH) in error["detail"]["zh"]


async def test_an_oversized_json_body_is_refused(client) -> None:
    body = b'{"username": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    response = await client.post("/api/v1/auth/login", content=body, headers=JSON)
    assert_error(response, 413, "request.json_too_large")


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/public/draws?offset={BIG}",
        f"/api/v1/public/draws?limit={BIG}",
        f"/api/v1/public/plans?offset=-{BIG}1",
        f"/api/v1/plans/{BIG}",
        f"/api/v1/plans?offset={BIG}",
        f"/api/v1/tasks?offset={BIG}",
        f"/api/v1/audit?offset={BIG}",
        f"/api/v1/users?offset={BIG}",
        f"/api/v1/rosters/imports/{BIG}/changes",
        f"/api/v1/plans/{INTEGER_PAST}",
        f"/api/v1/rosters/imports/{INTEGER_PAST}/changes",
        f"/api/v1/tasks?offset={INTEGER_PAST}",
    ],
)
async def test_integers_of_2_63_and_above_in_offsets_and_ids(client, url: str) -> None:
    admin = await factories.login_as(client, "admin", None)
    response = await client.get(url, headers=admin)
    error = assert_error(response, 400, "request.invalid")
    assert "超出允许的范围（-2147483648 至 2147483647）" in error["detail"]["zh"]


async def test_a_since_cursor_of_2_63_is_refused(client) -> None:
    inspector = await factories.login_as(client, "inspector")
    for since in (BIG, INTEGER_PAST, "9" * 40, "²"):
        response = await client.get(
            "/api/v1/field/tasks", params={"since": since}, headers=inspector
        )
        assert_error(response, 400, "field.bad_cursor")
    fine = await client.get("/api/v1/field/tasks", params={"since": "0"}, headers=inspector)
    assert fine.status_code == 200, fine.text


async def test_integers_beyond_64_bits_in_a_body_are_refused_and_change_nothing(client) -> None:
    admin = await factories.login_as(client, "admin", None)
    before = (await client.get("/api/v1/departments", headers=admin)).json()
    response = await client.post(
        "/api/v1/departments",
        json={"code": "BIG", "name": "大数部门", "level": "city", "region": "230300", "x": 2**64},
        headers=admin,
    )
    error = assert_error(response, 400, "request.invalid")
    assert "字段“x”" in error["detail"]["zh"]
    assert (await client.get("/api/v1/departments", headers=admin)).json() == before


async def test_nul_in_a_json_string_is_refused(client) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"username": "a\x00b", "password": "p", "device_id": "d"}
    )
    error = assert_error(response, 400, "request.invalid")
    assert "字段“username”含有空字符" in error["detail"]["zh"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("industry=%20", "industry"),
        ("region=%09", "region"),
        ("industry=%F4%8F%BF%BF", "industry"),
        ("region=23%EF%BF%BE", "region"),
        ("q=a%00b", "q"),
    ],
)
async def test_blank_and_unstorable_query_values_are_refused(
    client, query: str, parameter: str
) -> None:
    admin = await factories.login_as(client, "admin", None)
    response = await client.get(f"/api/v1/objects?{query}", headers=admin)
    error = assert_error(response, 400, "request.invalid")
    assert f"查询参数“{parameter}”" in error["detail"]["zh"]


async def test_ordinary_prefix_filters_still_answer(client) -> None:
    admin = await factories.login_as(client, "admin", None)
    for query in ("industry=F52", "region=2303", "q=%E8%B6%85%E5%B8%82", "industry="):
        response = await client.get(f"/api/v1/objects?{query}", headers=admin)
        assert response.status_code == 200, (query, response.text)


async def test_options_on_guarded_routes_is_authenticated_and_guarded(client) -> None:
    anonymous = await client.options("/api/v1/field/tasks")
    body = assert_error(anonymous, 401, "auth.token_missing")
    assert "AuthMiddleware" not in str(body)
    admin = await factories.login_as(client, "admin", None)
    refused = await client.options("/api/v1/field/tasks", headers=admin)
    body = assert_error(refused, 403, "auth.forbidden_role")
    assert "AuthMiddleware" not in str(body)
    inspector = await factories.login_as(client, "inspector")
    allowed = await client.options("/api/v1/field/tasks", headers=inspector)
    assert allowed.status_code == 204
    assert "GET" in allowed.headers["allow"]
    for path in ("/api/v1/audit", "/api/v1/users", "/api/v1/plans/1", "/api/v1/objects"):
        assert_error(await client.options(path), 401, "auth.token_missing")
    public = await client.options("/api/v1/public/draws")
    assert public.status_code == 204


@pytest.mark.parametrize(
    "path", ["/api/v1/objects/a%00b", "/api/v1/inspectors/%01", "/api/v1/items/%EF%BF%BF"]
)
async def test_control_characters_in_path_values_are_refused(client, path: str) -> None:
    admin = await factories.login_as(client, "admin", None)
    error = assert_error(await client.get(path, headers=admin), 400, "request.invalid")
    assert "路径参数" in error["detail"]["zh"]
