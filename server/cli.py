"""The `suicha` command: serve, demo, import, verify-draw, archive, backup, restore, where, ….

`--db URL` (or `SUICHA_DATABASE_URL`) picks the database; it is put in the
environment before any table is imported, because Piccolo binds tables to the
engine of `server.piccolo_conf` on first use.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from server.settings import DATABASE_URL_ENV, default_database_url


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help=f"database URL (default: ${DATABASE_URL_ENV}, else {default_database_url()})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="suicha", description="随查 Suicha server")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate the database and start the server")
    _add_db(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes on one port (PostgreSQL only)"
    )

    demo = commands.add_parser("demo", help="migrate and create the demo dataset")
    _add_db(demo)
    demo.add_argument("--objects", type=int, default=10_000, help="objects to create")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (reproducible data)")

    importer = commands.add_parser("import", help="import a roster file (CSV or XLSX)")
    _add_db(importer)
    importer.add_argument("kind", choices=["objects", "inspectors", "items"])
    importer.add_argument("file")
    importer.add_argument("--actor", default="cli", help="name written to the audit log")

    archive = commands.add_parser("archive", help="write the archive (一次一档) of a task or plan")
    _add_db(archive)
    archive.add_argument("kind", choices=["task", "plan"])
    archive.add_argument("subject", metavar="ID|CODE", help="task id, or plan code")
    archive.add_argument(
        "-o", "--output", required=True, help="ZIP file (a folder with --per-task)"
    )
    archive.add_argument(
        "--per-task", action="store_true", help="plan: one archive per task into the folder -o"
    )

    backup = commands.add_parser("backup", help="back up the SQLite database and the photos")
    _add_db(backup)
    backup.add_argument("-o", "--output", required=True, help="the backup file (.tar)")

    restore = commands.add_parser("restore", help="restore a backup made by `suicha backup`")
    _add_db(restore)
    restore.add_argument("file")
    restore.add_argument("--force", action="store_true", help="replace a database holding data")

    verify_archive = commands.add_parser("verify-archive", help="re-check an archive ZIP")
    verify_archive.add_argument("file")

    where = commands.add_parser("where", help="print where the database and photos are kept")
    _add_db(where)

    calendar = commands.add_parser("calendar", help="edit the working-day calendar")
    calendar_commands = calendar.add_subparsers(dest="calendar_command", required=True)
    mark = calendar_commands.add_parser("mark", help="mark a day a holiday or a make-up workday")
    _add_db(mark)
    mark.add_argument("date", metavar="DATE", help="YYYY-MM-DD")
    mark.add_argument("kind", choices=["holiday", "workday", "normal"])
    mark.add_argument("--name", default="", help="the holiday's name, e.g. 元旦")
    mark.add_argument("--actor", default="cli", help="name written to the audit log")
    complete = calendar_commands.add_parser(
        "complete", help="declare a year's official holidays entered (deadlines become final)"
    )
    _add_db(complete)
    complete.add_argument("year", type=int)
    complete.add_argument("--actor", default="cli", help="name written to the audit log")

    deadline = commands.add_parser("deadline", help="print the publication deadline of a day")
    _add_db(deadline)
    deadline.add_argument("completed", metavar="COMPLETED_DATE", help="YYYY-MM-DD")
    deadline.add_argument("--days", type=int, help="days to count (default: the default rule)")

    verify = commands.add_parser("verify-draw", help="re-run a published draw record")
    _add_db(verify)
    verify.add_argument("source", metavar="FILE|URL")
    return parser


def _use_database(url: str | None) -> None:
    if url:
        os.environ[DATABASE_URL_ENV] = url


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _use_database(getattr(args, "db", None))
    handler: Callable[[argparse.Namespace], int] = {
        "serve": _serve,
        "demo": _demo,
        "import": _import,
        "verify-draw": _verify_draw,
        "where": _where,
        "calendar": _calendar,
        "deadline": _deadline,
        "archive": _archive,
        "verify-archive": _verify_archive,
        "backup": _backup,
        "restore": _restore,
    }[args.command]
    return handler(args)


def locations_text() -> str:
    """Where this process keeps its data: one default for every command, the demo and the server."""
    from server.settings import get_settings

    settings = get_settings()
    photos = (
        f"S3 {settings.attachments.s3_endpoint} / {settings.attachments.s3_bucket}"
        if settings.attachments.backend == "s3"
        else str(settings.attachments.directory)
    )
    return f"数据库 / database: {settings.database.url}\n照片 / photos: {photos}"


def _archive(args: argparse.Namespace) -> int:
    from server.records.commands import write_archives

    return asyncio.run(write_archives(args.kind, args.subject, args.output, args.per_task))


def _verify_archive(args: argparse.Namespace) -> int:
    """Exit 0 when the archive is intact; 1 naming each problem; 2 when it cannot be read."""
    from shared.archive import verify_archive

    problems = verify_archive(args.file)
    if not problems:
        print("OK 归档完整 / the archive is intact")
        return 0
    for problem in problems:
        print(problem.line())
    return 2 if problems[0].code == "archive.unreadable" else 1


def _sqlite_locations() -> tuple[Path, Path] | None:
    from server.db.engine import is_sqlite, sqlite_path
    from server.settings import get_settings

    settings = get_settings()
    if not is_sqlite(settings.database.url) or settings.attachments.backend != "filesystem":
        return None
    return sqlite_path(settings.database.url), Path(settings.attachments.directory)


def _backup(args: argparse.Namespace) -> int:
    from server.operations.backup import NOT_SQLITE, write_backup
    from shared.errors import SuichaError

    try:
        places = _sqlite_locations()
        if places is None:
            raise SuichaError(NOT_SQLITE)
        summary = write_backup(*places, Path(args.output))
    except SuichaError as error:
        print(f"{error.detail_zh}\n{error.detail_en}", file=sys.stderr)
        return 1
    print(
        f"已备份 / backed up: {args.output} (数据库 / database {summary.database_bytes:,} B, "
        f"照片 / photos {summary.photos}, {summary.photo_bytes:,} B)"
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    from server.operations.backup import NOT_SQLITE, restore_backup
    from shared.errors import SuichaError

    try:
        places = _sqlite_locations()
        if places is None:
            raise SuichaError(NOT_SQLITE)
        summary = restore_backup(Path(args.file), *places, force=args.force)
    except SuichaError as error:
        print(f"{error.detail_zh}\n{error.detail_en}", file=sys.stderr)
        return 1
    print(f"已恢复 / restored: 照片 / photos {summary.photos}; {locations_text()}")
    return 0


def _where(_: argparse.Namespace) -> int:
    print(locations_text())
    return 0


SQLITE_ONE_WORKER = (
    "SQLite 只能由一个服务进程写入：请去掉 --workers，或改用 PostgreSQL（见 docs/deploy.md）\n"
    "SQLite is served by one process: drop --workers, or use PostgreSQL (see docs/deploy.md)"
)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.db.engine import is_sqlite
    from server.db.migrate import migrate
    from server.settings import get_settings

    if args.workers < 1:
        print("--workers 至少为 1 / --workers must be at least 1", file=sys.stderr)
        return 2
    if args.workers > 1 and is_sqlite(get_settings().database.url):
        # Each process would keep its own write lock, upload locks and caches over
        # one file; one process with group commit is the SQLite deployment.
        print(SQLITE_ONE_WORKER, file=sys.stderr)
        return 2
    asyncio.run(migrate())
    print(locations_text())
    print(f"Suicha 随查: http://{args.host}:{args.port}/  (API /api/v1, OpenAPI /schema)")
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
    )
    return 0


def _demo(args: argparse.Namespace) -> int:
    from server.demo.dataset import create_demo
    from shared.errors import SuichaError

    print(locations_text())
    try:
        asyncio.run(create_demo(objects=args.objects, seed=args.seed, report=print))
    except SuichaError as error:
        print(f"{error.detail_zh}\n{error.detail_en}", file=sys.stderr)
        return 1
    return 0


def _import(args: argparse.Namespace) -> int:
    from server.rosters.importing import import_file_cli

    return asyncio.run(import_file_cli(args.kind, args.file, actor=args.actor))


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        print(f"日期格式应为YYYY-MM-DD / the date must be YYYY-MM-DD: {text}", file=sys.stderr)
        return None


def _calendar(args: argparse.Namespace) -> int:
    """`calendar mark DATE KIND` / `calendar complete YEAR`; prints every deadline that moved."""
    from server.calendar import service
    from server.db.migrate import migrate
    from shared.errors import SuichaError

    async def run() -> list[service.Moved]:
        await migrate()
        if args.calendar_command == "complete":
            return await service.complete_year(args.actor, args.year)
        day = _parse_day(args.date)
        if day is None:
            raise SystemExit(2)
        return await service.mark_day(args.actor, day, args.kind, args.name)

    try:
        moved = asyncio.run(run())
    except SuichaError as error:
        print(f"{error.detail_zh}\n{error.detail_en}", file=sys.stderr)
        return 1
    for change in moved:
        print(
            f"task {change.task_id}: {change.before} -> {change.after}"
            + (" provisional" if change.provisional_after else "")
        )
    print(f"已重新计算{len(moved)}个公示期限 / {len(moved)} deadline(s) moved")
    return 0


def _deadline(args: argparse.Namespace) -> int:
    """Print the deadline as an ISO date, then `provisional` if it rests on a year without data."""
    from server.calendar import service
    from server.db.migrate import migrate
    from shared.deadlines import MAX_DAYS

    completed = _parse_day(args.completed)
    if completed is None:
        return 2
    if args.days is not None and not 1 <= args.days <= MAX_DAYS:
        print(f"--days应为1至{MAX_DAYS} / --days must be 1–{MAX_DAYS}", file=sys.stderr)
        return 2

    async def run() -> tuple[date, bool]:
        await migrate()
        return await service.deadline_for(completed, args.days)

    day, provisional = asyncio.run(run())
    print(day.isoformat() + (" provisional" if provisional else ""))
    return 0


def _verify_draw(args: argparse.Namespace) -> int:
    """Re-run a published draw record from a file or an http(s) URL.

    Exit 0: everything matches ("OK 验证通过"); 1: discrepancies, each printed
    in Chinese and English; 2: the record could not be read.
    """
    import json
    from pathlib import Path

    import httpx

    from shared.draw import verify_record
    from shared.draw.report import OK_LINE, discrepancy_lines

    source: str = args.source
    try:
        if source.startswith(("http://", "https://")):
            response = httpx.get(source, timeout=30.0, follow_redirects=True)
            response.raise_for_status()
            text = response.text
        else:
            text = Path(source).read_text(encoding="utf-8")
        record = json.loads(text)
    except (OSError, UnicodeDecodeError, httpx.HTTPError, ValueError) as error:
        print(f"无法读取抽签记录 / cannot read the draw record {source}: {error}", file=sys.stderr)
        return 2
    if not isinstance(record, dict):
        print(
            f"抽签记录应为JSON对象 / the draw record must be a JSON object: {source}",
            file=sys.stderr,
        )
        return 2
    discrepancies = verify_record(record)
    if not discrepancies:
        print(OK_LINE)
        return 0
    print("\n".join(discrepancy_lines(discrepancies)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
