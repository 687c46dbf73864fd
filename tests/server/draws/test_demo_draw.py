"""The demo's drawn joint plan on top of the demo dataset."""

from __future__ import annotations

from server.demo.dataset import create_demo
from server.draws.service import published, without_status
from server.draws.tables import Draw
from server.tasks.tables import Task, TaskInspector
from shared.draw import verify_record


async def test_demo_has_a_sealed_joint_draw_with_tasks_for_demo_inspectors(db) -> None:
    lines: list[str] = []
    await create_demo(objects=1500, seed=7, report=lines.append)
    draw = await Draw.select(Draw.public_id, Draw.status).first()
    assert draw["status"] == "sealed"
    record = await published(draw["public_id"])
    assert verify_record(without_status(record)) == []
    assert [d["code"] for d in record["departments"]] == ["SCJG", "WSJK", "YJGL"]
    tasks = await Task.count()
    assert tasks == len(record["assignments"]) > 0
    assert await TaskInspector.count() == 3 * tasks
    assert any(line.startswith("抽签 / draw") for line in lines)
