"""The business's side after the visit: the one-time access code and the rating (评价).

Wrong access codes are counted with the login backoff (`server.accounts.throttle`,
its counters in the same table, keys `check-code:<code>` and `check-address:<client>`),
so guessing the 10-digit code is slow per code and per client. A refused request
changes nothing but the failure counters.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from typing import Any

from server.accounts import queries as throttle_queries
from server.accounts import throttle
from server.audit import log as audit
from server.db.transaction import write_transaction
from server.inspection_codes import errors, queries, service
from server.settings import get_settings
from shared.errors import SuichaError
from shared.text import forbidden_character

ACCESS_DIGITS = 10
COMMENT_MAX = 500
RATEABLE = ("submitted", "closed")
"""The visit has ended: the team submitted its results (or the task is closed)."""


def _hash(access_code: str) -> str:
    return hashlib.sha256(access_code.encode("utf-8")).hexdigest()


async def issue_access_code(task_id: int, actor: str) -> str:
    """A fresh access code for the task (replacing any earlier one); returned once."""
    access = "".join(secrets.choice("0123456789") for _ in range(ACCESS_DIGITS))
    async with write_transaction():
        await queries.set_access(task_id, _hash(access), datetime.now(UTC))
        await audit.append(
            actor=actor, action="business_access.issue", entity="task", entity_id=str(task_id)
        )
    return access


def _keys(code: str, client: str) -> dict[str, str]:
    return {
        throttle.ACCOUNT: f"check-code:{code}",
        throttle.ADDRESS: f"check-address:{client}",
    }


async def admit(code: str, access_code: str, client: str, task_id: int) -> dict[str, Any]:
    """The task's access row when `access_code` is right; counted and refused otherwise."""
    keys = _keys(code, client)
    now = datetime.now(UTC)
    counters = await throttle_queries.login_counters(list(keys.values()))
    wait = max(throttle.wait_seconds(counters.get(k), now) for k in keys.values())
    if wait:
        raise SuichaError(errors.ACCESS_THROTTLED, extra={"retry_after": wait}, retry_after=wait)
    access = await queries.access_of(task_id)
    given = _hash(access_code.strip())
    if access is None or not hmac.compare_digest(access["code_hash"], given):
        rules = throttle.policies(get_settings().auth)
        async with write_transaction():
            for scope, key in keys.items():
                counter = await throttle_queries.lock_login_counter(key, now)
                await throttle_queries.save_login_counter(
                    key, throttle.after_failure(counter, now, rules[scope])
                )
        raise SuichaError(errors.ACCESS_WRONG)
    return access


def _invalid(zh: str, en: str) -> SuichaError:
    return SuichaError(errors.RATING_INVALID, problem_zh=zh, problem_en=en)


async def rate(code: str, access_code: str, score: int, comment: str, client: str) -> dict:
    """Record the business's rating once; the comment is kept as plain text."""
    if not 1 <= score <= 5:
        raise _invalid("评分须为1至5的整数。", "score must be an integer from 1 to 5.")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX or forbidden_character(comment, multiline=True):
        raise _invalid(
            "评价内容须为500字以内的可打印文字。", "comment: at most 500 printable chars."
        )
    row = await service.checked(code, None, allow_closed=True)
    if row["task_status"] not in RATEABLE:
        raise SuichaError(errors.RATING_TOO_EARLY)
    access = await admit(row["code"], access_code, client, row["task"])
    if access["rated_at"] is not None:
        raise SuichaError(errors.ACCESS_SPENT)
    now = datetime.now(UTC)
    async with write_transaction():
        if not await queries.spend_access_for_rating(row["task"], now):
            raise SuichaError(errors.ACCESS_SPENT)
        await queries.insert_rating(row["task"], score, comment, now)
        await audit.append(
            actor="business",
            action="rating.create",
            entity="task",
            entity_id=str(row["task"]),
            change={"score": score, "comment": comment},
        )
    return {"code": row["code"], "score": score, "comment": comment}
