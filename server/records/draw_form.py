"""The printed draw record (抽签记录), for the discipline observer to sign on paper.

It restates the published record (`suicha-draw/1`): the commitment, the
witness input, the revealed secret and seed, every stratum with its ratio,
the businesses drawn with their teams, exclusions by reason, and amendments;
then lines for the lead's and the observer's signatures. Anyone can compare it
with the public page and re-run the draw (`suicha verify-draw`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from server.records.printing import ChineseDocument, china_time

__all__ = ["EXCLUSION_WORDS", "DrawSheet", "draw_record_pdf"]

EXCLUSION_WORDS = {
    "deregistered": "已注销",
    "revoked": "已吊销",
    "inspected_recently": "近期已检查",
    "drawn_in_other_plan": "已被其他计划抽中",
    "annual_cap": "已达年度检查次数上限",
    "abnormal": "经营异常",
}


@dataclass(frozen=True)
class DrawSheet:
    """What the printed record needs besides the record itself (names for codes)."""

    record: Mapping[str, Any]
    plan_name: str
    issuer: str
    """The lead department's name (检查实施机关)."""
    department_names: Mapping[str, str] = field(default_factory=dict)
    business_names: Mapping[str, str] = field(default_factory=dict)
    inspector_names: Mapping[str, str] = field(default_factory=dict)


def _exclusion(reason: str) -> str:
    """`drawn_in_other_plan:CODE` names the other plan; the other reasons are words."""
    kind, _, other = reason.partition(":")
    words = EXCLUSION_WORDS.get(kind, kind)
    return f"{words}（{other}）" if other else words


def _percent(ratio: str | None) -> str:
    if ratio in (None, ""):
        return "—"
    return f"{(Decimal(str(ratio)) * 100).normalize():f}%"


def _team(sheet: DrawSheet, inspectors: Mapping[str, list[str]]) -> str:
    parts = []
    for department, badges in inspectors.items():
        names = "、".join(f"{sheet.inspector_names.get(b, '')}（{b}）" for b in badges)
        parts.append(f"{sheet.department_names.get(department, department)}：{names}")
    return "\n".join(parts)


def draw_record_pdf(sheet: DrawSheet) -> bytes:
    record = sheet.record
    doc = ChineseDocument(title="双随机抽查抽签记录", issuer=sheet.issuer)
    doc.section("一、抽查计划")
    doc.fields(
        [
            ("计划编号", str(record.get("plan_id", ""))),
            ("计划名称", sheet.plan_name),
            ("牵头部门", sheet.issuer),
            (
                "参与部门",
                "、".join(
                    sheet.department_names.get(d["code"], d["code"])
                    for d in record.get("departments", [])
                ),
            ),
            ("抽签编号", str(record.get("draw_id", ""))),
            ("算法", str(record.get("algorithm", ""))),
        ]
    )
    doc.section("二、抽签过程")
    witness = record.get("witness") or ""
    doc.fields(
        [
            ("承诺值（事先公示）", str(record.get("commitment", ""))),
            ("见证人", witness),
            ("见证输入", str(record.get("witness_input") or "")),
            ("服务器密钥（揭示）", str(record.get("server_secret") or "尚未揭示")),
            ("种子", str(record.get("seed") or "尚未抽签")),
            ("对象名录摘要", str(record.get("population_digest", ""))),
            ("抽签时间", china_time(record.get("drawn_at"), seconds=True)),
            ("记录哈希", str(record.get("record_hash") or "")),
        ],
        label_width=42,
    )
    strata = record.get("strata") or {}
    selected = record.get("selected") or {}
    doc.section("三、分类抽取情况")
    doc.grid(
        ["信用风险分类", "名录数量", "抽查比例", "抽中数量"],
        [
            [
                code,
                str(len(s.get("population", []))),
                _percent(s.get("ratio")),
                str(len(selected.get(code, []))),
            ]
            for code, s in strata.items()
        ],
        [40, 44, 44, 46],
    )
    exclusions = Counter(_exclusion(e.get("reason", "")) for e in record.get("exclusions", []))
    if exclusions:
        doc.section("四、依规排除的对象")
        doc.grid(
            ["排除原因", "数量"],
            [[r, str(n)] for r, n in sorted(exclusions.items())],
            [120, 54],
        )
    assignments = record.get("current_assignments") or record.get("assignments") or []
    doc.section(f"五、抽中的检查对象及检查人员（共 {len(assignments)} 户）")
    doc.grid(
        ["序号", "统一社会信用代码", "名称", "检查人员"],
        [
            [
                str(n),
                a["object_id"],
                sheet.business_names.get(a["object_id"], ""),
                _team(sheet, a.get("inspectors", {}))
                + ("（人员不足）" if a.get("understaffed") else ""),
            ]
            for n, a in enumerate(assignments, start=1)
        ],
        [10, 38, 52, 74],
    )
    amendments = record.get("amendments") or []
    if amendments:
        doc.section("六、抽签后的调整（回避、病假等）")
        doc.grid(
            ["时间", "对象", "部门", "调出", "调入", "原因"],
            [
                [
                    china_time(a.get("at")),
                    a.get("object_id", ""),
                    sheet.department_names.get(a.get("department", ""), a.get("department", "")),
                    a.get("removed", ""),
                    a.get("replacement") or "—",
                    a.get("reason", ""),
                ]
                for a in amendments
            ],
            [26, 38, 28, 24, 24, 34],
        )
    doc.section("签字确认")
    doc.paragraph(
        "以上抽签在纪检监察人员见证下于随查平台一次性完成。任何人可在公示页面或使用"
        f"“suicha verify-draw”复核本记录（抽签编号 {record.get('draw_id', '')}）。"
    )
    doc.signature_lines(["抽查组织部门负责人", "纪检监察人员"])
    return doc.to_bytes()
