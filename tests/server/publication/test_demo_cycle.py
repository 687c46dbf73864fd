"""The demo goes through the whole cycle: published, corrected, in review, returned, overdue,
provisional — so the portal has something to show at once."""

from __future__ import annotations

from datetime import datetime

from server.calendar import service as calendar
from server.calendar.tables import TaskDeadline
from server.demo.dataset import create_demo
from server.publication.returns import open_returns
from server.publication.tables import Publication, PublicEntry


async def test_demo_cycle_states(db: None) -> None:
    await create_demo(objects=3000, seed=7, report=lambda _: None)
    today = datetime.now(calendar.CHINA).date()
    deadlines = await TaskDeadline.select()
    assert len(deadlines) >= 5
    published = {row["task"] for row in await Publication.select(Publication.task)}
    versions = await Publication.select(Publication.task, Publication.version)
    assert any(row["version"] == 2 for row in versions)  # a correction beside its original
    assert len(published) >= 2
    returns = await open_returns(row["task"] for row in deadlines)
    assert len(returns) == 1 and returns[0]["reason"]
    overdue = [d for d in deadlines if d["published_on"] is None and d["deadline"] < today]
    assert len(overdue) == 1
    assert sum(1 for d in deadlines if d["provisional"]) == 1
    in_review = [d for d in deadlines if d["task"] not in published]
    assert len(in_review) >= 3  # returned, overdue, provisional (and any pending)
    assert await PublicEntry.count().where(PublicEntry.current.eq(True)) == len(published)
