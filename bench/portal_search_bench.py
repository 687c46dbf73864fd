"""Portal search over a million published results, against the bare full-text query.

    .venv/bin/python bench/portal_search_bench.py [--rows N] [--queries Q] [--no-postgres]
        [--profile FILE]

For each engine (a subprocess each: the Piccolo engine is fixed at import) a
fresh migrated database gets N published result versions (`publication` and
its searchable `public_entry` row, through the FTS5 trigram index on SQLite and
the pg_trgm GIN index on PostgreSQL). Q search terms — 3 to 4 character parts
of stored names, so each finds something, from a few rows to tens of
thousands — are run in a rotating order through:

- **bare**: the portal's search SQL straight through the driver (sqlite3 /
  psycopg), nothing around it;
- `server.portal.service.search(term)`: validation, the query through
  `server.db.reader`, rows shaped into the public answer (one page of 20, newest first);
- the JSON API `GET /api/v1/public/results?q=` and the HTML page `GET /search?q=`,
  each a request straight into the real app's ASGI callable (middleware, rate limit,
  hooks, routing, handler, encoding or rendering; no HTTP client or socket).

Then the other portal pages, each alternating with its own SQL bare: the home page
(latest 20), a business's history, an open data page of 100 at a random depth.

Reported: p50 and p99 of each, and p99 ours / p99 bare (target ≤ 2), with the
machine's load average before and after. `--profile FILE` runs the portal's side
under cProfile and writes the statistics (see docs/performance.md).
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("SUICHA_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = "suicha_bench_portal"

CITIES = ["鸡西市", "哈尔滨市", "牡丹江市", "佳木斯市", "大庆市", "齐齐哈尔市", "双鸭山市"]
DISTRICTS = ["鸡冠区", "恒山区", "滴道区", "城子河区", "梨树区", "麻山区", "虎林市", "密山市"]
WORDS = "福顺祥瑞鑫隆兴盛旺达华泰恒昌宏远和美嘉信德丰源通利好运来金银海天鸿运春秋龙凤"
TRADES = ["餐饮", "超市", "食品", "药店", "五金", "建材", "汽修", "烟酒", "粮油", "服装"]
FORMS = ["有限公司", "店", "经营部", "商行", "分公司", "饭店"]


def names(count: int, seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    return [
        rng.choice(CITIES)
        + rng.choice(DISTRICTS)
        + "".join(rng.choice(WORDS) for _ in range(rng.randint(2, 3)))
        + rng.choice(TRADES)
        + rng.choice(FORMS)
        for _ in range(count)
    ]


def terms(all_names: list[str], count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    picked = []
    for _ in range(count):
        name = rng.choice(all_names)
        length = rng.choice((3, 4))
        start = rng.randrange(0, len(name) - length + 1)
        picked.append(name[start : start + length])
    return picked


# --- in the engine's subprocess --------------------------------------------------------


async def fill(url: str, rows: int) -> None:
    """Migrate, then write one task and `rows` publication versions with their search rows."""
    from server.db.migrate import migrate

    await migrate()
    from server.draws.tables import Draw
    from server.plans.tables import Plan
    from server.rosters.tables import Department, InspectionObject
    from server.tasks.tables import Task

    now = datetime.now(UTC)
    dep = await Department.insert(
        Department(code="SCJG", name="市场监督管理局", level="city", region="230300")
    ).returning(Department.id)
    plan = await Plan.insert(
        Plan(
            code="BENCH-1",
            name="基准计划",
            year=2026,
            lead_department=dep[0]["id"],
            status="drawn",
            window_start=date(2026, 1, 1),
            window_end=date(2026, 12, 31),
            created_at=now,
            updated_at=now,
        )
    ).returning(Plan.id)
    draw = await Draw.insert(
        Draw(public_id="D-BENCH", plan=plan[0]["id"], status="sealed", scheduled_at=now)
    ).returning(Draw.id)
    obj = await InspectionObject.insert(
        InspectionObject(credit_code="91230300000000001X", name="基准企业", updated_at=now)
    ).returning(InspectionObject.id)
    task = await Task.insert(
        Task(draw=draw[0]["id"], object=obj[0]["id"], due_date=date(2026, 12, 31), updated_at=now)
    ).returning(Task.id)
    task_id = task[0]["id"]
    all_names = names(rows)
    day0 = date(2024, 1, 1)
    publications = ((task_id, i + 1, now, "bench", "", "{}", f"{i:064x}") for i in range(rows))
    entries = (
        (
            i + 1,
            task_id,
            i + 1,
            True,
            f"9123030{i:010d}X",
            all_names[i],
            "市场监督管理局",
            "SCJG",
            "BENCH-1",
            "基准计划",
            "抽查",
            day0 + timedelta(days=i % 900),
            day0 + timedelta(days=i % 900 + 10),
            "1",
            "未发现问题",
        )
        for i in range(rows)
    )
    pub_cols = (
        "task",
        "version",
        "published_at",
        "published_by",
        "reason",
        "record",
        "record_hash",
    )
    entry_cols = (
        "publication",
        "task",
        "version",
        "current",
        "credit_code",
        "name",
        "authority",
        "department_code",
        "plan_code",
        "plan_name",
        "kind",
        "inspected_on",
        "published_on",
        "result_codes",
        "results_zh",
    )
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            # Index the names once at the end instead of row by row (fill time is not measured).
            trigger = conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'public_entry_fts_insert'"
            ).fetchone()[0]
            conn.execute("DROP TRIGGER public_entry_fts_insert")
            conn.executemany(
                f"INSERT INTO publication ({', '.join(pub_cols)}) VALUES (?,?,?,?,?,?,?)",
                ((t, v, at.isoformat(), b, r, rec, h) for t, v, at, b, r, rec, h in publications),
            )
            conn.executemany(
                f"INSERT INTO public_entry ({', '.join(entry_cols)}) VALUES "
                f"({', '.join('?' * len(entry_cols))})",
                (
                    tuple(v.isoformat() if isinstance(v, date) else v for v in row)
                    for row in entries
                ),
            )
            conn.execute("INSERT INTO public_entry_fts (public_entry_fts) VALUES ('rebuild')")
            conn.execute(trigger)
            conn.execute("ANALYZE")
    else:
        import psycopg

        with psycopg.connect(url) as conn:
            with conn.cursor().copy(f"COPY publication ({', '.join(pub_cols)}) FROM STDIN") as copy:
                for row in publications:
                    copy.write_row(row)
            with conn.cursor().copy(
                f"COPY public_entry ({', '.join(entry_cols)}) FROM STDIN"
            ) as copy:
                for row in entries:
                    copy.write_row(row)
            conn.execute("ANALYZE")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def asgi_get(app: Any, path: str) -> tuple[int, bytes]:
    """One GET straight into the ASGI app: the server's whole path (middleware, hooks,
    routing, handler, rendering), without an HTTP client's or socket's cost on either side."""
    route, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    asked = False

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client never hangs up
        raise AssertionError

    status: list[int] = []
    body: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    return status[0], b"".join(body)


def summary(ours: list[float], bare: list[float]) -> dict[str, float]:
    return {
        "ours_p50": percentile(ours, 50) * 1000,
        "ours_p99": percentile(ours, 99) * 1000,
        "bare_p50": percentile(bare, 50) * 1000,
        "bare_p99": percentile(bare, 99) * 1000,
    }


async def measure(
    url: str, rows: int, queries: int, profile: str | None
) -> dict[str, dict[str, float]]:
    """Each search term through the bare SQL, `service.search`, the JSON API and the HTML
    page, in a rotating order; then the other portal pages against their own bare SQL."""
    import cProfile

    from server.app import create_app
    from server.portal import queries as portal_queries
    from server.portal import service

    sqlite = url.startswith("sqlite")
    if sqlite:
        raw: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
        placeholder = "?"
    else:
        import psycopg

        raw = psycopg.connect(url, autocommit=True)
        placeholder = "%s"

    def bare(sql: str, *args: Any) -> list[Any]:
        return raw.execute(sql.replace("{}", placeholder), args).fetchall()

    def bare_search(term: str) -> list[Any]:
        found = bare(
            portal_queries.name_search_sql(20, 0),
            portal_queries.fts_phrase(term) if sqlite else portal_queries.like_pattern(term),
        )
        assert found
        return found

    app = create_app()
    profiler = cProfile.Profile() if profile else None

    async def ours(call: Any) -> float:
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        await call()
        elapsed = time.perf_counter() - start
        if profiler:
            profiler.disable()
        return elapsed

    async def get(path: str) -> None:
        status, body = await asgi_get(app, path)
        assert status == 200, (path, status, body[:300])

    search_terms = terms(names(rows), queries)
    for term in search_terms[:10]:  # warm caches and connections on both sides
        await service.search(term)
        await get(f"/search?q={quote(term)}")
        bare_search(term)
    sides: dict[str, Any] = {
        "service.search": lambda term: lambda: service.search(term),
        "GET /api/v1/public/results?q=": lambda term: (
            lambda: get(f"/api/v1/public/results?q={quote(term)}")
        ),
        "GET /search?q= (HTML)": lambda term: lambda: get(f"/search?q={quote(term)}"),
    }
    times: dict[str, list[float]] = {name: [] for name in ("bare", *sides)}
    for i, term in enumerate(search_terms):
        order = ["bare", *sides]
        order = order[i % len(order) :] + order[: i % len(order)]
        for side in order:
            if side == "bare":
                start = time.perf_counter()
                bare_search(term)
                times["bare"].append(time.perf_counter() - start)
            else:
                times[side].append(await ours(sides[side](term)))
    results = {name: summary(times[name], times["bare"]) for name in sides}

    # The other pages, each against its own SQL (a business of the table, an open data
    # page of 100 at a random depth, the home page's latest 20).
    rng = random.Random(5)
    codes = [f"9123030{rng.randrange(rows):010d}X" for _ in range(queries)]
    offsets = [rng.randrange(rows // 100) * 100 for _ in range(queries)]
    open_sql, _ = portal_queries.open_data_sql(
        start=None, end=None, department=None, plan=None, limit=100, offset=0
    )
    pages: dict[str, tuple[Any, Any]] = {
        "GET / (HTML, latest 20)": (
            lambda i: lambda: get("/"),
            lambda i: bare(portal_queries.latest_sql(20)),
        ),
        "GET /businesses/{code} (HTML)": (
            lambda i: lambda: get(f"/businesses/{codes[i]}"),
            lambda i: bare(portal_queries.history_sql(service.HISTORY_LIMIT), codes[i]),
        ),
        "GET /api/v1/public/open-data.json?limit=100&offset=…": (
            lambda i: lambda: get(f"/api/v1/public/open-data.json?limit=100&offset={offsets[i]}"),
            lambda i: bare(open_sql.replace("OFFSET 0", f"OFFSET {offsets[i]}")),
        ),
    }
    for name, (page, page_bare) in pages.items():
        await page(0)()
        page_bare(0)
        ours_times: list[float] = []
        bare_times: list[float] = []
        for i in range(queries):
            for side in (0, 1) if i % 2 else (1, 0):
                if side == 0:
                    ours_times.append(await ours(page(i)))
                else:
                    start = time.perf_counter()
                    page_bare(i)
                    bare_times.append(time.perf_counter() - start)
        results[name] = summary(ours_times, bare_times)
    raw.close()
    if profiler and profile:
        profiler.dump_stats(profile)
    return results


def child(url: str, rows: int, queries: int, profile: str | None) -> None:
    os.environ["SUICHA_DATABASE_URL"] = url
    import server  # noqa: F401  (sets PICCOLO_CONF before any table import)

    async def main() -> dict[str, Any]:
        import server.portal.service  # noqa: F401  (imported before the long fill)
        from server.db.transaction import current_engine

        engine = current_engine()
        start = time.perf_counter()
        await fill(url, rows)
        filled = time.perf_counter() - start
        if hasattr(engine, "start_connection_pool"):
            await engine.start_connection_pool()
        load_before = os.getloadavg()[0]
        results = await measure(url, rows, queries, profile)
        load_after = os.getloadavg()[0]
        if hasattr(engine, "close_connection_pool"):
            await engine.close_connection_pool()
        return {"results": results, "fill_s": filled, "load": [load_before, load_after]}

    print(json.dumps(asyncio.run(main())))


# --- the parent ------------------------------------------------------------------------


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


def run_engine(name: str, url: str, args: argparse.Namespace, profile: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", url, "--rows", str(args.rows)]
    command += ["--queries", str(args.queries)] + (["--profile", profile] if profile else [])
    output = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        # One client asks thousands of times a minute here: the portal's per-client rate
        # limit (120 a minute) is raised for the bench, its bookkeeping still runs.
        env={**os.environ, "SUICHA_SCHEDULER": "off", "SUICHA_PORTAL_RATE_PER_MINUTE": "10000000"},
    )
    if output.returncode != 0:
        raise SystemExit(f"{name} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="cProfile the portal's side (not the bare queries) and write the statistics to "
        "FILE (SQLite) and FILE-postgres",
    )
    parser.add_argument("--child", metavar="URL")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows, args.queries, args.profile)
        return
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="suicha-portal-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        runs["SQLite (FTS5 trigram)"] = run_engine("SQLite", url, args, args.profile or "")
    if not args.no_postgres:
        pg = fresh_pg_database()
        if pg:
            profile = f"{args.profile}-postgres" if args.profile else ""
            runs["PostgreSQL (pg_trgm GIN)"] = run_engine("PostgreSQL", pg, args, profile)
    print(f"portal over {args.rows:,} published results, {args.queries} requests per row")
    print(
        "| engine | load avg | what | bare p50 ms | bare p99 ms | ours p50 ms | ours p99 ms "
        "| p99 ours/bare |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for engine, run in runs.items():
        load = "–".join(f"{x:.1f}" for x in run["load"])
        for what, r in run["results"].items():
            print(
                f"| {engine} | {load} | {what} | {r['bare_p50']:.2f} | {r['bare_p99']:.2f} | "
                f"{r['ours_p50']:.2f} | {r['ours_p99']:.2f} | "
                f"**{r['ours_p99'] / r['bare_p99']:.2f}** |"
            )
        print(f"<!-- {engine}: filled in {run['fill_s']:.0f} s -->")


if __name__ == "__main__":
    main()
