"""The printed 现场检查笔录 / 随机抽查情况记录表 of one task.

Filled from what the field app sent: the visit record (arrival, method, people
present, notes), every item's current result (category with the wording it was
recorded with, findings, follow-up measure) and the signatures of the business's
representative and of each inspector, drawn as they were signed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from server.records.printing import ChineseDocument, china_time
from shared.visit import METHODS

__all__ = ["InspectionSheet", "ItemLine", "SignatureImage", "inspection_record_pdf"]

_METHOD_WORDS = {m.value: m.zh for m in METHODS}


@dataclass(frozen=True)
class ItemLine:
    item_name: str
    department: str
    category: str
    """Code and wording, e.g. `1 未发现问题`."""
    findings: str
    follow_up: str
    inspector: str


@dataclass(frozen=True)
class SignatureImage:
    role: str
    """`representative` or `inspector`."""
    name: str
    badge: str | None
    signed_at: str
    png: bytes | None
    """None when the image is not on the server (the line then stays blank)."""


@dataclass(frozen=True)
class InspectionSheet:
    issuer: str
    task_code: str
    plan_code: str
    plan_name: str
    business_name: str
    credit_code: str
    address: str
    team: Sequence[tuple[str, str, str]]
    """(department name, inspector name, badge)."""
    visit: Mapping[str, object] | None
    items: Sequence[ItemLine]
    signatures: Sequence[SignatureImage] = field(default_factory=tuple)
    completed_at: str | None = None


def _people(visit: Mapping[str, object]) -> str:
    people = visit.get("people") or []
    lines = []
    for person in people:  # type: ignore[attr-defined]
        role = f"（{person.get('role')}）" if person.get("role") else ""
        number = f"，证件号码 {person.get('id_number')}" if person.get("id_number") else ""
        lines.append(f"{person.get('name', '')}{role}{number}")
    return "；".join(lines)


def _signature(doc: ChineseDocument, signature: SignatureImage, width: float) -> None:
    who = "被检查单位代表" if signature.role == "representative" else "检查人员"
    badge = f"（{signature.badge}）" if signature.badge else ""
    doc.fields([(f"{who}签名", f"{signature.name}{badge}  {china_time(signature.signed_at)}")])
    if signature.png:
        if doc.get_y() + 28 > doc.h - doc.b_margin:
            doc.add_page()
        doc.image(
            io.BytesIO(signature.png), x=doc.l_margin + 38, w=width, h=24, keep_aspect_ratio=True
        )
        doc.ln(1)


def inspection_record_pdf(sheet: InspectionSheet) -> bytes:
    doc = ChineseDocument(title="现场检查笔录（随机抽查情况记录表）", issuer=sheet.issuer)
    doc.section("一、检查任务")
    doc.fields(
        [
            ("抽查计划", f"{sheet.plan_name}（{sheet.plan_code}）"),
            ("抽查任务编号", sheet.task_code),
            ("检查实施机关", sheet.issuer),
            (
                "检查人员",
                "；".join(f"{dept} {name}（执法证号 {badge}）" for dept, name, badge in sheet.team),
            ),
        ]
    )
    doc.section("二、被检查对象")
    doc.fields(
        [
            ("名称", sheet.business_name),
            ("统一社会信用代码", sheet.credit_code),
            ("住所（经营场所）", sheet.address),
        ]
    )
    doc.section("三、现场检查情况")
    visit = sheet.visit or {}
    doc.fields(
        [
            ("到达时间", china_time(str(visit.get("arrival_at") or "")) or "未记录"),
            ("检查方式", _METHOD_WORDS.get(str(visit.get("method") or ""), "未记录")),
            ("在场人员", _people(visit) or "未记录"),
            ("检查完成时间", china_time(sheet.completed_at) or "未提交"),
            ("现场情况记录", str(visit.get("notes") or "") or "无"),
        ]
    )
    doc.section("四、检查事项及结果")
    doc.grid(
        ["检查事项", "实施部门", "检查结果", "发现的问题", "后续处置", "检查人员"],
        [
            [
                line.item_name,
                line.department,
                line.category,
                line.findings or "无",
                line.follow_up or "—",
                line.inspector,
            ]
            for line in sheet.items
        ],
        [38, 26, 28, 34, 28, 20],
    )
    doc.section("五、签名")
    if sheet.signatures:
        for signature in sheet.signatures:
            _signature(doc, signature, width=60)
    else:
        doc.paragraph("设备尚未提交签名。")
        doc.signature_lines(["被检查单位代表", "检查人员"])
    doc.paragraph(
        "本笔录由随查平台根据检查人员现场记录生成，签名为现场手写签名的原样图像。", size=8.5
    )
    return doc.to_bytes()
