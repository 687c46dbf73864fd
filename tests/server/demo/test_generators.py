"""The demo's generators, without a database: codes, objects, items, inspectors."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

import pytest

from server.demo.codes import organisation_check
from server.demo.departments import DEPARTMENTS
from server.demo.industries import INDUSTRIES, KIND_TYPE_CHARACTER
from server.demo.inspectors import MIN_QUALIFIED, STATION_MINIMUM, generate_inspectors
from server.demo.items import ITEMS, qualification_sets
from server.demo.objects import RISK_MIX, ObjectGenerator
from server.demo.regions import DISTRICTS
from server.rosters.bulk import OBJECT_COLUMNS
from shared.checklist import QUESTION_TYPES, parse_template
from shared.credit_code import is_valid_credit_code

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SAMPLE = 20_000


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return [
        dict(zip(OBJECT_COLUMNS, row, strict=True)) for row in ObjectGenerator(11).rows(SAMPLE, NOW)
    ]


def test_gb11714_check_character_matches_the_standard_example() -> None:
    assert organisation_check("D2143569") == "X"
    assert organisation_check("12345678") == "8"


def test_credit_codes_are_valid_unique_and_agree_with_the_row(rows: list[dict]) -> None:
    codes = [row["credit_code"] for row in rows]
    assert len(set(codes)) == len(codes)
    for row in rows:
        code = row["credit_code"]
        assert is_valid_credit_code(code), code
        assert code[0] == "9"
        assert code[1] == KIND_TYPE_CHARACTER[row["kind"]]
        assert code[2:8] == row["region"]
        assert organisation_check(code[8:16]) == code[16]


def test_risk_status_and_complaint_mix_is_as_configured(rows: list[dict]) -> None:
    risk = Counter(row["risk_class"] for row in rows)
    for code, percent in RISK_MIX:
        assert abs(risk[code] / SAMPLE * 100 - percent) < 2, (code, risk)
    gone = sum(row["status"] in {"deregistered", "revoked"} for row in rows) / SAMPLE
    assert 0.02 < gone < 0.04
    abnormal = sum(row["abnormal"] for row in rows) / SAMPLE
    assert 0.01 < abnormal < 0.03
    complaints = Counter(row["complaints"] for row in rows)
    assert complaints[0] / SAMPLE > 0.75
    assert complaints[1] > complaints[2] > complaints[5] > 0


def test_names_licences_and_tags_follow_the_industry(rows: list[dict]) -> None:
    profiles = {industry.code: industry for industry in INDUSTRIES}
    for row in rows:
        industry = profiles[row["industry_code"]]
        licences = json.loads(row["licences"])
        tags = json.loads(row["tags"])
        assert set(industry.licences) <= set(licences)
        assert set(industry.tags) <= set(tags)
        if "食品经营" in tags:
            assert "食品经营许可证" in licences, row
        if row["industry_code"].startswith("H62"):
            assert "餐饮服务" in tags
        if row["kind"] == "cooperative":
            assert row["name"].endswith("合作社") and "农民专业合作社" in tags
        if row["kind"] == "enterprise":
            assert row["name"].endswith("公司"), row["name"]
        assert any(word in row["name"] for word in industry.words[row["kind"]])
        assert row["address"].startswith("黑龙江省鸡西市")


def test_every_item_scope_has_objects(rows: list[dict]) -> None:
    tags = Counter(tag for row in rows for tag in json.loads(row["tags"]))
    for item in ITEMS:
        if item.scope_tag:
            assert tags[item.scope_tag] > 0, item.code


def test_same_seed_same_rows_and_another_seed_other_rows() -> None:
    first = list(ObjectGenerator(5).rows(2_000, NOW))
    assert first == list(ObjectGenerator(5).rows(2_000, NOW))
    other = list(ObjectGenerator(6).rows(2_000, NOW))
    assert first != other


def test_item_templates_are_valid_and_use_every_question_type() -> None:
    assert 35 <= len(ITEMS) <= 45
    assert len({item.code for item in ITEMS}) == len(ITEMS)
    departments = {department.code for department in DEPARTMENTS}
    used_types: set[str] = set()
    conditional = photo_required = 0
    for item in ITEMS:
        assert item.department in departments
        assert item.code.startswith(item.department + "-")
        assert (item.kind == "general") == (item.ratio_cap is not None), item.code
        assert item.legal_basis.startswith("《") and item.methods
        template = parse_template(list(item.checklist))
        assert 3 <= len(template) <= 8, item.code
        used_types |= {question.type for question in template.questions}
        conditional += sum(question.show_if is not None for question in template.questions)
        photo_required += sum(question.photo_required for question in template.questions)
    assert used_types == set(QUESTION_TYPES)
    assert conditional >= 10 and photo_required >= 5


def test_inspectors_cover_every_item_and_keep_the_department_sizes() -> None:
    roster = generate_inspectors(3, ["91230302MA1B2C3D4E"])
    assert len({officer.badge_no for officer in roster}) == len(roster)
    sizes = Counter(officer.department for officer in roster)
    assert sizes == {department.code: department.inspectors for department in DEPARTMENTS}
    assert sizes["SCJG"] == max(sizes.values())
    for department, sets in qualification_sets().items():
        active = [o for o in roster if o.department == department and o.status == "active"]
        for needed in sets:
            holders = [o for o in active if needed <= set(o.qualifications)]
            assert len(holders) >= MIN_QUALIFIED, (department, needed)
    statuses = Counter(officer.status for officer in roster)
    assert statuses["active"] > 0.8 * len(roster) and statuses["on_leave"] and statuses["left"]
    assert any(officer.is_expert for officer in roster)
    assert [c["object"] for o in roster for c in o.conflicts] == ["91230302MA1B2C3D4E"] * 8
    assert generate_inspectors(3, ["91230302MA1B2C3D4E"]) == roster


@pytest.mark.parametrize("seed", [1, 2026])
def test_the_first_badge_of_every_department_is_an_active_officer(seed: int) -> None:
    roster = {officer.badge_no: officer for officer in generate_inspectors(seed, [])}
    for department in DEPARTMENTS:
        assert roster[f"{department.code}-0001"].status == "active"


def test_market_regulation_officers_are_stationed_in_every_district() -> None:
    stations = Counter(
        officer.station_region
        for officer in generate_inspectors(9, [])
        if officer.department == "SCJG"
    )
    assert set(stations) == {district.code for district in DISTRICTS}
    assert min(stations.values()) >= STATION_MINIMUM
