"""Refresh-token reuse detection, logout, and disabling an account."""

from __future__ import annotations

from typing import Any

from server.accounts.tables import DeviceSession
from server.audit.tables import AuditEntry
from tests.server import factories


async def login(client: Any, username: str, device: str) -> dict[str, Any]:
    answer = await client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": factories.PASSWORD, "device_id": device},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def refresh(client: Any, token: str, device: str) -> Any:
    return await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": token, "device_id": device}
    )


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def me(client: Any, tokens: dict[str, Any]) -> Any:
    return await client.get("/api/v1/auth/me", headers=bearer(tokens))


async def test_a_replayed_refresh_token_ends_the_whole_family(client) -> None:
    await factories.user("inspector", "ins")
    first = await login(client, "ins", "tab-1")
    second_login = await login(client, "ins", "tab-1")
    other_device = await login(client, "ins", "tab-2")
    stolen = first["refresh_token"]

    rotated = await refresh(client, stolen, "tab-1")
    assert rotated.status_code == 200
    successor = rotated.json()
    used = await refresh(client, successor["refresh_token"], "tab-1")  # the successor is used
    assert used.status_code == 200
    current = used.json()

    replay = await refresh(client, stolen, "tab-1")
    assert replay.status_code == 401
    assert replay.json()["code"] == "auth.refresh_reused"
    assert replay.json()["detail"]["zh"] and replay.json()["detail"]["en"]

    # Every session of that device ended: the legitimate current tokens and the
    # device's other login; another device is untouched.
    assert (await me(client, current)).json()["code"] == "auth.session_ended"
    assert (await me(client, second_login)).json()["code"] == "auth.session_ended"
    assert (await refresh(client, current["refresh_token"], "tab-1")).status_code == 401
    assert (await me(client, other_device)).status_code == 200
    # A replay from another device id is a replay too.
    again = await refresh(client, stolen, "tab-9")
    assert again.json()["code"] == "auth.refresh_reused"
    # The device is not revoked: its owner logs in again.
    fresh = await login(client, "ins", "tab-1")
    assert (await me(client, fresh)).status_code == 200


async def test_the_grace_keeps_a_token_until_its_successor_is_used(client) -> None:
    await factories.user("inspector", "ins")
    tokens = await login(client, "ins", "tab-1")
    old = tokens["refresh_token"]
    lost_answers = [await refresh(client, old, "tab-1") for _ in range(3)]
    assert [a.status_code for a in lost_answers] == [200, 200, 200]
    # The earlier answers were replaced unused: presenting one is a replay.
    replaced = await refresh(client, lost_answers[0].json()["refresh_token"], "tab-1")
    assert replaced.json()["code"] == "auth.refresh_reused"


async def test_the_grace_then_successor_use_retires_the_old_token(client) -> None:
    await factories.user("inspector", "ins")
    tokens = await login(client, "ins", "tab-1")
    old = tokens["refresh_token"]
    retried = await refresh(client, old, "tab-1")
    assert retried.status_code == 200
    used = await refresh(client, retried.json()["refresh_token"], "tab-1")
    assert used.status_code == 200
    assert (await refresh(client, old, "tab-1")).json()["code"] == "auth.refresh_reused"


async def test_logout_ends_only_the_current_session(client) -> None:
    await factories.user("inspector", "ins")
    here = await login(client, "ins", "tab-1")
    there = await login(client, "ins", "tab-2")
    out = await client.post("/api/v1/auth/logout", headers=bearer(here))
    assert out.status_code == 200
    assert out.json() == {"device_id": "tab-1", "ended_sessions": 1}
    assert (await me(client, here)).json()["code"] == "auth.session_ended"
    assert (await refresh(client, here["refresh_token"], "tab-1")).json()["code"] == (
        "auth.session_ended"
    )
    assert (await me(client, there)).status_code == 200
    devices = await client.get("/api/v1/auth/devices", headers=bearer(there))
    ended = {d["device_id"]: d["ended_at"] for d in devices.json()}
    assert ended["tab-1"] is not None and ended["tab-2"] is None
    # Logged out is not revoked: the device logs in again.
    assert (await me(client, await login(client, "ins", "tab-1"))).status_code == 200


async def test_logout_needs_a_login(client) -> None:
    answer = await client.post("/api/v1/auth/logout")
    assert answer.status_code == 401
    assert answer.json()["code"] == "auth.token_missing"


async def test_a_disabled_account_stops_at_once_and_comes_back_when_enabled(client) -> None:
    user_id = await factories.user("inspector", "ins")
    admin = await factories.login_as(client, "admin", None)
    tokens = await login(client, "ins", "tab-1")

    disabled = await client.post(f"/api/v1/users/{user_id}/disable", headers=admin)
    assert disabled.status_code == 200
    assert disabled.json()["active"] is False
    assert disabled.json()["username"] == "ins"
    assert (await me(client, tokens)).status_code == 401
    assert (await refresh(client, tokens["refresh_token"], "tab-1")).status_code == 401
    relogin = await client.post(
        "/api/v1/auth/login",
        json={"username": "ins", "password": factories.PASSWORD, "device_id": "tab-1"},
    )
    assert relogin.status_code == 403
    assert relogin.json()["code"] == "auth.account_disabled"
    assert await DeviceSession.count().where(DeviceSession.ended_at.is_null()) == 1  # the admin's

    enabled = await client.post(f"/api/v1/users/{user_id}/enable", headers=admin)
    assert enabled.status_code == 200 and enabled.json()["active"] is True
    # The old sessions stay ended; a new login works.
    assert (await me(client, tokens)).status_code == 401
    assert (await me(client, await login(client, "ins", "tab-1"))).status_code == 200
    actions = await AuditEntry.select(AuditEntry.action).where(AuditEntry.entity_id == str(user_id))
    assert [a["action"] for a in actions][-2:] == ["user.disable", "user.enable"]


async def test_only_admins_disable_and_never_themselves(client) -> None:
    user_id = await factories.user("inspector", "ins")
    lead = await factories.login_as(client, "team_lead")
    refused = await client.post(f"/api/v1/users/{user_id}/disable", headers=lead)
    assert refused.status_code == 403
    assert refused.json()["code"] == "auth.forbidden_role"
    admin = await factories.login_as(client, "admin", None)
    me_now = (await client.get("/api/v1/auth/me", headers=admin)).json()
    self_disable = await client.post(f"/api/v1/users/{me_now['id']}/disable", headers=admin)
    assert self_disable.status_code == 409
    assert self_disable.json()["code"] == "accounts.cannot_disable_self"
    assert (await client.get("/api/v1/auth/me", headers=admin)).status_code == 200
    missing = await client.post("/api/v1/users/999999/disable", headers=admin)
    assert missing.status_code == 404
    active = await client.get("/api/v1/users/", headers=admin)
    assert all(u["active"] for u in active.json()["items"])


async def test_twelve_replays_of_a_superseded_token_are_all_refused(client) -> None:
    """The issue's probe: a superseded refresh token was accepted 12 times in a row,
    and each replay logged the real device out."""
    await factories.user("inspector", "ins")
    tokens = await login(client, "ins", "tab-1")
    superseded = tokens["refresh_token"]
    successor = (await refresh(client, superseded, "tab-1")).json()
    device = (await refresh(client, successor["refresh_token"], "tab-1")).json()
    replays = [await refresh(client, superseded, "tab-1") for _ in range(12)]
    assert [r.status_code for r in replays] == [401] * 12
    assert {r.json()["code"] for r in replays} == {"auth.refresh_reused"}
    # The replays minted nothing: the only tokens ever issued after the theft are dead,
    # and the device's owner is told to log in again rather than silently swapped out.
    assert (await me(client, device)).json()["code"] == "auth.session_ended"
    assert await DeviceSession.count().where(DeviceSession.ended_at.is_null()) == 0
