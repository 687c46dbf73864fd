"""The `suicha-field` command: the field app's sync without a window.

    suicha-field login  --data-dir DIR --server URL --username U --password P --device-id D
    suicha-field sync   --data-dir DIR [--server URL]
    suicha-field status --data-dir DIR [--json] [--lang zh|en]
    suicha-field [app] [--data-dir DIR] [--lang zh|en] [--window 1280x800]

`login` keeps the device's tokens in the data dir; `sync` runs one pass with
them, printing progress and a summary. Exit status: 0 when everything went
through, 1 when anything failed, was refused, conflicts or the pass stopped,
2 for a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from mobile.sync import HttpTransport, Progress, RetryPolicy, Store, SyncEngine, SyncReport
from mobile.sync.session import SERVER, login
from mobile.sync.summary import device_summary, render_summary
from mobile.sync.transport import TransportError

PASSWORD_ENV = "SUICHA_FIELD_PASSWORD"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="suicha-field", description="随查 Suicha field sync")
    # No command opens the app (the inspector's double-click).
    commands = parser.add_subparsers(dest="command", required=False)

    def data_dir(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--data-dir", required=True, help="the device's data folder")

    sign_in = commands.add_parser("login", help="log this device in and keep its tokens")
    data_dir(sign_in)
    sign_in.add_argument("--server", required=True, help="server address, e.g. http://host:8000")
    sign_in.add_argument("--username", required=True)
    sign_in.add_argument("--password", help=f"(default: ${PASSWORD_ENV}, else asked)")
    sign_in.add_argument("--device-id", required=True)

    sync = commands.add_parser("sync", help="pull task packages and send everything recorded")
    data_dir(sync)
    sync.add_argument("--server", help="server address (default: the one logged in to)")
    sync.add_argument("--attempts", type=int, default=5, help="tries per request (default 5)")
    sync.add_argument("--chunk-kib", type=int, default=512, help="photo upload chunk (KiB)")
    sync.add_argument("--quiet", action="store_true", help="print only the summary")

    status = commands.add_parser("status", help="show what is on the device and its state")
    data_dir(status)
    status.add_argument("--json", action="store_true", help="print the summary as JSON")
    status.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (default zh)")

    app = commands.add_parser("app", help="open the field app (the default)")
    app.add_argument("--data-dir", help="the device's data folder (default: the user data dir)")
    app.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (default zh)")
    app.add_argument("--window", help="desktop window size, e.g. 1280x800")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        args = build_parser().parse_args(["app"])
    handler = {"login": _login, "sync": _sync, "status": _status, "app": _app}[args.command]
    return handler(args)


def _login(args: argparse.Namespace) -> int:
    password = args.password or os.environ.get(PASSWORD_ENV) or getpass.getpass("密码 Password: ")
    with Store(args.data_dir) as store:
        transport = HttpTransport(args.server)

        async def run() -> int:
            try:
                reply = await login(
                    store,
                    transport,
                    username=args.username,
                    password=password,
                    device_id=args.device_id,
                )
            finally:
                await transport.aclose()
            if reply.ok:
                print(f"已登录 Logged in: {args.username} @ {args.server} ({args.device_id})")
                return 0
            zh, en = reply.detail
            print(f"登录失败 Login failed [{reply.code}]: {zh} / {en}", file=sys.stderr)
            return 1

        try:
            return asyncio.run(run())
        except TransportError as error:
            print(f"无法连接服务器 Cannot reach the server: {error.reason}", file=sys.stderr)
            return 1


class ProgressPrinter:
    """Prints a line when the phase changes and every tenth of the way."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.phase = ""
        self.step = -1

    def __call__(self, progress: Progress) -> None:
        step = int(progress.fraction * 10)
        if progress.phase == self.phase and step == self.step:
            return
        self.phase, self.step = progress.phase, step
        print(
            f"[{progress.phase:<11}] {progress.fraction:6.1%}  "
            f"records {progress.records_done}/{progress.records_total}  "
            f"photos {progress.bytes_done / 1e6:.1f}/{progress.bytes_total / 1e6:.1f} MB",
            file=self.out,
            flush=True,
        )


def _sync(args: argparse.Namespace) -> int:
    with Store(args.data_dir) as store:
        server = args.server or store.get_meta(SERVER)
        if not server:
            print("本机尚未登录 Not logged in: run suicha-field login", file=sys.stderr)
            return 1
        transport = HttpTransport(server)
        engine = SyncEngine(
            store,
            transport,
            retry=RetryPolicy(attempts=max(1, args.attempts)),
            chunk_size=args.chunk_kib * 1024,
            progress=None if args.quiet else ProgressPrinter(sys.stdout),
        )

        report = engine.run()
        print_summary(report, sys.stdout)
        return 0 if report.ok else 1


def print_summary(report: SyncReport, out: TextIO) -> None:
    print(
        f"任务 tasks: {report.tasks_received} received, {report.tasks_removed} removed\n"
        f"结果 results acknowledged: {report.results_acknowledged}\n"
        f"照片 photos acknowledged: {report.photos_acknowledged} "
        f"({report.photo_bytes_sent / 1e6:.1f} MB sent)\n"
        f"提交 submissions: {report.submissions}\n"
        f"本机释放照片 local photo copies freed: {report.photos_released}\n"
        f"待发送 still pending: {report.pending}",
        file=out,
    )
    if report.stopped:
        s = report.stopped
        print(f"已中止 STOPPED [{s.code}]: {s.zh} / {s.en}", file=out)
    for f in report.failures:
        print(f"失败 FAILED {f.kind} {f.key} {f.state} [{f.code}]: {f.zh} / {f.en}", file=out)
    print("完成 OK" if report.ok else "有未完成项 NOT OK", file=out)


def _status(args: argparse.Namespace) -> int:
    with Store(args.data_dir) as store:
        summary = device_summary(store)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(render_summary(summary, lang=args.lang))
    return 0


def _app(args: argparse.Namespace) -> int:
    from pathlib import Path

    from mobile.app.run import parse_size, run_app

    try:
        size = parse_size(args.window) if args.window else None
    except ValueError as error:
        print(f"窗口大小无效 Invalid window size: {error}", file=sys.stderr)
        return 2
    return run_app(Path(args.data_dir) if args.data_dir else None, lang=args.lang, size=size)


if __name__ == "__main__":
    sys.exit(main())
