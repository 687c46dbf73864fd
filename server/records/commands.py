"""What `suicha archive` runs: one archive, or one per task of a plan, with a progress bar."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from piccolo.engine.postgres import PostgresEngine
from tqdm import tqdm

from server.db.migrate import migrate
from server.db.transaction import current_engine
from server.plans import queries as plan_queries
from server.records import archive, queries
from shared.errors import SuichaError


async def _archives(kind: str, subject: str, output: str, per_task: bool) -> int:
    target = Path(output)
    if kind == "task":
        if not subject.isdigit():
            print(f"任务编号应为数字：{subject} / a task id is a number", file=sys.stderr)
            return 2
        manifest = await archive.task_archive(int(subject), target)
        print(f"已写入 / written: {target} ({len(manifest['files'])} 个文件 / files)")
        return 0
    if not per_task:
        with tqdm(desc=f"归档 {subject}", unit="任务", file=sys.stderr) as bar:

            def step(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            manifest = await archive.plan_archive(subject, target, step)
        print(f"已写入 / written: {target} ({len(manifest['files'])} 个文件 / files)")
        return 0
    plan = await plan_queries.plan_by_code(subject)
    draw = await queries.draw_of_plan(plan["id"]) if plan else None
    if draw is None:
        return await _archives("plan", subject, output, False)  # the same clear refusal
    await asyncio.to_thread(target.mkdir, parents=True, exist_ok=True)
    tasks = await queries.tasks_of_draw(draw["id"])
    for task in tqdm(tasks, desc=f"逐任务归档 {subject}", unit="任务", file=sys.stderr):
        await archive.task_archive(task["id"], target / f"{subject}-task-{task['id']}.zip")
    print(f"已写入 / written: {len(tasks)} 份归档 / archives in {target}")
    return 0


async def write_archives(kind: str, subject: str, output: str, per_task: bool) -> int:
    await migrate()
    engine = current_engine()
    pool = isinstance(engine, PostgresEngine)
    if pool:
        await engine.start_connection_pool()
    try:
        return await _archives(kind, subject, output, per_task)
    except SuichaError as error:
        print(f"{error.detail_zh}\n{error.detail_en}", file=sys.stderr)
        return 1
    finally:
        if pool:
            await engine.close_connection_pool()
