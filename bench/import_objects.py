"""Benchmark: importing an object roster (检查对象名录库) from CSV.

Generates a CSV of N objects with valid credit codes, then in the same run:

- SQLite baseline: `csv.reader` over the file + raw `sqlite3.executemany` into a
  table of the same shape (the migrated table's own DDL and indexes), one commit.
- SQLite ours: `server.rosters.importing.import_file` into a fresh migrated
  database (validation of every row, upsert detection, change record, audit).
- PostgreSQL (if reachable) baseline: `csv.reader` + psycopg `COPY` of the same
  rows into a table of the same shape; ours: the same import into a fresh
  migrated PostgreSQL database.

ratio = baseline time / our time (1.0: as fast as the raw driver; target ≥ 0.5).
Our import runs in a subprocess per engine, because the Piccolo engine is
fixed when the server package is first imported; only the import call itself
is timed there.

    .venv/bin/python bench/import_objects.py [--objects N] [--no-postgres]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.rosters.bulk import OBJECT_COLUMNS as COLUMNS  # noqa: E402
from server.rosters.columns import OBJECTS  # noqa: E402

HEADER = [column.zh for column in OBJECTS.columns]
PG_ADMIN_URL = os.environ.get("SUICHA_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = "suicha_bench"


# --- data ---------------------------------------------------------------------------------


def generate_csv(path: Path, count: int, seed: int = 2026) -> None:
    from shared.credit_code import check_character

    rng = random.Random(seed)
    industries = ["F52", "H62", "F51", "C14", "O80", "H61", "K70", "L72"]
    regions = ["230302", "230303", "230304", "230305", "230306", "230307", "230321", "230381"]
    licences = ["食品经营许可证", "药品经营许可证", "", "特种设备使用登记证", "烟草专卖零售许可证"]
    tags = ["餐饮", "学校周边", "", "农贸市场", "旅游景区", "电梯使用单位"]
    streets = ["和平路", "中心大街", "红旗路", "兴国路", "电台路"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(1, count + 1):
            first17 = f"91230300{n:09d}"
            writer.writerow(
                [
                    first17 + check_character(first17),
                    f"鸡西市第{n}号商贸有限公司",
                    "企业",
                    rng.choice(industries),
                    rng.choice(licences),
                    rng.choice(regions),
                    f"鸡西市{rng.choice(streets)}{rng.randint(1, 999)}号",
                    rng.choice("ABBBCCD"),
                    "存续" if rng.random() > 0.05 else "注销",
                    # true/false rather than 是/否: the baseline COPY takes cells as they are
                    "true" if rng.random() < 0.03 else "false",
                    str(rng.randint(0, 3)),
                    ";".join(t for t in {rng.choice(tags), rng.choice(tags)} if t),
                ]
            )


def baseline_rows(path: Path, stamp: str) -> list[tuple[str, ...]]:
    """Rows as csv.reader gives them (no validation), plus the timestamp column."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(*row, stamp) for row in reader]


# --- SQLite -------------------------------------------------------------------------------


def object_table_ddl(migrated: Path) -> list[str]:
    with sqlite3.connect(migrated) as connection:
        return [
            sql
            for (sql,) in connection.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'inspection_object' "
                "AND sql IS NOT NULL ORDER BY type DESC"
            )
        ]


def sqlite_baseline(path: Path, ddl: list[str], workdir: Path) -> float:
    database = workdir / "baseline.db"
    database.unlink(missing_ok=True)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    for statement in ddl:
        connection.execute(statement)
    connection.commit()
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    marks = ", ".join("?" for _ in COLUMNS)
    sql = f'INSERT INTO "inspection_object" ({names}) VALUES ({marks})'
    started = time.perf_counter()
    rows = baseline_rows(path, "2026-01-01 00:00:00+00:00")
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(sql, rows)
    connection.commit()
    elapsed = time.perf_counter() - started
    count = connection.execute("SELECT count(*) FROM inspection_object").fetchone()[0]
    connection.close()
    assert count == len(rows)
    return elapsed


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_url(database: str) -> str:
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


def fresh_pg_database() -> str | None:
    """Drop and create the bench database; its URL, or None when PostgreSQL is unreachable."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}"')
            connection.execute(f'CREATE DATABASE "{PG_BENCH_DB}"')
    except Exception as error:  # any failure means: skip PostgreSQL, saying why
        print(f"PostgreSQL skipped: {error}", file=sys.stderr)
        return None
    return _pg_url(PG_BENCH_DB)


def pg_baseline(path: Path, url: str) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS baseline_object")
        connection.execute("CREATE TABLE baseline_object (LIKE inspection_object INCLUDING ALL)")
        started = time.perf_counter()
        rows = baseline_rows(path, "2026-01-01 00:00:00+00:00")
        names = ", ".join(COLUMNS)
        with (
            connection.transaction(),
            connection.cursor() as cursor,
            cursor.copy(f"COPY baseline_object ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        elapsed = time.perf_counter() - started
        count = connection.execute("SELECT count(*) FROM baseline_object").fetchone()[0]
        connection.execute("DROP TABLE baseline_object")
    assert count == len(rows)
    return elapsed


# --- our import (subprocess) --------------------------------------------------------------


def run_ours(url: str, path: Path) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, __file__, "--ours", url, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=3600,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def ours_main(url: str, path: Path) -> None:
    os.environ["SUICHA_DATABASE_URL"] = url
    os.environ["PICCOLO_CONF"] = "server.piccolo_conf"
    import asyncio

    async def measure() -> dict[str, float]:
        from server.db.migrate import migrate
        from server.db.transaction import current_engine
        from server.rosters.importing import import_file
        from server.rosters.service import ensure_risk_classes

        await migrate()
        await ensure_risk_classes()
        engine = current_engine()
        pool = hasattr(engine, "start_connection_pool")
        if pool:
            await engine.start_connection_pool()  # type: ignore[attr-defined]
        try:
            started = time.perf_counter()
            summary = await import_file("objects", path, actor="bench")
            elapsed = time.perf_counter() - started
        finally:
            if pool:
                await engine.close_connection_pool()  # type: ignore[attr-defined]
        return {"seconds": elapsed, "inserted": summary.inserted}

    print(json.dumps(asyncio.run(measure())))


# --- report -------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=1_000_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--ours", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ours:
        ours_main(args.ours[0], Path(args.ours[1]))
        return 0

    with tempfile.TemporaryDirectory(prefix="suicha-bench-") as tmp:
        workdir = Path(tmp)
        data = workdir / "objects.csv"
        started = time.perf_counter()
        generate_csv(data, args.objects)
        size = data.stat().st_size / 1e6
        print(
            f"import_objects: {args.objects:,} objects, {size:.0f} MB CSV "
            f"(generated in {time.perf_counter() - started:.1f} s)"
        )
        results: list[tuple[str, float, float]] = []

        ours_db = workdir / "ours.db"
        ours = run_ours(f"sqlite:///{ours_db}", data)
        assert ours["inserted"] == args.objects
        baseline = sqlite_baseline(data, object_table_ddl(ours_db), workdir)
        results.append(("SQLite", baseline, ours["seconds"]))

        if not args.no_postgres:
            url = fresh_pg_database()
            if url:
                ours_pg = run_ours(url, data)
                assert ours_pg["inserted"] == args.objects
                results.append(("PostgreSQL", pg_baseline(data, url), ours_pg["seconds"]))

    print(f"{'engine':<12}{'baseline s':>12}{'ours s':>10}{'ratio':>8}  target")
    for engine, base, mine in results:
        ratio = base / mine
        verdict = "ok" if ratio >= 0.5 else "BELOW"
        print(f"{engine:<12}{base:>12.2f}{mine:>10.2f}{ratio:>8.2f}  ≥ 0.5 {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
