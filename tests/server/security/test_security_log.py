"""The security log: what is written, who may read it, and that it never fails a request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from server.audit.tables import AuditEntry
from server.security import queries as security_queries
from server.security.tables import SecurityEvent
from tests.server import factories

EVENTS = "/api/v1/security/events/"


async def events(kind: str | None = None) -> list[dict[str, Any]]:
    query = SecurityEvent.select().order_by(SecurityEvent.id).output(load_json=True)
    if kind:
        query = query.where(SecurityEvent.kind == kind)
    return await query


async def login(client: Any, username: str, password: str, device: str = "d-1") -> Any:
    return await client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password, "device_id": device},
    )


async def test_logins_and_failed_logins_are_logged_outside_the_chain(client) -> None:
    user_id = await factories.user("team_lead", "lead")
    chain_before = await AuditEntry.count()
    started = datetime.now(UTC) - timedelta(seconds=1)
    assert (await login(client, "lead", "wrong", "tab-3")).status_code == 401
    assert (await login(client, "ghost", "wrong", "tab-4")).status_code == 401
    assert (await login(client, "lead", factories.PASSWORD, "tab-3")).status_code == 200

    failed = await events("login_failed")
    assert [(e["user_id"], e["username"], e["device_id"]) for e in failed] == [
        (user_id, "lead", "tab-3"),
        (None, "ghost", "tab-4"),
    ]
    assert failed[0]["detail"] == {"code": "auth.bad_credentials"}
    assert failed[0]["client_address"] == "127.0.0.1"
    assert failed[0]["at"] >= started
    succeeded = await events("login_succeeded")
    assert [(e["user_id"], e["device_id"]) for e in succeeded] == [(user_id, "tab-3")]
    # A failed login on the public route is one event, not also a "refused" one.
    assert await events("refused") == []
    assert await AuditEntry.count() == chain_before


async def test_throttled_logins_are_logged(client, monkeypatch) -> None:
    from server.settings import get_settings

    monkeypatch.setenv("SUICHA_LOGIN_ACCOUNT_FREE_FAILURES", "1")
    monkeypatch.setenv("SUICHA_LOGIN_BACKOFF_BASE_SECONDS", "30")
    get_settings.cache_clear()
    try:
        for _ in range(2):
            await login(client, "lead", "wrong")
        assert (await login(client, "lead", "wrong")).status_code == 429
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    throttled = await events("login_throttled")
    assert len(throttled) == 1
    assert throttled[0]["username"] == "lead"
    assert 0 < throttled[0]["detail"]["retry_after"] <= 30


async def test_refusals_are_logged_with_who_and_where(client) -> None:
    await factories.department("WSJK", "卫生健康委员会")
    lead = await factories.login_as(client, "team_lead", device_id="lead-pc")
    assert (await client.get("/api/v1/users/")).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert (await client.get("/api/v1/users/", headers=bad)).status_code == 401
    assert (await client.get("/api/v1/users/", headers=lead)).status_code == 403
    other_department = await client.post(
        "/api/v1/inspectors/",
        json={"badge_no": "WS-900", "name": "王五", "department": "WSJK"},
        headers=lead,
    )
    assert other_department.status_code == 403

    refused = await events("refused")
    assert [(e["detail"]["status"], e["detail"]["code"]) for e in refused] == [
        (401, "auth.token_missing"),
        (401, "auth.token_invalid"),
        (403, "auth.forbidden_role"),
        (403, "auth.forbidden_department"),
    ]
    assert refused[0]["username"] == "" and refused[0]["client_address"] == "127.0.0.1"
    assert refused[0]["detail"]["method"] == "GET"
    assert refused[0]["detail"]["path"].rstrip("/") == "/api/v1/users"
    assert {(e["username"], e["device_id"]) for e in refused[2:]} == {("team_lead-SCJG", "lead-pc")}


async def test_reuse_revocation_logout_and_disable_are_logged(client) -> None:
    user_id = await factories.user("inspector", "ins")
    admin = await factories.login_as(client, "admin", None, device_id="admin-pc")
    tokens = (await login(client, "ins", factories.PASSWORD, "tab-1")).json()
    old = tokens["refresh_token"]
    body = {"refresh_token": old, "device_id": "tab-1"}
    successor = (await client.post("/api/v1/auth/refresh", json=body)).json()
    await client.post(
        "/api/v1/auth/refresh",
        json={"refresh_token": successor["refresh_token"], "device_id": "tab-1"},
    )
    replay = await client.post("/api/v1/auth/refresh", json=body)
    assert replay.json()["code"] == "auth.refresh_reused"

    fresh = (await login(client, "ins", factories.PASSWORD, "tab-2")).json()
    await client.post(
        "/api/v1/auth/logout", headers={"Authorization": f"Bearer {fresh['access_token']}"}
    )
    await login(client, "ins", factories.PASSWORD, "tab-3")
    await client.post(f"/api/v1/users/{user_id}/devices/tab-3/revoke", headers=admin)
    await client.post(f"/api/v1/users/{user_id}/disable", headers=admin)
    await client.post(f"/api/v1/users/{user_id}/enable", headers=admin)

    def of(kind: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [e for e in rows if e["kind"] == kind]

    rows = await events()
    reuse = of("refresh_reused", rows)
    assert len(reuse) == 1
    assert (reuse[0]["user_id"], reuse[0]["username"], reuse[0]["device_id"]) == (
        user_id,
        "ins",
        "tab-1",
    )
    assert reuse[0]["detail"]["ended_sessions"] == 1
    assert [(e["username"], e["device_id"]) for e in of("logout", rows)] == [("ins", "tab-2")]
    revoked = of("device_revoked", rows)
    assert [(e["username"], e["device_id"], e["detail"]["by"]) for e in revoked] == [
        ("ins", "tab-3", "admin-all")
    ]
    disabled, enabled = of("account_disabled", rows), of("account_enabled", rows)
    assert [(e["user_id"], e["detail"]["by"]) for e in disabled] == [(user_id, "admin-all")]
    assert [(e["user_id"], e["detail"]["by"]) for e in enabled] == [(user_id, "admin-all")]


async def test_admins_query_the_log_by_kind_user_and_time(client) -> None:
    await factories.user("team_lead", "lead")
    admin = await factories.login_as(client, "admin", None)
    for _ in range(3):
        await login(client, "lead", "wrong")
    await login(client, "lead", factories.PASSWORD)

    page = (await client.get(EVENTS, params={"kind": "login_failed"}, headers=admin)).json()
    assert page["total"] == 3 and len(page["items"]) == 3
    assert {e["username"] for e in page["items"]} == {"lead"}
    newest_first = [e["id"] for e in page["items"]]
    assert newest_first == sorted(newest_first, reverse=True)

    by_user = (await client.get(EVENTS, params={"user": "lead"}, headers=admin)).json()
    assert {e["kind"] for e in by_user["items"]} == {"login_failed", "login_succeeded"}
    assert by_user["total"] == 4

    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    later = await client.get(EVENTS, params={"since": future}, headers=admin)
    assert later.status_code == 200 and later.json()["total"] == 0
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    recent = await client.get(EVENTS, params={"since": past}, headers=admin)
    assert recent.json()["total"] == await SecurityEvent.count()

    paged = (await client.get(EVENTS, params={"limit": 2, "offset": 1}, headers=admin)).json()
    assert len(paged["items"]) == 2 and paged["offset"] == 1
    bounded = (await client.get(EVENTS, params={"limit": 100000}, headers=admin)).json()
    assert bounded["limit"] == 500

    unknown = await client.get(EVENTS, params={"kind": "nonsense"}, headers=admin)
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "request.invalid"


@pytest.mark.parametrize("role", ["team_lead", "back_office", "observer", "inspector"])
async def test_only_admins_read_the_log(client, role: str) -> None:
    headers = await factories.login_as(client, role)
    answer = await client.get(EVENTS, headers=headers)
    assert answer.status_code == 403
    assert answer.json()["code"] == "auth.forbidden_role"
    assert (await client.get(EVENTS)).status_code == 401


async def test_a_failing_log_never_fails_the_request(client, monkeypatch) -> None:
    await factories.user("team_lead", "lead")

    async def broken(**_: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(security_queries, "insert_event", broken)
    ok = await login(client, "lead", factories.PASSWORD)
    assert ok.status_code == 200
    assert (await login(client, "lead", "wrong")).status_code == 401
    headers = {"Authorization": f"Bearer {ok.json()['access_token']}"}
    refused = await client.get("/api/v1/users/", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "auth.forbidden_role"
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    monkeypatch.undo()
    assert await SecurityEvent.count() == 0


async def test_refusals_on_a_live_connection_keep_the_standard_body(client) -> None:
    """The refusal watcher passes the answer through unchanged."""
    transport = httpx.ASGITransport(app=client._transport.app, client=("192.0.2.5", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        answer = await other.get("/api/v1/audit/")
    assert answer.status_code == 401
    assert answer.json()["code"] == "auth.token_missing"
    assert answer.json()["detail"]["zh"]
    assert [e["client_address"] for e in await events("refused")] == ["192.0.2.5"]


async def test_since_in_any_zone_and_out_of_range(client) -> None:
    admin = await factories.login_as(client, "admin", None)
    await login(client, "ghost", "wrong")
    an_hour_ago_beijing = (datetime.now(UTC) - timedelta(hours=1)).astimezone(
        timezone(timedelta(hours=8))
    )
    in_beijing_time = await client.get(
        EVENTS,
        params={"kind": "login_failed", "since": an_hour_ago_beijing.isoformat()},
        headers=admin,
    )
    assert in_beijing_time.json()["total"] == 1
    half_an_hour_ahead_beijing = (datetime.now(UTC) + timedelta(minutes=30)).astimezone(
        timezone(timedelta(hours=8))
    )
    ahead = await client.get(
        EVENTS,
        params={"kind": "login_failed", "since": half_an_hour_ahead_beijing.isoformat()},
        headers=admin,
    )
    assert ahead.json()["total"] == 0
    naive_utc = (datetime.now(UTC) - timedelta(minutes=5)).replace(tzinfo=None)
    naive = await client.get(
        EVENTS, params={"kind": "login_failed", "since": naive_utc.isoformat()}, headers=admin
    )
    assert naive.json()["total"] == 1
    too_early = await client.get(
        EVENTS, params={"kind": "login_failed", "since": "0001-01-01T00:00:00+01:00"}, headers=admin
    )
    assert too_early.status_code == 400
    assert too_early.json()["code"] == "security.since_out_of_range"


async def test_refused_refreshes_are_logged(client) -> None:
    await factories.user("inspector", "ins")
    tokens = (await login(client, "ins", factories.PASSWORD, "tab-1")).json()
    wrong_device = await client.post(
        "/api/v1/auth/refresh",
        json={"refresh_token": tokens["refresh_token"], "device_id": "tab-2"},
    )
    assert wrong_device.status_code == 401
    guessed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": "guess", "device_id": "tab-9"}
    )
    assert guessed.status_code == 401
    refused = await events("refused")
    assert [(e["device_id"], e["detail"]["code"]) for e in refused] == [
        ("tab-2", "auth.refresh_invalid"),
        ("tab-9", "auth.refresh_invalid"),
    ]
    assert {e["detail"]["operation"] for e in refused} == {"refresh"}
