"""The test vector of docs/draw-v1.md (the spec page), exactly."""

from __future__ import annotations

from shared.draw import (
    ALGORITHM,
    DepartmentSpec,
    DrawInput,
    StratumSpec,
    commitment,
    derive_seed,
    population_digest,
    population_text,
    run_draw,
    select_objects,
    verify_record,
)

POPULATION = {"A": ["91110000000000019B", "911100000000000276"]}
SECRET = bytes(32)
COMMITMENT = "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
DIGEST = "dd545393acc02d81e6f35f6f7995abeb0edc168ad2f8b17188ee225dd7b988d5"
SEED = "92d44edda0cea1f4ccba3ebd6783b2b24fa059857bce3c2c5c6e01b0b508d0db"


def vector_input() -> DrawInput:
    return DrawInput(
        plan_id="P-1",
        server_secret=SECRET,
        witness_input="12345",
        strata={"A": StratumSpec(ratio="0.5", cap=None, population=POPULATION["A"])},
        exclusions=[],
        # Given out of order on purpose: departments go in ascending code.
        departments=[
            DepartmentSpec(code="YJGL", per_task=1, pool=["YJ-002", "YJ-001"]),
            DepartmentSpec(code="SCJG", per_task=1, pool=["SC-003", "SC-001", "SC-002"]),
        ],
        conflicts=[],
        drawn_at="2026-03-02T09:30:00+08:00",
        witness="纪检监察室 李明",
        signatures=[],
    )


def test_building_blocks_match_the_vector() -> None:
    assert commitment(SECRET) == COMMITMENT
    assert population_text(POPULATION) == ("stratum:A\n91110000000000019B\n911100000000000276\n")
    assert population_digest(POPULATION) == DIGEST
    seed = derive_seed(SECRET, "12345", DIGEST, "P-1")
    assert seed.hex() == SEED
    stratum = StratumSpec(ratio="0.5", cap=None, population=POPULATION["A"])
    assert select_objects(seed, {"A": stratum}) == {"A": ["911100000000000276"]}


def test_the_record_matches_the_vector() -> None:
    record = run_draw(vector_input())
    assert record["algorithm"] == ALGORITHM == "suicha-draw/1"
    assert record["commitment"] == COMMITMENT
    assert record["server_secret"] == "00" * 32
    assert record["population_digest"] == DIGEST
    assert record["seed"] == SEED
    assert record["selected"] == {"A": ["911100000000000276"]}
    assert [d["code"] for d in record["departments"]] == ["SCJG", "YJGL"]
    assert record["assignments"] == [
        {
            "object_id": "911100000000000276",
            "inspectors": {"SCJG": ["SC-001"], "YJGL": ["YJ-001"]},
            "understaffed": [],
        }
    ]
    assert verify_record(record) == []


def test_the_record_has_every_published_field() -> None:
    record = run_draw(vector_input())
    assert set(record) >= {
        "algorithm", "plan_id", "commitment", "witness_input", "server_secret", "strata",
        "exclusions", "population_digest", "seed", "selected", "departments", "conflicts",
        "assignments", "amendments", "drawn_at", "witness", "signatures",
    }  # fmt: skip
    assert record["strata"] == {"A": {"ratio": "0.5", "cap": None, "population": POPULATION["A"]}}
