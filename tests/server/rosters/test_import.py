"""Roster import: all or nothing, every bad row reported, upsert with change records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from server.audit import log
from server.audit.tables import AuditEntry
from server.rosters import importing
from server.rosters.tables import InspectionItem, InspectionObject, Inspector, RosterChange
from shared.errors import SuichaError
from tests.server import factories
from tests.server.rosters.helpers import (
    OBJECT_HEADER,
    credit_code,
    object_row,
    write_csv,
    wrong_check,
)


async def refused(path: Path, kind: str = "objects") -> SuichaError:
    with pytest.raises(SuichaError) as caught:
        await importing.import_file(kind, path, actor="tester")
    return caught.value


def reported(error: SuichaError) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["code"]) for e in error.extra["errors"]]


async def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(
    db: None, tmp_path: Path
) -> None:
    rows = [
        object_row(1),
        object_row(2, 统一社会信用代码=wrong_check(credit_code(2))),
        object_row(3, 统一社会信用代码=credit_code(3)[:17]),
        object_row(4, 风险分类="Z", 经营异常="也许"),
        object_row(5),
        object_row(6, 统一社会信用代码=credit_code(5)),  # the same code as row 6
        object_row(7, 名称="", 投诉数="-3", 行政区划="23"),
        object_row(8, 统一社会信用代码=credit_code(8)[:5] + "I" + credit_code(8)[6:]),
    ]
    error = await refused(write_csv(tmp_path / "objects.csv", OBJECT_HEADER, rows))
    assert error.code == "rosters.import_invalid"
    assert error.status == 422
    assert reported(error) == [
        (3, "统一社会信用代码", "credit_code.check_digit"),
        (4, "统一社会信用代码", "credit_code.length"),
        (5, "风险分类", "rosters.risk_class_unknown"),
        (5, "经营异常", "rosters.not_boolean"),
        (7, "统一社会信用代码", "rosters.duplicate_key"),
        (8, "名称", "rosters.required"),
        (8, "行政区划", "rosters.region_format"),
        (8, "投诉数", "rosters.not_integer"),
        (9, "统一社会信用代码", "credit_code.character"),
    ]
    assert error.extra["error_count"] == 9
    for entry in error.extra["errors"]:
        assert entry["reason"]["zh"] and entry["reason"]["en"]
    assert await InspectionObject.count() == 0
    assert await AuditEntry.count().where(AuditEntry.action == "roster.import") == 0


async def test_credit_codes_typed_loosely_are_imported_in_canonical_form(
    db: None, tmp_path: Path
) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in credit_code(2))
    rows = [
        object_row(1, 统一社会信用代码=credit_code(1).lower()),
        object_row(2, 统一社会信用代码=full_width),
        object_row(3, 统一社会信用代码=f" {credit_code(3)[:9]} {credit_code(3)[9:]} "),
    ]
    summary = await importing.import_file(
        "objects", write_csv(tmp_path / "o.csv", OBJECT_HEADER, rows), actor="tester"
    )
    assert summary.inserted == 3
    stored = {r["credit_code"] for r in await InspectionObject.select(InspectionObject.credit_code)}
    assert stored == {credit_code(1), credit_code(2), credit_code(3)}


async def test_reimport_upserts_and_records_what_changed(db: None, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "v1.csv", OBJECT_HEADER, [object_row(n) for n in (1, 2, 3)])
    await importing.import_file("objects", first, actor="tester")
    before = {
        r["credit_code"]: r["updated_at"]
        for r in await InspectionObject.select(
            InspectionObject.credit_code, InspectionObject.updated_at
        )
    }
    second_rows = [
        object_row(1, 名称="鸡西市第1商店（新）", 标签="餐饮", 风险分类="C"),
        object_row(2),
        object_row(3),
        object_row(4),
    ]
    second = write_csv(tmp_path / "v2.csv", OBJECT_HEADER, second_rows)
    summary = await importing.import_file("objects", second, actor="tester", file_name="v2.csv")
    assert (summary.rows, summary.inserted, summary.updated, summary.unchanged) == (4, 1, 1, 2)
    assert summary.file_sha256 == hashlib.sha256(second.read_bytes()).hexdigest()

    one = (
        await InspectionObject.select()
        .where(InspectionObject.credit_code == credit_code(1))
        .first()
    )
    assert one["name"] == "鸡西市第1商店（新）"
    assert json.loads(one["tags"]) == ["餐饮"]
    assert one["updated_at"] > before[credit_code(1)]
    two = (
        await InspectionObject.select()
        .where(InspectionObject.credit_code == credit_code(2))
        .first()
    )
    assert two["updated_at"] == before[credit_code(2)]
    assert await InspectionObject.count() == 4

    changes = await RosterChange.select().where(RosterChange.roster_import == summary.import_id)
    by_action = {c["action"]: c for c in changes}
    assert json.loads(by_action["update"]["fields"]) == {
        "name": ["鸡西市第1商店", "鸡西市第1商店（新）"],
        "risk_class": ["B", "C"],
        "tags": [["餐饮", "学校周边"], ["餐饮"]],
    }
    assert by_action["update"]["key"] == credit_code(1)
    assert json.loads(by_action["insert"]["fields"]) == {"inserted": [credit_code(4)]}

    entries = await AuditEntry.select().where(AuditEntry.action == "roster.import")
    assert len(entries) == 2
    change = json.loads(entries[-1]["change"])
    assert change["file_sha256"] == summary.file_sha256
    assert change["changes_digest"] == summary.changes_digest
    assert (change["inserted"], change["updated"], change["unchanged"]) == (1, 1, 2)
    assert await log.verify_chain() == []


async def test_absent_optional_columns_keep_stored_values(db: None, tmp_path: Path) -> None:
    await importing.import_file(
        "objects", write_csv(tmp_path / "a.csv", OBJECT_HEADER, [object_row(1)]), actor="t"
    )
    header = ["credit_code", "name", "risk_class"]  # English headers are accepted
    path = write_csv(tmp_path / "b.csv", header, [[credit_code(1), "鸡西市第1商店", "D"]])
    summary = await importing.import_file("objects", path, actor="t")
    assert (summary.updated, summary.unchanged) == (1, 0)
    row = (
        await InspectionObject.select()
        .where(InspectionObject.credit_code == credit_code(1))
        .first()
    )
    assert row["risk_class"] == "D"
    assert json.loads(row["tags"]) == ["餐饮", "学校周边"]
    assert row["address"] == "鸡冠区1号"


async def test_header_problems_are_reported_on_row_one(db: None, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", ["名称", "名称", "颜色"], [["甲", "甲", "红"]])
    error = await refused(path)
    assert reported(error) == [
        (1, "名称", "rosters.column_repeated"),
        (1, "颜色", "rosters.column_unknown"),
        (1, "统一社会信用代码", "rosters.column_missing"),
        (1, "风险分类", "rosters.column_missing"),
    ]


async def test_a_gb18030_csv_from_excel_is_read(db: None, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", OBJECT_HEADER, [object_row(1)], encoding="gb18030")
    summary = await importing.import_file("objects", path, actor="t")
    assert summary.inserted == 1
    row = await InspectionObject.select().first()
    assert row["name"] == "鸡西市第1商店"


INSPECTOR_HEADER = [
    "执法证号",
    "姓名",
    "部门",
    "资格",
    "专长",
    "状态",
    "专家",
    "所在区划",
    "回避对象",
]


async def test_inspector_import_validates_departments_and_conflicts(
    db: None, tmp_path: Path
) -> None:
    await factories.department("SCJG")
    rows = [
        ["230300-001", "张三", "SCJG", "食品;特种设备", "餐饮", "在岗", "否", "230302", ""],
        ["230300-002", "李四", "NOPE", "", "", "active", "", "", ""],
        ["230300-003", "王五", "SCJG", "", "", "跑了", "", "", wrong_check(credit_code(1))],
    ]
    error = await refused(write_csv(tmp_path / "i.csv", INSPECTOR_HEADER, rows), "inspectors")
    assert reported(error) == [
        (3, "部门", "rosters.department_unknown"),
        (4, "状态", "rosters.not_allowed"),
        (4, "回避对象", "credit_code.check_digit"),
    ]
    assert await Inspector.count() == 0

    rows[1][2] = "SCJG"
    rows[2][5] = "休假"
    rows[2][8] = f"{credit_code(1)}：亲属经营；{credit_code(2)}"
    summary = await importing.import_file(
        "inspectors", write_csv(tmp_path / "ok.csv", INSPECTOR_HEADER, rows), actor="t"
    )
    assert summary.inserted == 3
    wang = (
        await Inspector.select()
        .where(Inspector.badge_no == "230300-003")
        .output(load_json=True)
        .first()
    )
    assert wang["status"] == "on_leave"
    assert wang["conflicts"] == [
        {"object": credit_code(1), "reason": "亲属经营"},
        {"object": credit_code(2), "reason": ""},
    ]


ITEM_HEADER = [
    "事项编码",
    "部门",
    "事项名称",
    "执法依据",
    "对象类型",
    "事项类别",
    "比例上限",
    "检查方式",
    "资格要求",
    "检查表",
    "启用",
]
CHECKLIST = json.dumps(
    [{"id": "q1", "type": "yes_no", "label": {"zh": "是否亮照", "en": "Licence shown"}}],
    ensure_ascii=False,
)


async def test_item_import_checks_checklist_and_ratio_cap(db: None, tmp_path: Path) -> None:
    await factories.department("SCJG")
    rows = [
        [
            "SC-001",
            "SCJG",
            "食品经营检查",
            "《食品安全法》",
            "主体",
            "一般",
            "5%",
            "现场;书面",
            "食品",
            CHECKLIST,
            "是",
        ],
        ["SC-002", "SCJG", "特种设备检查", "", "entity", "重点", "0.1", "现场", "", "", ""],
        [
            "SC-003",
            "SCJG",
            "价格检查",
            "",
            "entity",
            "一般",
            "",
            "电话",
            "",
            '[{"id": "q1", "type": "colour"}]',
            "",
        ],
    ]
    error = await refused(write_csv(tmp_path / "items.csv", ITEM_HEADER, rows), "items")
    assert reported(error) == [
        (3, "比例上限", "rosters.ratio_cap_key"),
        (4, "检查方式", "rosters.not_allowed"),
        (4, "检查表", "checklist.invalid"),
    ]
    rows[1][6] = ""
    rows[2][7] = "网络"
    rows[2][9] = ""
    summary = await importing.import_file(
        "items", write_csv(tmp_path / "ok.csv", ITEM_HEADER, rows), actor="t"
    )
    assert summary.inserted == 3
    item = (
        await InspectionItem.select()
        .where(InspectionItem.code == "SC-001")
        .output(load_json=True)
        .first()
    )
    assert item["ratio_cap"] == "0.05"
    assert item["methods"] == ["onsite", "written"]
    assert item["checklist"][0]["id"] == "q1"
    assert item["checklist"][0]["required"] is True
