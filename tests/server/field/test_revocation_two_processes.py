"""Revocation with the token cache on, across two server processes of one machine."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.server import factories
from tests.support.live_server import ServerProcess


async def test_revocation_in_one_process_refuses_the_next_request_in_the_other(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    user_id = await factories.user("inspector", "ins")
    await factories.user("admin", "boss", None)
    env = {"SUICHA_DATA_DIR": str(tmp_path)}
    with ServerProcess(env=env) as one, ServerProcess(env=env) as two:
        async with (
            httpx.AsyncClient(base_url=one.url, timeout=60) as first,
            httpx.AsyncClient(base_url=two.url, timeout=60) as second,
        ):
            login = await first.post(
                "/api/v1/auth/login",
                json={"username": "ins", "password": factories.PASSWORD, "device_id": "tab"},
            )
            assert login.status_code == 200
            device = {"Authorization": f"Bearer {login.json()['access_token']}"}
            admin_login = await first.post(
                "/api/v1/auth/login",
                json={"username": "boss", "password": factories.PASSWORD, "device_id": "pc"},
            )
            admin = {"Authorization": f"Bearer {admin_login.json()['access_token']}"}
            # Both processes now hold the device's principal in their caches.
            for server in (first, second, first, second):
                assert (await server.get("/api/v1/auth/me", headers=device)).status_code == 200

            revoke = await first.post(f"/api/v1/users/{user_id}/devices/tab/revoke", headers=admin)
            assert revoke.status_code == 200

            for server in (second, first):
                refused = await server.get("/api/v1/auth/me", headers=device)
                assert refused.status_code == 401
                assert refused.json()["code"] == "auth.device_revoked"
