"""Group commit: writes that arrive together share one transaction, and each stands alone."""

from __future__ import annotations

import asyncio

import pytest

from server.audit.log import append, verify_chain
from server.audit.tables import AuditEntry
from server.db import transaction
from server.db.transaction import grouped_write, write_transaction
from shared.errors import VALIDATION_FAILED, SuichaError
from tests import dbsetup


async def _audited(name: str, fail: bool = False) -> str:
    async with write_transaction():
        await append(actor="tester", action="test.write", entity="probe", entity_id=name)
        if fail:
            raise SuichaError(VALIDATION_FAILED, reason=f"{name} refused")
    return name


async def test_one_failing_write_does_not_fail_its_group(db: None) -> None:
    names = [f"w{n}" for n in range(12)]
    outcomes = await asyncio.gather(
        *(grouped_write(lambda n=n: _audited(n, fail=n == "w5")) for n in names),
        return_exceptions=True,
    )
    assert isinstance(outcomes[5], SuichaError)
    assert [o for i, o in enumerate(outcomes) if i != 5] == [n for n in names if n != "w5"]
    stored = await AuditEntry.select(AuditEntry.entity_id).order_by(AuditEntry.id)
    # Only the failed write's entry is missing; in a group the chain order is arrival
    # order (on PostgreSQL, the order the writers took the chain's advisory lock).
    kept = [row["entity_id"] for row in stored]
    expected = [n for n in names if n != "w5"]
    assert kept == expected if dbsetup.ENGINE == "sqlite" else sorted(kept) == sorted(expected)
    assert await verify_chain() == []


@pytest.mark.skipif(dbsetup.ENGINE != "sqlite", reason="PostgreSQL groups commits itself")
async def test_writes_arriving_together_share_one_commit(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = transaction.current_engine()
    opened = 0
    real = type(engine).transaction

    def counting(self: object, *args: object, **kwargs: object) -> object:
        nonlocal opened
        opened += 0 if engine.current_transaction.get() is not None else 1
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(type(engine), "transaction", counting)
    names = [f"g{n}" for n in range(20)]
    await asyncio.gather(*(grouped_write(lambda n=n: _audited(n)) for n in names))
    # All 20 were queued before the committer first ran: one transaction, one COMMIT.
    assert opened == 1
    assert await AuditEntry.count() == 20
    assert await verify_chain() == []


async def test_a_grouped_write_inside_a_transaction_joins_it(db: None) -> None:
    with pytest.raises(SuichaError):
        async with write_transaction():
            await grouped_write(lambda: _audited("inner"))
            raise SuichaError(VALIDATION_FAILED, reason="outer refused")
    assert await AuditEntry.count() == 0
