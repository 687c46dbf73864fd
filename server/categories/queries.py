"""Every query of the result-categories area."""

from __future__ import annotations

from typing import Any

from server.categories.tables import ResultCategory


async def any_category() -> bool:
    return await ResultCategory.exists()


async def all_categories() -> list[dict[str, Any]]:
    """Every category, retired ones too, in display order."""
    return (
        await ResultCategory.select()
        .order_by(ResultCategory.sort_order)
        .order_by(ResultCategory.code)
    )


async def active_categories() -> list[dict[str, Any]]:
    return (
        await ResultCategory.select()
        .where(ResultCategory.active == True)  # noqa: E712 - a SQL expression
        .order_by(ResultCategory.sort_order)
        .order_by(ResultCategory.code)
    )


async def category(code: str) -> dict[str, Any] | None:
    return await ResultCategory.select().where(ResultCategory.code == code).first()


async def insert_new(rows: list[dict[str, Any]]) -> list[str]:
    """Insert rows whose code is free; return the codes inserted (a concurrent seed wins)."""
    inserted = (
        await ResultCategory.insert(*[ResultCategory(**row) for row in rows])
        .on_conflict(target=ResultCategory.code, action="DO NOTHING")
        .returning(ResultCategory.code)
    )
    return [row["code"] for row in inserted]


async def update(code: str, values: dict[str, Any]) -> None:
    await ResultCategory.update(
        {getattr(ResultCategory, key): value for key, value in values.items()}
    ).where(ResultCategory.code == code)


async def last_sort_order() -> int:
    row = (
        await ResultCategory.select(ResultCategory.sort_order)
        .order_by(ResultCategory.sort_order, ascending=False)
        .first()
    )
    return row["sort_order"] if row else 0
