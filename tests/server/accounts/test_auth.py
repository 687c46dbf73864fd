"""Login, refresh, device binding and revocation."""

from __future__ import annotations

from tests.server import factories


async def test_login_gives_tokens_bound_to_the_device(client) -> None:
    await factories.user("team_lead", "lead")
    response = await client.post(
        "/api/v1/auth/login",
        json={"username": "lead", "password": factories.PASSWORD, "device_id": "tab-7"},
    )
    assert response.status_code == 200
    body = response.json()
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["device_id"] == "tab-7"
    assert me.json()["role"] == "team_lead"
    assert me.json()["department"] == "SCJG"


async def test_wrong_password_is_refused_with_a_stable_code(client) -> None:
    await factories.user("team_lead", "lead")
    response = await client.post(
        "/api/v1/auth/login", json={"username": "lead", "password": "nope", "device_id": "d"}
    )
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "auth.bad_credentials"
    assert body["detail"]["zh"] and body["detail"]["en"]


async def test_refresh_rotates_tokens_and_checks_the_device(client) -> None:
    await factories.user("inspector", "ins")
    login = await client.post(
        "/api/v1/auth/login",
        json={"username": "ins", "password": factories.PASSWORD, "device_id": "tab-1"},
    )
    refresh_token = login.json()["refresh_token"]
    other = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": refresh_token, "device_id": "tab-2"}
    )
    assert other.status_code == 401
    assert other.json()["code"] == "auth.refresh_invalid"
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": refresh_token, "device_id": "tab-1"}
    )
    assert rotated.status_code == 200
    old = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"}
    )
    assert old.status_code == 401
    newer = await client.post(
        "/api/v1/auth/refresh",
        json={"refresh_token": rotated.json()["refresh_token"], "device_id": "tab-1"},
    )
    assert newer.status_code == 200
    superseded = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": refresh_token, "device_id": "tab-1"}
    )
    assert superseded.status_code == 401
    assert superseded.json()["code"] == "auth.refresh_reused"


async def test_a_lost_refresh_answer_can_be_retried_with_the_same_token(client) -> None:
    await factories.user("inspector", "ins")
    login = await client.post(
        "/api/v1/auth/login",
        json={"username": "ins", "password": factories.PASSWORD, "device_id": "tab-1"},
    )
    body = {"refresh_token": login.json()["refresh_token"], "device_id": "tab-1"}
    lost = await client.post("/api/v1/auth/refresh", json=body)
    assert lost.status_code == 200
    retried = await client.post("/api/v1/auth/refresh", json=body)
    assert retried.status_code == 200
    assert retried.json()["access_token"] != lost.json()["access_token"]
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {retried.json()['access_token']}"}
    )
    assert me.status_code == 200
    lost_access = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {lost.json()['access_token']}"}
    )
    assert lost_access.status_code == 401


async def test_revoked_device_loses_access_refresh_and_login(client) -> None:
    user_id = await factories.user("inspector", "ins")
    headers = await factories.login(client, "ins", device_id="lost-tablet")
    other_device = await factories.login(client, "ins", device_id="new-tablet")
    admin = await factories.login_as(client, "admin", None)

    revoke = await client.post(f"/api/v1/users/{user_id}/devices/lost-tablet/revoke", headers=admin)
    assert revoke.status_code == 200
    assert revoke.json()["revoked_sessions"] == 1

    refused = await client.get("/api/v1/auth/me", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "auth.device_revoked"
    relogin = await client.post(
        "/api/v1/auth/login",
        json={"username": "ins", "password": factories.PASSWORD, "device_id": "lost-tablet"},
    )
    assert relogin.json()["code"] == "auth.device_revoked"
    assert (await client.get("/api/v1/auth/me", headers=other_device)).status_code == 200


async def test_a_user_may_revoke_only_their_own_devices(client) -> None:
    await factories.user("inspector", "ins")
    victim = await factories.user("inspector", "other")
    await factories.login(client, "other", device_id="their-tablet")
    headers = await factories.login(client, "ins")
    response = await client.post(
        f"/api/v1/users/{victim}/devices/their-tablet/revoke", headers=headers
    )
    assert response.status_code == 403
    assert response.json()["code"] == "auth.forbidden_role"
