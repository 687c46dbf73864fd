"""schemathesis against the real server: every operation, anonymous and once per role.

The server runs as its own process on loopback (`ServerProcess`) over a
database holding a drawn joint plan, so operations meet real rows. Each run
drives every operation of `/schema/openapi.json` with a few generated cases
(`--max-examples`), one worker (two crash hypothesis on CPython 3.11), and two
checks: no 5xx, and every answer matches its documented schema.

Operations that end the caller's own session (logout, revoking a device or
disabling an account) would log the run out part-way; the role runs skip them,
and a last run fuzzes just those with a throw-away session of each role.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import factories
from tests.server.draws import world
from tests.server.draws.ceremony import full_draw, published_plan, staff
from tests.support.live_server import ServerProcess

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = os.environ.get("SUICHA_FUZZ_EXAMPLES", "3")
"""Generated cases per operation in the fuzzing phase (the coverage phase adds its
own deterministic boundary cases: missing, empty, too long, out of range, wrong types)."""
REPORT = Path(os.environ.get("SUICHA_FUZZ_REPORT", "/tmp/suicha-schemathesis.txt"))
ROLES = ["observer", "inspector", "back_office", "team_lead", "admin"]
"""Least to most powerful: the admin, who can disable accounts, goes last."""
SESSION_ENDING = r"/auth/logout$|/devices/[^/]+/revoke$|/users/[^/]+/disable$"
"""Operations that can revoke the caller's own session or account."""


def schemathesis(
    url: str, report: Path, headers: dict[str, str], phases: str, *filters: str
) -> dict:
    """One run: its exit status and the end of what it printed."""
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{url}/schema/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--phases",
        phases,
        "--max-examples",
        MAX_EXAMPLES,
        "--workers",
        "1",
        "--seed",
        "2026",
        "--no-shrink",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        *filters,
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    done = subprocess.run(
        # In the run's own folder: schemathesis keeps a .schemathesis/ cache where it runs.
        command,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=report.parent,
    )
    return {"exit": done.returncode, "out": done.stdout[-20000:], "err": done.stderr[-4000:]}


def fuzz_every_session(
    url: str, sessions: dict[str, dict[str, str]], throwaway: dict[str, dict[str, str]], work: Path
) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name, headers in sessions.items():
        # Without a token every guarded operation answers 401 before reading
        # anything: the boundary cases of the coverage phase add nothing there.
        phases = "fuzzing,stateful" if name == "anonymous" else "coverage,fuzzing,stateful"
        results[name] = schemathesis(
            url, work / f"{name}.ndjson", headers, phases, "--exclude-path-regex", SESSION_ENDING
        )
    for role, headers in throwaway.items():
        results[f"{role}, session-ending operations"] = schemathesis(
            url,
            work / f"{role}-ending.ndjson",
            headers,
            "coverage,fuzzing",
            "--include-path-regex",
            SESSION_ENDING,
        )
    return results


def write_report(results: dict[str, dict], server_log: str) -> str:
    """The failed runs' output (each failure names its operation), also kept in REPORT."""
    failed = {name: r for name, r in results.items() if r["exit"] != 0}
    summary = "\n\n".join(f"== {name} ==\n{r['out']}\n{r['err']}" for name, r in failed.items())
    exits = json.dumps({name: r["exit"] for name, r in results.items()}, ensure_ascii=False)
    REPORT.write_text(f"{exits}\n\n{summary}\n\n== server log ==\n{server_log}\n")
    return summary


@pytest.mark.slow
@pytest.mark.timeout(1800)
async def test_every_operation_anonymous_and_per_role_has_no_server_error(client, tmp_path) -> None:
    await world.build(objects_per_class=3)
    lead, observer = await staff(client)
    plan = await published_plan(client, lead)
    await full_draw(client, lead, observer, plan["id"])
    sessions: dict[str, dict[str, str]] = {"anonymous": {}}
    throwaway: dict[str, dict[str, str]] = {}
    for role in ROLES:
        department = None if role == "admin" else "SCJG"
        sessions[role] = await factories.login_as(client, role, department, device_id="fuzz")
        throwaway[role] = await factories.login_as(
            client, role, department, device_id=f"throwaway-{role}"
        )
    with ServerProcess() as server:
        results = fuzz_every_session(server.url, sessions, throwaway, tmp_path)
        summary = write_report(results, server.log_tail(20000))
    assert all(r["exit"] == 0 for r in results.values()), summary


def test_a_planted_server_error_and_schema_violation_fail_the_run(tmp_path) -> None:
    with ServerProcess(app="tests.support.planted_error_app:create_app") as server:
        result = schemathesis(server.url, tmp_path / "planted.ndjson", {}, "coverage,fuzzing")
    assert result["exit"] != 0
    assert "GET /api/v1/planted" in result["out"] and "Server error" in result["out"]
    assert "GET /api/v1/mismatch" in result["out"] and "Response violates schema" in result["out"]
