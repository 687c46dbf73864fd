"""The audit log is a hash chain: appends link, tampering is found."""

from __future__ import annotations

import pytest

from server.audit import log
from server.audit.tables import AuditEntry
from tests.server import factories


async def test_appended_entries_form_an_intact_chain(db) -> None:
    first = await log.append(
        actor="admin",
        action="object.create",
        entity="object",
        entity_id="91110000000000019B",
        change={"name": "甲公司"},
    )
    second = await log.append(
        actor="lead",
        action="object.update",
        entity="object",
        entity_id="91110000000000019B",
        change={"name": ["甲公司", "乙公司"]},
    )
    rows = await AuditEntry.select().order_by(AuditEntry.id)
    assert rows[0]["prev_hash"] == log.GENESIS_HASH
    assert rows[1]["prev_hash"] == first
    assert rows[1]["entry_hash"] == second
    assert await log.verify_chain() == []


async def test_a_changed_entry_is_detected(db) -> None:
    for n in range(3):
        await log.append(actor="admin", action="x", entity="object", change={"n": n})
    rows = await AuditEntry.select().order_by(AuditEntry.id)
    async with factories.audit_protection_lifted():
        await AuditEntry.update({AuditEntry.change: '{"n":99}'}).where(
            AuditEntry.id == rows[1]["id"]
        )
    breaks = await log.verify_chain()
    assert [b.entry_id for b in breaks] == [rows[1]["id"]]


async def test_a_removed_entry_is_detected(db) -> None:
    for n in range(3):
        await log.append(actor="admin", action="x", entity="object", change={"n": n})
    rows = await AuditEntry.select().order_by(AuditEntry.id)
    async with factories.audit_protection_lifted():
        await AuditEntry.delete().where(AuditEntry.id == rows[1]["id"])
    breaks = await log.verify_chain()
    assert [b.entry_id for b in breaks] == [rows[2]["id"]]
    assert "prev_hash" in breaks[0].reason


async def test_the_database_refuses_to_change_or_remove_an_entry(db) -> None:
    await log.append(actor="admin", action="x", entity="object", change={"n": 1})
    before = await AuditEntry.select().order_by(AuditEntry.id)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.actor: "someone else"}).where(
            AuditEntry.id == before[0]["id"]
        )
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.delete().where(AuditEntry.id == before[0]["id"])
    assert await AuditEntry.select().order_by(AuditEntry.id) == before
    assert await log.verify_chain() == []
