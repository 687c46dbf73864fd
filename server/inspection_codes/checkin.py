"""Arrival check-in (扫码入企) sent by the field app, possibly days later after an outage.

A record sent within the grace period (Shenzhen 深府规〔2025〕6号: 10 days; set with
`SUICHA_CHECKIN_GRACE_DAYS`, 1–60) is accepted as is; one sent later is kept and
flagged `late`. The scanned credit code must be the task's business.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from server.accounts.principal import Principal
from server.audit import log as audit
from server.db.transaction import write_transaction
from server.inspection_codes import errors, queries
from server.inspection_codes.schemas import CheckInIn
from shared.errors import SuichaError

GRACE_ENV = "SUICHA_CHECKIN_GRACE_DAYS"
DEFAULT_GRACE_DAYS = 10
FUTURE_SLACK = timedelta(minutes=10)
"""A device clock a little ahead is tolerated; further ahead is refused."""


def grace_period() -> timedelta:
    raw = os.environ.get(GRACE_ENV, "")
    days = int(raw) if raw.isdigit() and 1 <= int(raw) <= 60 else DEFAULT_GRACE_DAYS
    return timedelta(days=days)


def is_late(arrived_at: datetime, received_at: datetime, grace: timedelta) -> bool:
    return received_at - arrived_at > grace


def _invalid(zh: str, en: str) -> SuichaError:
    return SuichaError(errors.CHECKIN_INVALID, problem_zh=zh, problem_en=en)


async def check_in(principal: Principal, task_id: int, data: CheckInIn) -> dict:
    task = await queries.task_business(task_id)
    team = await queries.team_inspector_ids(task_id) if task else set()
    if task is None or principal.inspector_id not in team:
        raise SuichaError(errors.TASK_NOT_FOUND)
    try:
        arrived = datetime.fromisoformat(data.at)
    except ValueError:
        raise _invalid("到达时间格式不正确。", "at is not an ISO 8601 time.") from None
    if arrived.tzinfo is None:
        raise _invalid("到达时间须带时区。", "at must carry its offset.")
    now = datetime.now(UTC)
    if arrived > now + FUTURE_SLACK:
        raise _invalid("到达时间晚于当前时间。", "at lies in the future.")
    for value, low, high in ((data.latitude, -90, 90), (data.longitude, -180, 180)):
        if value is not None and not low <= value <= high:
            raise _invalid("定位坐标超出范围。", "latitude/longitude out of range.")
    if data.credit_code.strip().upper() != task["credit_code"]:
        raise SuichaError(errors.CHECKIN_WRONG_BUSINESS)
    async with write_transaction():
        # The same arrival sent again (its answer was lost, or the device resends after
        # a crash) is the record already stored: one row per arrival, the first verdict.
        stored = await queries.check_in_at(task_id, principal.inspector_id, arrived)
        if stored is not None:
            return {"task_id": task_id, "arrived_at": arrived.isoformat(), "late": stored["late"]}
        late = is_late(arrived, now, grace_period())
        await queries.insert_check_in(
            task_id,
            principal.inspector_id,
            task["credit_code"],
            arrived,
            now,
            data.latitude,
            data.longitude,
            late,
        )
        await audit.append(
            actor=principal.username,
            action="check_in.record",
            entity="task",
            entity_id=str(task_id),
            change={"arrived_at": arrived.isoformat(), "late": late},
        )
    return {"task_id": task_id, "arrived_at": arrived.isoformat(), "late": late}
