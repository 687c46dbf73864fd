"""The bulk writer: inserts and overwrites objects on both engines."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from server.rosters import bulk
from server.rosters.tables import InspectionObject
from shared.credit_code import check_character


def code(n: int) -> str:
    first17 = f"91230300{n:09d}"
    return first17 + check_character(first17)


def row(n: int, name: str, tags: list[str]) -> tuple[object, ...]:
    return (
        code(n),
        name,
        "enterprise",
        "F52",
        json.dumps(["食品经营"], ensure_ascii=False),
        "230302",
        "鸡西市鸡冠区",
        "B",
        "active",
        False,
        n,
        json.dumps(tags, ensure_ascii=False),
        datetime(2026, 1, 1, tzinfo=UTC),
    )


async def test_insert_then_update_objects(db: None) -> None:
    assert await bulk.insert_objects(row(n, f"商户{n}", ["餐饮"]) for n in range(1, 1001)) == 1000
    assert await InspectionObject.count() == 1000
    first = await InspectionObject.select().where(InspectionObject.credit_code == code(1)).first()
    assert first["name"] == "商户1"
    assert first["abnormal"] is False
    assert json.loads(first["tags"]) == ["餐饮"]
    assert first["updated_at"] == datetime(2026, 1, 1, tzinfo=UTC)

    assert await bulk.update_objects([row(1, "新名字", ["学校周边"]), row(2, "另一个", [])]) == 2
    changed = await InspectionObject.select().where(InspectionObject.credit_code == code(1)).first()
    assert changed["name"] == "新名字"
    assert json.loads(changed["tags"]) == ["学校周边"]
    untouched = (
        await InspectionObject.select().where(InspectionObject.credit_code == code(3)).first()
    )
    assert untouched["name"] == "商户3"
    assert await InspectionObject.count() == 1000


async def test_insert_joins_the_callers_transaction(db: None) -> None:
    from server.db.transaction import write_transaction

    class Boom(Exception):
        pass

    try:
        async with write_transaction():
            await bulk.insert_objects([row(7, "回滚", [])])
            raise Boom
    except Boom:
        pass
    assert await InspectionObject.count() == 0
