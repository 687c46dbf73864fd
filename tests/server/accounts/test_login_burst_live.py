"""80 concurrent wrong logins against a real server process on loopback.

Argon2id takes 64 MiB per password check. Without a bound, a burst of wrong
logins ran up to 40 checks at once (the thread pool's size) and took the
server from 416 MiB to 2.6 GiB. With the bound, the process's peak resident
memory (VmHWM) stays small, every answer is a clean 401 or 429, and the
account ends up in backoff.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.server import factories
from tests.support.live_server import ServerProcess

BURST = 80
PEAK_BOUND_MIB = 1024
"""Generous: the bounded server peaks far below it, the unbounded one far above."""


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set size (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc status")


async def test_a_burst_of_wrong_logins_keeps_memory_bounded(client, tmp_path) -> None:
    await factories.user("team_lead", "lead")
    env = {
        "SUICHA_DATA_DIR": str(tmp_path),
        "SUICHA_LOGIN_CONCURRENCY": "4",
        "SUICHA_LOGIN_WAIT_SECONDS": "2",
        # Long blocks, so the backoff asserted below cannot end while the test runs.
        "SUICHA_LOGIN_BACKOFF_BASE_SECONDS": "120",
        "SUICHA_LOGIN_BACKOFF_CAP_SECONDS": "600",
    }
    with ServerProcess(env=env) as server:
        assert server.process is not None
        pid = server.process.pid
        limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=BURST)
        async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits) as http:
            # Warm up one password check so the baseline includes the hasher itself.
            warm = await http.post(
                "/api/v1/auth/login",
                json={"username": "lead", "password": factories.PASSWORD, "device_id": "w"},
            )
            assert warm.status_code == 200
            baseline = peak_rss_mib(pid)
            answers = await asyncio.gather(
                *(
                    http.post(
                        "/api/v1/auth/login",
                        json={"username": "lead", "password": f"guess {i}", "device_id": f"d{i}"},
                    )
                    for i in range(BURST)
                )
            )
            peak = peak_rss_mib(pid)
            statuses = [a.status_code for a in answers]
            print(
                f"\n{BURST} concurrent wrong logins: peak RSS {baseline:.0f} MiB before, "
                f"{peak:.0f} MiB after (bound {PEAK_BOUND_MIB} MiB); "
                f"401: {statuses.count(401)}, 429: {statuses.count(429)}"
            )
            assert set(statuses) <= {401, 429}
            for answer in answers:
                body = answer.json()
                assert body["detail"]["zh"] and body["detail"]["en"]
                if answer.status_code == 429:
                    assert body["code"] in {"auth.login_busy", "auth.login_throttled"}
                    assert int(answer.headers["Retry-After"]) >= 1
                else:
                    assert body["code"] == "auth.bad_credentials"
            assert peak < PEAK_BOUND_MIB

            # The account is in backoff now (or after a few more failures at most).
            sequential = []
            for _ in range(7):
                answer = await http.post(
                    "/api/v1/auth/login",
                    json={"username": "lead", "password": "again", "device_id": "x"},
                )
                sequential.append(answer.status_code)
                if answer.status_code == 429:
                    assert answer.json()["code"] == "auth.login_throttled"
                    assert int(answer.headers["Retry-After"]) >= 1
                    break
            assert sequential[-1] == 429, sequential
        assert server.process.poll() is None, server.log_tail()
