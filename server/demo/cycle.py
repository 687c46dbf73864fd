"""The demo's inspection cycle: field work, review and publication on the drawn tasks.

Inspectors record through the real field app services (`mobile.sync`: local
store, sync engine, HTTP transport) against the app in process; back-office
review and publication go through the publication services. Afterwards some
tasks are published (one with a correction beside its original), some are in
review, one is returned to its inspector, one is overdue, and one has a
deadline in a year without official holidays (provisional).
"""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from PIL import Image, ImageDraw

from server.calendar import service as calendar
from server.demo.accounts import DEMO_PASSWORD
from server.demo.draw import _principal
from server.publication import review, service
from server.publication.schemas import DecisionIn
from server.tasks.tables import Task, TaskInspector
from shared import checklist
from shared.deadlines import DeadlineRule, publication_deadline

Report = Callable[[str], None]
OFFICE_USER = "office"
ADMIN_USER = "admin"


@dataclass(frozen=True)
class Scenario:
    name: str
    completed: date
    outcome: str
    """published / corrected / in_review / returned / overdue."""


def demo_answers(template: checklist.Template) -> dict[str, Any]:
    """Answers every shown question: yes, the first option, the lowest number, a short text."""
    answers: dict[str, Any] = {}
    while True:
        added = False
        for question in checklist.visible_questions(template, answers):
            if question.id in answers or question.type == "photo":
                continue
            answers[question.id] = _answer(question)
            added = True
        if not added:
            return answers


def _answer(question: checklist.Question) -> Any:
    if question.type == "yes_no":
        return True
    if question.type == "single_choice":
        return question.options[0].value
    if question.type == "multi_choice":
        return [question.options[0].value]
    if question.type == "number":
        return question.min if question.min is not None else 1
    if question.type == "date":
        return datetime.now(calendar.CHINA).date().isoformat()
    return "现场检查，未发现问题"


def demo_photo(label: str) -> bytes:
    """A small PNG different for every label (content-addressed photos must differ)."""
    image = Image.new("RGB", (96, 64), (240, 244, 248))
    draw = ImageDraw.Draw(image)
    draw.text((4, 24), label[-14:], fill=(20, 40, 80))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def scenarios(today: date, work: calendar.WorkCalendar) -> list[Scenario]:
    """The cycle's cases in order of importance (a small draw gets the first ones)."""
    provisional = today - timedelta(days=1)
    if not publication_deadline(provisional, DeadlineRule(), work).provisional:
        # The official holidays run to the end of this year: a completion at
        # Christmas has its deadline in the next, unknown year.
        provisional = date(today.year, 12, 24)
    return [
        Scenario("已公示", today - timedelta(days=6), "published"),
        Scenario("已公示并更正", today - timedelta(days=7), "corrected"),
        Scenario("退回修改", today - timedelta(days=3), "returned"),
        Scenario("逾期未公示", today - timedelta(days=30), "overdue"),
        Scenario("期限暂定（跨入无节假日数据的年份）", provisional, "in_review"),
        Scenario("待审核", today - timedelta(days=2), "in_review"),
        Scenario("已公示", today - timedelta(days=5), "published"),
        Scenario("待审核", today - timedelta(days=1), "in_review"),
    ]


async def run_demo_cycle(report: Report) -> None:
    from mobile.sync import HttpTransport, Store, SyncEngine  # the field app's own services
    from mobile.sync.session import login
    from server.app import create_app

    # The in-process requests of the devices are not news on the console.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    today = datetime.now(calendar.CHINA).date()
    plan = scenarios(today, await calendar.load_calendar())
    tasks = [row["id"] for row in await Task.select(Task.id).order_by(Task.id).limit(len(plan))]
    app = create_app()
    office = await _principal(OFFICE_USER)
    admin = await _principal(ADMIN_USER)
    with tempfile.TemporaryDirectory(prefix="suicha-demo-devices-") as folder:
        for task_id, case in zip(tasks, plan, strict=False):
            results: dict[str, tuple[str, str]] = {}
            for badge in await _one_inspector_per_department(task_id):
                store = Store(Path(folder) / badge)
                transport = HttpTransport("http://demo", http=httpx.ASGITransport(app=app))
                engine = SyncEngine(store, transport)
                reply = await login(
                    store, transport, username=badge, password=DEMO_PASSWORD, device_id=badge
                )
                if not reply.ok:
                    raise RuntimeError(f"demo inspector {badge} cannot sign in: {reply}")
                await engine.sync_once()
                status = store.task(task_id)
                assert status is not None  # the inspector is on the task's team
                for item in status.package["items"]:
                    if item["department"] != status.package["my_department"]:
                        continue
                    result_id = _record(store, task_id, item, badge)
                    results[item["code"]] = (badge, result_id)
                completed = datetime.combine(case.completed, datetime.min.time()).replace(
                    hour=16, tzinfo=calendar.CHINA
                )
                store.request_submission(task_id, completed.isoformat())
                await engine.sync_once()
                await transport.client.aclose()
                store.close()
            await _review(office, admin, task_id, case, results, folder, app)
            report(f"演示任务 / demo task {task_id}: {case.name}（完成于{case.completed}）")


async def _one_inspector_per_department(task_id: int) -> list[str]:
    rows = (
        await TaskInspector.select(
            TaskInspector.department, TaskInspector.inspector.badge_no.as_alias("badge")
        )
        .where((TaskInspector.task == task_id) & TaskInspector.active.eq(True))
        .order_by(TaskInspector.pick_order)
    )
    chosen: dict[int, str] = {}
    for row in rows:
        chosen.setdefault(row["department"], row["badge"])
    return list(chosen.values())


def _record(
    store: Any,
    task_id: int,
    item: dict[str, Any],
    badge: str,
    category: str = "1",
    findings: str = "未发现问题",
    result_id: str | None = None,
) -> str:
    template = checklist.parse_template(item["checklist"])
    answers = demo_answers(template)
    photos = []
    for question in checklist.visible_questions(template, answers):
        for n in range(question.photos_needed):
            label = f"{task_id}-{item['code']}-{question.id}-{n}-{category}"
            info = store.add_photo(demo_photo(label))
            photos.append(_use(info.sha256, question.id))
    return store.record_result(
        task_id,
        item["code"],
        answers=answers,
        category=category,
        findings=findings,
        photos=photos,
        result_id=result_id,
    )


def _use(sha256: str, question: str) -> Any:
    from mobile.sync.store import PhotoUse

    return PhotoUse(sha256, question)


async def _review(
    office: Any,
    admin: Any,
    task_id: int,
    case: Scenario,
    results: dict[str, tuple[str, str]],
    folder: str,
    app: Any,
) -> None:
    if case.outcome == "in_review" or case.outcome == "overdue":
        return
    file = await review.task_review(admin, task_id)
    if case.outcome == "returned":
        first = file.items[0]
        assert first.result is not None
        await review.decide(
            admin,
            task_id,
            first.item,
            DecisionIn(
                "return", first.result.version, "现场照片不能看清餐具消毒设施，请补拍后重新提交"
            ),
        )
        return
    await _approve_all(admin, task_id)
    await service.publish(office, task_id)
    if case.outcome == "corrected":
        await _correct(admin, office, task_id, results, folder, app)


async def _approve_all(admin: Any, task_id: int) -> None:
    file = await review.task_review(admin, task_id)
    for item in file.items:
        if item.state != "approved" and item.result is not None:
            await review.decide(
                admin, task_id, item.item, DecisionIn("approve", item.result.version)
            )


async def _correct(
    admin: Any,
    office: Any,
    task_id: int,
    results: dict[str, tuple[str, str]],
    folder: str,
    app: Any,
) -> None:
    """Return one item, let its inspector resend it with another category, republish."""
    from mobile.sync import HttpTransport, Store, SyncEngine

    file = await review.task_review(admin, task_id)
    first = file.items[0]
    assert first.result is not None
    await review.decide(
        admin,
        task_id,
        first.item,
        DecisionIn("return", first.result.version, "复核发现问题已当场责令改正，结果类别应为E"),
    )
    badge, result_id = results[first.item]
    store = Store(Path(folder) / badge)
    transport = HttpTransport("http://demo", http=httpx.ASGITransport(app=app))
    engine = SyncEngine(store, transport)
    await engine.sync_once()  # the device sees the return
    status = store.task(task_id)
    assert status is not None
    item = next(i for i in status.package["items"] if i["code"] == first.item)
    _record(store, task_id, item, badge, "E", "发现问题，已责令当场改正", result_id)
    await engine.sync_once()
    await transport.client.aclose()
    store.close()
    await _approve_all(admin, task_id)
    await service.publish(office, task_id, "复核后更正检查结果：发现问题经责令已改正")
