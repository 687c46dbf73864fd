"""Login backoff per user name and per client address, answered 429 with Retry-After."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from server.accounts import passwords
from server.accounts.tables import DeviceSession, LoginThrottle
from shared.errors import SuichaError
from tests.server import factories

LOGIN = "/api/v1/auth/login"


def attempt(username: str, password: str = "wrong password", device: str = "d-1") -> dict:
    return {"username": username, "password": password, "device_id": device}


async def fail(client: httpx.AsyncClient, username: str, times: int) -> list[int]:
    return [(await client.post(LOGIN, json=attempt(username))).status_code for _ in range(times)]


async def unblock_all() -> None:
    """Let every block end now, as waiting it out would (without sleeping in a test)."""
    await LoginThrottle.update(
        {LoginThrottle.blocked_until: datetime.now(UTC) - timedelta(seconds=1)}, force=True
    )


async def test_an_account_is_throttled_after_its_free_failures(client, auth_env) -> None:
    auth_env(SUICHA_LOGIN_ACCOUNT_FREE_FAILURES="3", SUICHA_LOGIN_BACKOFF_BASE_SECONDS="30")
    await factories.user("team_lead", "lead")
    assert await fail(client, "lead", 3) == [401, 401, 401]
    sessions_before = await DeviceSession.count()

    # The fourth failure is still checked (401) and starts a 30 s block.
    assert await fail(client, "lead", 1) == [401]
    throttled = await client.post(LOGIN, json=attempt("lead"))
    assert throttled.status_code == 429
    body = throttled.json()
    assert body["code"] == "auth.login_throttled"
    assert 0 < body["retry_after"] <= 30
    assert throttled.headers["Retry-After"] == str(body["retry_after"])
    assert str(body["retry_after"]) in body["detail"]["zh"]
    assert body["detail"]["en"]

    # Even the right password is not checked while blocked: nothing tells the
    # attacker it was right, and no session is opened.
    right = await client.post(LOGIN, json=attempt("lead", factories.PASSWORD))
    assert right.status_code == 429
    assert await DeviceSession.count() == sessions_before


async def test_the_wait_grows_with_each_failure(client, auth_env) -> None:
    auth_env(SUICHA_LOGIN_ACCOUNT_FREE_FAILURES="1", SUICHA_LOGIN_BACKOFF_BASE_SECONDS="10")
    waits = []
    assert await fail(client, "nobody", 1) == [401]  # the one free failure
    for _ in range(3):
        assert await fail(client, "nobody", 1) == [401]
        blocked = await client.post(LOGIN, json=attempt("nobody"))
        assert blocked.status_code == 429
        waits.append(blocked.json()["retry_after"])
        await unblock_all()
    assert waits[0] <= 10 < waits[1] <= 20 < waits[2] <= 40


async def test_unknown_and_real_user_names_are_throttled_alike(client, auth_env) -> None:
    """A 429 must not tell which accounts exist."""
    auth_env(SUICHA_LOGIN_ACCOUNT_FREE_FAILURES="2", SUICHA_LOGIN_BACKOFF_BASE_SECONDS="30")
    await factories.user("team_lead", "lead")
    real = await fail(client, "lead", 4)
    unknown = await fail(client, "no-such-user", 4)
    assert real == unknown == [401, 401, 401, 429]


async def test_a_client_address_is_throttled_across_user_names(client, auth_env) -> None:
    auth_env(SUICHA_LOGIN_ADDRESS_FREE_FAILURES="3", SUICHA_LOGIN_BACKOFF_BASE_SECONDS="30")
    await factories.user("team_lead", "lead")
    statuses = [
        (await client.post(LOGIN, json=attempt(f"guess-{i}"))).status_code for i in range(4)
    ]
    assert statuses == [401, 401, 401, 401]
    # Now the address is blocked, whichever name it tries, right password or not.
    blocked = await client.post(LOGIN, json=attempt("lead", factories.PASSWORD))
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "auth.login_throttled"
    # Another address is not affected.
    elsewhere = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=client._transport.app, client=("203.0.113.9", 5000)),
        base_url="http://testserver",
    )
    async with elsewhere:
        ok = await elsewhere.post(LOGIN, json=attempt("lead", factories.PASSWORD))
    assert ok.status_code == 200


async def test_a_successful_login_looks_the_same_after_a_block(client, auth_env) -> None:
    auth_env(SUICHA_LOGIN_ACCOUNT_FREE_FAILURES="2", SUICHA_LOGIN_BACKOFF_BASE_SECONDS="30")
    await factories.user("team_lead", "lead")
    await factories.user("team_lead", "calm")
    before = await client.post(LOGIN, json=attempt("calm", factories.PASSWORD))
    assert await fail(client, "lead", 3) == [401, 401, 401]
    assert (await client.post(LOGIN, json=attempt("lead"))).status_code == 429
    await unblock_all()
    after = await client.post(LOGIN, json=attempt("lead", factories.PASSWORD))
    assert after.status_code == before.status_code == 200
    assert set(after.json()) == set(before.json())
    assert set(after.headers) == set(before.headers)
    # The success cleared the account's streak: a new typo starts from zero.
    assert await fail(client, "lead", 2) == [401, 401]


async def test_counters_live_in_the_database_for_every_process(client, auth_env) -> None:
    """A second app instance (another worker process) sees the same block."""
    from server.app import create_app

    auth_env(SUICHA_LOGIN_ACCOUNT_FREE_FAILURES="1", SUICHA_LOGIN_BACKOFF_BASE_SECONDS="30")
    assert await fail(client, "lead", 3) == [401, 401, 429]
    other = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(), client=("198.51.100.7", 4000)),
        base_url="http://testserver",
    )
    async with other:
        answer = await other.post(LOGIN, json=attempt("lead"))
    assert answer.status_code == 429
    assert await LoginThrottle.exists().where(LoginThrottle.key == "account:lead")


async def test_password_checks_beyond_the_bound_are_refused_busy(db, auth_env) -> None:
    auth_env(SUICHA_LOGIN_CONCURRENCY="2", SUICHA_LOGIN_WAIT_SECONDS="0.05")
    async with passwords.password_check(), passwords.password_check():
        try:
            await passwords.verify_password(factories._PASSWORD_HASH, factories.PASSWORD)
        except SuichaError as busy:
            assert busy.code == "auth.login_busy"
            assert busy.status == 429
            assert busy.extra["retry_after"] == 1
        else:
            raise AssertionError("a third password check ran beside two")
    # Turns freed: checks run again.
    assert await passwords.verify_password(factories._PASSWORD_HASH, factories.PASSWORD)


async def test_a_busy_login_answers_429_with_retry_after(client, auth_env) -> None:
    auth_env(SUICHA_LOGIN_CONCURRENCY="1", SUICHA_LOGIN_WAIT_SECONDS="0.05")
    await factories.user("team_lead", "lead")
    async with passwords.password_check():
        busy = await client.post(LOGIN, json=attempt("lead", factories.PASSWORD))
    assert busy.status_code == 429
    assert busy.json()["code"] == "auth.login_busy"
    assert busy.headers["Retry-After"] == "1"
    # A busy answer is not a failure: it does not count toward the backoff.
    assert not await LoginThrottle.exists().where(LoginThrottle.key == "account:lead")
    assert (await client.post(LOGIN, json=attempt("lead", factories.PASSWORD))).status_code == 200


async def test_login_fields_are_bounded(client) -> None:
    for body in (
        attempt("x" * 65),
        attempt("lead", "p" * 257),
        attempt("lead", device="d" * 129),
        attempt(""),
    ):
        answer = await client.post(LOGIN, json=body)
        assert answer.status_code == 400, answer.text
        assert answer.json()["code"] == "request.invalid"


async def test_concurrent_wrong_logins_all_get_a_clean_answer(client, auth_env) -> None:
    auth_env(SUICHA_LOGIN_CONCURRENCY="2", SUICHA_LOGIN_WAIT_SECONDS="30")
    await factories.user("team_lead", "lead")
    answers = await asyncio.gather(
        *(client.post(LOGIN, json=attempt("lead", device=f"d-{i}")) for i in range(12))
    )
    assert {a.status_code for a in answers} <= {401, 429}
    assert all(a.json()["code"].startswith("auth.") for a in answers)


async def test_a_login_prunes_forgotten_counters_and_dead_retired_tokens(client) -> None:
    from server.accounts.tables import RetiredRefreshToken

    await factories.user("team_lead", "lead")
    long_ago = datetime.now(UTC) - timedelta(days=2)
    await LoginThrottle.insert(
        LoginThrottle(key="account:old", failures=9, last_failure_at=long_ago, blocked_until=None),
        LoginThrottle(
            key="address:203.0.113.1",
            failures=40,
            last_failure_at=datetime.now(UTC),
            blocked_until=datetime.now(UTC) + timedelta(seconds=100),
        ),
    )
    tokens = (await client.post(LOGIN, json=attempt("lead", factories.PASSWORD))).json()
    first = await client.post(
        "/api/v1/auth/refresh",
        json={"refresh_token": tokens["refresh_token"], "device_id": "d-1"},
    )
    await client.post(
        "/api/v1/auth/refresh",
        json={"refresh_token": first.json()["refresh_token"], "device_id": "d-1"},
    )
    assert await RetiredRefreshToken.count() == 1
    # That session's refresh lifetime ends; its retired token can no longer matter.
    await DeviceSession.update({DeviceSession.refresh_expires_at: long_ago}, force=True)

    assert (await client.post(LOGIN, json=attempt("lead", factories.PASSWORD))).status_code == 200
    keys = {row["key"] for row in await LoginThrottle.select(LoginThrottle.key)}
    assert keys == {"address:203.0.113.1"}  # the live block stays
    assert await RetiredRefreshToken.count() == 0
