"""Workspace list pages over 1,000,000 objects, against the bare SQL behind each.

    .venv/bin/python bench/workspace_bench.py [--objects N] [--requests R] [--no-postgres]
        [--pages "objects first,objects deep"]

For each engine (a subprocess each: the Piccolo engine is fixed at import) a fresh
migrated database gets N objects (raw executemany / COPY; the fill is not timed)
and one signed-in team lead. Each page below is requested R times through the
real app in process (httpx over ASGI: the session middleware's two lookups, the
guard, the query, the unread count, Jinja rendering), alternating with the bare
SQL of its main query through the driver (sqlite3 / psycopg, nothing around it):

- `objects first`: /workspace/rosters/objects (first page);
- `objects deep`: a keyset page at a random depth (`after=<id>`), as deep as page 20,000;
- `objects class+deep`: risk class C at a random depth;
- `objects region`: a region prefix at a random depth;
- `objects name`: a part of a name (LIKE '%…%', the database scans until 51 matches).

Reported per page: p50 and p99 of each side and p99 ours / p99 bare (target ≤ 3).
"Ours" is server time: from the moment the app is called with the request until it sends
the last byte of the answer (the in-process client's own work — building the request,
its cookie jar, its log line — is not the server's and is left out). `--pages` picks
pages by name (a comma-separated list of name parts) to rerun only some.
W2's pages add their rows to `PAGES`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("SUICHA_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = "suicha_bench_workspace"
REGIONS = ["230302", "230303", "230304", "230305", "230306", "230307", "230321", "230381"]
INDUSTRIES = ["F52", "H62", "F51", "C14", "O80", "H61", "K70", "L72"]


def object_rows(count: int, stamp: str, seed: int = 2026) -> Any:
    from shared.credit_code import check_character

    rng = random.Random(seed)
    for n in range(1, count + 1):
        first17 = f"91230300{n:09d}"
        yield (
            first17 + check_character(first17),
            f"鸡西市第{n}号商贸有限公司",
            "enterprise",
            rng.choice(INDUSTRIES),
            "[]",
            rng.choice(REGIONS),
            f"鸡西市和平路{rng.randint(1, 999)}号",
            rng.choice("ABBBCCD"),
            "active",
            False,
            0,
            "[]",
            stamp,
        )


COLUMNS = (
    "credit_code",
    "name",
    "kind",
    "industry_code",
    "licences",
    "region",
    "address",
    "risk_class",
    "status",
    "abnormal",
    "complaints",
    "tags",
    "updated_at",
)


async def fill(url: str, count: int) -> None:
    from server.db.migrate import migrate

    await migrate()
    stamp = datetime.now(UTC).isoformat()
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.executemany(
                f"INSERT INTO inspection_object ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(COLUMNS))})",
                object_rows(count, stamp),
            )
            conn.execute("ANALYZE")
    else:
        import psycopg

        with psycopg.connect(url) as conn:
            with conn.cursor().copy(
                f"COPY inspection_object ({', '.join(COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in object_rows(count, stamp):
                    copy.write_row(row)
            conn.execute("ANALYZE")


async def signed_in_cookie() -> str:
    from server.accounts import service as accounts
    from server.accounts.passwords import hash_password_sync
    from server.rosters.tables import Department
    from server.workspace.session import BrowserSession, new_csrf, new_device_id

    await Department.insert(Department(code="SCJG", name="市场监督管理局", level="city"))
    await accounts.create_user(
        "bench",
        username="lead",
        display_name="组长",
        password="",
        role="team_lead",
        department_code="SCJG",
        password_hash=hash_password_sync("bench password 1"),
    )
    device = new_device_id()
    pair = await accounts.login("lead", "bench password 1", device)
    return BrowserSession(device, pair.access_token, pair.refresh_token, new_csrf()).encode()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def bench_plan(cookie: str) -> int:
    """A draft joint plan of the signed-in lead over one region (W2's plan page and preview)."""
    from server.accounts import service as accounts
    from server.plans import service as plans
    from server.rosters.tables import Department, InspectionItem
    from server.workspace.session import BrowserSession

    session = BrowserSession.decode(cookie)
    assert session is not None
    principal = await accounts.authenticate(session.access_token)
    for code in ("SCJG", "YJGL"):
        if not await Department.exists().where(Department.code == code):
            await Department.insert(Department(code=code, name=f"{code}部门", level="city"))
        department = await Department.select(Department.id).where(Department.code == code).first()
        await InspectionItem.insert(
            InspectionItem(
                department=department["id"], code=f"{code}-01", name="检查", ratio_cap="0.05"
            )
        )
    plan_id, _ = await plans.create_plan(
        principal,
        {
            "code": "BENCH-1",
            "name": "基准测试计划",
            "year": 2026,
            "kind": "joint",
            "lead_department": "SCJG",
            "departments": {"SCJG": 1, "YJGL": 1},
            "items": ["SCJG-01", "YJGL-01"],
            "ratios": {"A": "0.01", "B": "0.02", "C": "0.03", "D": "0.05"},
            "scope": {"regions": [REGIONS[0]]},
            "general_cap": None,
            "key_full_coverage": False,
            "window_start": datetime(2026, 1, 1).date(),
            "window_end": datetime(2026, 12, 31).date(),
            "method": "on_site",
            "frequency": "",
            "repeat_window_days": 365,
            "cross_jurisdiction": False,
            "description": "",
        },
    )
    return plan_id


def pages(
    count: int, rng: random.Random, plan_id: int | None = None
) -> dict[str, Callable[[], tuple[str, Any]]]:
    """Page name → a function giving (workspace URL, the Piccolo query behind it)."""
    from server.rosters import queries
    from server.rosters.tables import InspectionObject
    from server.workspace.plan_queries import scope_count_query

    def keyset(filters: queries.ObjectFilter, after: int) -> Any:
        return (
            InspectionObject.select()
            .where(*queries._object_conditions(filters), InspectionObject.id > after)
            .order_by(InspectionObject.id)
            .limit(51)
        )

    def first() -> tuple[str, Any]:
        return "/workspace/rosters/objects", keyset(queries.ObjectFilter(), 0)

    def deep() -> tuple[str, Any]:
        after = rng.randrange(count - 100)
        return f"/workspace/rosters/objects?after={after}", keyset(queries.ObjectFilter(), after)

    def risk_deep() -> tuple[str, Any]:
        after = rng.randrange(count - 1000)
        return (
            f"/workspace/rosters/objects?risk_class=C&after={after}",
            keyset(queries.ObjectFilter(risk_class="C"), after),
        )

    def region() -> tuple[str, Any]:
        after = rng.randrange(count - 1000)
        code = rng.choice(REGIONS)[:6]
        return (
            f"/workspace/rosters/objects?region={code}&after={after}",
            keyset(queries.ObjectFilter(region=code), after),
        )

    def name() -> tuple[str, Any]:
        part = f"第{rng.randrange(1, count)}号"
        return (
            "/workspace/rosters/objects?q=" + part,
            keyset(queries.ObjectFilter(q=part), 0),
        )

    def plan_preview() -> tuple[str, Any]:
        # W2: the plan page with its preview, one grouped count over the plan's region
        return f"/workspace/plans/{plan_id}", scope_count_query({"regions": [REGIONS[0]]})

    return {
        **({"plan + scope count": plan_preview} if plan_id is not None else {}),
        "objects first": first,
        "objects deep": deep,
        "objects class+deep": risk_deep,
        "objects region": region,
        "objects name": name,
    }


class ServerClock:
    """Wraps the ASGI app: the time from its call to the last body message it sends."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last = 0.0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        start = time.perf_counter()

        async def timed_send(message: Any) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.last = time.perf_counter() - start
            await send(message)

        await self.app(scope, receive, timed_send)


async def measure(
    url: str, count: int, requests: int, chosen: list[str] | None = None
) -> dict[str, dict[str, float]]:
    import httpx

    from server.app import create_app

    cookie = await signed_in_cookie()
    plan_id = await bench_plan(cookie)
    if url.startswith("sqlite"):
        raw: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
    else:
        import psycopg

        raw = psycopg.connect(url, autocommit=True)

    def bare(sql: str) -> list[Any]:
        return raw.execute(sql).fetchall()

    rng = random.Random(11)
    results: dict[str, dict[str, float]] = {}
    clock = ServerClock(create_app())
    transport = httpx.ASGITransport(app=clock)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        client.cookies.set("suicha_workspace", cookie, path="/workspace")
        for page_name, make in pages(count, rng, plan_id).items():
            if chosen and not any(part in page_name for part in chosen):
                continue
            ours: list[float] = []
            theirs: list[float] = []
            for i in range(requests + 5):
                path, query = make()
                sql = str(query)
                order = (0, 1) if i % 2 else (1, 0)
                for side in order:
                    start = time.perf_counter()
                    if side == 0:
                        response = await client.get(path)
                        elapsed = clock.last
                        assert response.status_code == 200, response.text[:300]
                        if i >= 5:  # the first five warm caches and connections
                            ours.append(elapsed)
                    else:
                        bare(sql)
                        elapsed = time.perf_counter() - start
                        if i >= 5:
                            theirs.append(elapsed)
            results[page_name] = {
                "ours_p50": percentile(ours, 50) * 1000,
                "ours_p99": percentile(ours, 99) * 1000,
                "bare_p50": percentile(theirs, 50) * 1000,
                "bare_p99": percentile(theirs, 99) * 1000,
            }
    raw.close()
    return results


def child(url: str, count: int, requests: int, chosen: list[str] | None) -> None:
    os.environ["SUICHA_DATABASE_URL"] = url
    import server  # noqa: F401  (sets PICCOLO_CONF before any table import)

    async def main() -> dict[str, Any]:
        from server.db.transaction import current_engine

        engine = current_engine()
        start = time.perf_counter()
        await fill(url, count)
        filled = time.perf_counter() - start
        if hasattr(engine, "start_connection_pool"):
            await engine.start_connection_pool()
        result = await measure(url, count, requests, chosen)
        if hasattr(engine, "close_connection_pool"):
            await engine.close_connection_pool()
        return {"pages": result, "fill_s": filled}

    print(json.dumps(asyncio.run(main())))


def fresh_pg_database() -> str | None:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_BENCH_DB}"')
    except psycopg.Error as error:
        print(f"PostgreSQL skipped: {error}")
        return None
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{PG_BENCH_DB}"


def run_engine(
    name: str, url: str, count: int, requests: int, chosen: str | None
) -> dict[str, Any]:
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            url,
            "--objects",
            str(count),
            "--requests",
            str(requests),
            *(["--pages", chosen] if chosen else []),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "SUICHA_SCHEDULER": "off"},
    )
    if output.returncode != 0:
        raise SystemExit(f"{name} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--pages", help="only the pages whose name holds one of these parts")
    parser.add_argument("--child", metavar="URL")
    args = parser.parse_args()
    if args.child:
        chosen = args.pages.split(",") if args.pages else None
        child(args.child, args.objects, args.requests, chosen)
        return
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="suicha-workspace-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        results["SQLite"] = run_engine("SQLite", url, args.objects, args.requests, args.pages)
    if not args.no_postgres:
        pg = fresh_pg_database()
        if pg:
            results["PostgreSQL"] = run_engine(
                "PostgreSQL", pg, args.objects, args.requests, args.pages
            )
    print(f"workspace pages over {args.objects:,} objects, {args.requests} requests each")
    print(
        "| engine | page | bare p50 ms | bare p99 ms | ours p50 ms | ours p99 ms | p99 ours/bare |"
    )
    print("|---|---|---|---|---|---|---|")
    for engine, result in results.items():
        for page, r in result["pages"].items():
            print(
                f"| {engine} | {page} | {r['bare_p50']:.2f} | {r['bare_p99']:.2f} | "
                f"{r['ours_p50']:.2f} | {r['ours_p99']:.2f} | {r['ours_p99'] / r['bare_p99']:.2f} |"
            )


if __name__ == "__main__":
    main()
