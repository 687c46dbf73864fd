"""The `suicha` command: serve, demo, import, verify-draw, where.

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

    demo = commands.add_parser("demo", help="migrate and create the demo dataset")
    _add_db(demo)
    demo.add_argument("--objects", type=int, default=10_000, help="objects to create")
    demo.add_argument("--seed", type=int, default=2026, help="random seed (reproducible data)")

    importer = commands.add_parser("import", help="import a roster file (CSV or XLSX)")
    _add_db(importer)
    importer.add_argument("kind", choices=["objects", "inspectors", "items"])
    importer.add_argument("file")
    importer.add_argument("--actor", default="cli", help="name written to the audit log")

    where = commands.add_parser("where", help="print where the database and photos are kept")
    _add_db(where)

    verify = commands.add_parser("verify-draw", help="re-run a published draw record")
    _add_db(verify)
    verify.add_argument("source", metavar="FILE|URL")
    return parser


def _use_database(url: str | None) -> None:
    if url:
        os.environ[DATABASE_URL_ENV] = url


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _use_database(args.db)
    handler: Callable[[argparse.Namespace], int] = {
        "serve": _serve,
        "demo": _demo,
        "import": _import,
        "verify-draw": _verify_draw,
        "where": _where,
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


def _where(_: argparse.Namespace) -> int:
    print(locations_text())
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.db.migrate import migrate

    asyncio.run(migrate())
    print(locations_text())
    print(f"Suicha 随查: http://{args.host}:{args.port}/  (API /api/v1, OpenAPI /schema)")
    uvicorn.run("server.app:create_app", factory=True, host=args.host, port=args.port)
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
