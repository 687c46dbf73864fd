"""verify_record re-runs a published record and names every tampered field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from shared.draw import Discrepancy, amend, run_draw, verify_record
from tests.shared.draw.builders import medium_input

Record = dict[str, Any]


@pytest.fixture(scope="module")
def published() -> Record:
    record = run_draw(medium_input())
    task = record["assignments"][2]
    record = amend(
        record,
        object_id=task["object_id"],
        department="YJGL",
        removed=task["inspectors"]["YJGL"][0],
        reason="病假",
        at="2026-03-03T08:00:00+08:00",
    )
    # What the server publishes and a citizen downloads: plain JSON.
    return json.loads(json.dumps(record, ensure_ascii=False))


def test_an_untouched_record_verifies(published: Record) -> None:
    assert verify_record(published) == []


def _fields(record: Record, tamper: Callable[[Record], None]) -> list[Discrepancy]:
    changed = copy.deepcopy(record)
    tamper(changed)
    found = verify_record(changed)
    for d in found:
        assert d.message_zh and d.message_en
    return found


def _other_id(record: Record, stratum: str) -> str:
    chosen = set(record["selected"][stratum])
    return next(x for x in record["strata"][stratum]["population"] if x not in chosen)


def test_a_swapped_selected_id(published: Record) -> None:
    other = _other_id(published, "B")
    found = _fields(published, lambda r: r["selected"]["B"].__setitem__(0, other))
    assert [d.field for d in found] == ["selected.B"]
    assert found[0].found[0] == other
    assert found[0].expected == published["selected"]["B"]


def test_an_id_from_outside_the_population(published: Record) -> None:
    found = _fields(published, lambda r: r["selected"]["A"].__setitem__(0, "91110000MA00000000"))
    assert "selected.A" in {d.field for d in found}
    assert any("91110000MA00000000" in d.message_en for d in found)


def test_selection_order(published: Record) -> None:
    found = _fields(published, lambda r: r["selected"]["B"].reverse())
    assert [d.field for d in found] == ["selected.B"]
    assert "key order" in found[0].message_en and "顺序" in found[0].message_zh


def test_an_assignment(published: Record) -> None:
    def tamper(record: Record) -> None:
        team = record["assignments"][5]["inspectors"]["SCJG"]
        team[0] = "SC-006" if team[0] != "SC-006" else "SC-005"

    found = _fields(published, tamper)
    assert [d.field for d in found] == ["assignments[5]"]


def test_a_removed_understaffed_flag(published: Record) -> None:
    def tamper(record: Record) -> None:
        record["assignments"][0]["understaffed"] = ["SCJG"]

    assert [d.field for d in _fields(published, tamper)] == ["assignments[0]"]


def test_the_server_secret(published: Record) -> None:
    def tamper(record: Record) -> None:
        record["server_secret"] = "11" * 32

    found = _fields(published, tamper)
    assert found[0].field == "commitment"
    assert "seed" in {d.field for d in found}


def test_the_witness_input(published: Record) -> None:
    def tamper(record: Record) -> None:
        record["witness_input"] = record["witness_input"].replace("7391", "7392")

    found = _fields(published, tamper)
    assert found[0].field == "seed"
    assert "population_digest" not in {d.field for d in found}
    assert "commitment" not in {d.field for d in found}


def test_a_population_id(published: Record) -> None:
    def tamper(record: Record) -> None:
        record["strata"]["A"]["population"][-1] = "911100000000099999"

    found = _fields(published, tamper)
    assert found[0].field == "population_digest"


def test_an_exclusion_moved_into_a_population(published: Record) -> None:
    def tamper(record: Record) -> None:
        record["strata"]["D"]["population"].append(record["exclusions"][0]["id"])

    fields = {d.field for d in _fields(published, tamper)}
    assert {"exclusions[0]", "population_digest"} <= fields


def test_an_id_moved_out_of_a_population_into_the_exclusions(published: Record) -> None:
    def tamper(record: Record) -> None:
        moved = record["strata"]["C"]["population"].pop(0)
        record["exclusions"].append({"id": moved, "reason": "inspected_recently"})

    assert _fields(published, tamper)[0].field == "population_digest"


def test_an_amendment_replacement(published: Record) -> None:
    def tamper(record: Record) -> None:
        entry = record["amendments"][0]
        entry["replacement"] = "YJ-003" if entry["replacement"] != "YJ-003" else "YJ-002"

    assert "amendments[0].replacement" in {d.field for d in _fields(published, tamper)}


def test_an_amendment_removing_someone_who_was_not_there(published: Record) -> None:
    def tamper(record: Record) -> None:
        record["amendments"][0]["removed"] = "YJ-404"

    assert "amendments[0]" in {d.field for d in _fields(published, tamper)}


def test_the_current_teams(published: Record) -> None:
    def tamper(record: Record) -> None:
        record["current_assignments"][2]["inspectors"]["YJGL"] = []

    assert [d.field for d in _fields(published, tamper)] == ["current_assignments[2]"]


def test_a_count_beyond_the_ratio(published: Record) -> None:
    def tamper(record: Record) -> None:
        record["strata"]["A"]["ratio"] = "0.06"

    fields = {d.field for d in _fields(published, tamper)}
    assert "selected.A.count" in fields


def test_the_algorithm_name(published: Record) -> None:
    found = _fields(published, lambda r: r.__setitem__("algorithm", "suicha-draw/2"))
    assert [d.field for d in found] == ["algorithm"]


def test_an_unrevealed_secret(published: Record) -> None:
    found = _fields(published, lambda r: r.__setitem__("server_secret", None))
    assert [d.field for d in found] == ["server_secret"]


@pytest.mark.parametrize("key", ["strata", "assignments", "departments", "commitment"])
def test_a_missing_field(published: Record, key: str) -> None:
    found = _fields(published, lambda r: r.pop(key))
    assert found[-1].field == key


def test_a_seed_error_reports_the_cause_not_every_task() -> None:
    record = run_draw(medium_input())
    record["witness_input"] = "forged"
    found = verify_record(record)
    assert found[0].field == "seed"
    assert len(found) < 60


def test_an_id_published_in_two_strata(published: Record) -> None:
    def tamper(record: Record) -> None:
        record["strata"]["D"]["population"].append(record["strata"]["A"]["population"][0])

    found = _fields(published, tamper)
    assert any(d.field == "strata.D.population" and "twice" in d.message_en for d in found)


def test_an_id_not_in_nfc(published: Record) -> None:
    found = _fields(published, lambda r: r["strata"]["A"]["population"].append("Cafe\u0301"))
    assert any(d.field == "strata.A.population" and "NFC" in d.message_en for d in found)
