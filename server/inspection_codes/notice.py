"""The inspection notice (检查通知书): A4 PDF per task with its QR, or one per task of a plan.

Printing a notice issues the business's one-time access code afresh
(`business.issue_access_code`) and prints it: only the paper carries it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import segno

from server.accounts.principal import Principal
from server.inspection_codes import business, errors, queries, service
from server.records.printing import ChineseDocument
from shared import inspection_code
from shared.errors import SuichaError

MAX_NOTICES = 500
"""Tasks in one bulk PDF: a plan bigger than this prints in pages (`offset`)."""


async def _page(doc: ChineseDocument, task_id: int, base_url: str, actor: str) -> None:
    code_row = await queries.by_task(task_id)
    if code_row is None:
        await service.issue_for_tasks([task_id])
        code_row = await queries.by_task(task_id)
    if code_row is None:
        raise SuichaError(errors.TASK_NOT_FOUND)
    row = await service.checked(code_row["code"], None, allow_closed=True)
    url = inspection_code.check_url(base_url, row["code"], row["signature"])
    access = await business.issue_access_code(task_id, actor)
    reason = inspection_code.REASON_CATEGORIES.get(row["reason_category"], "")
    kind = "双随机抽查（随机抽取）" if row["kind"] == "random" else f"定向检查（非随机）：{reason}"
    doc.section(f"致：{row['object_name']}")
    doc.paragraph(
        "根据《关于严格规范涉企行政检查的意见》及双随机、一公开监管要求，"
        "本机关将对贵单位实施行政检查。检查人员到达时应出示检查码，贵单位可扫描下方二维码核验；"
        "未出示检查码或核验不通过的，贵单位可以拒绝检查。"
    )
    doc.fields(
        [
            ("统一社会信用代码", row["object_id"]),
            ("组织部门", row["department_name"] or row["department"]),
            ("检查方式", kind),
            ("检查计划", f"{row['plan_name']}（{row['plan']}）" if row["plan"] else "—"),
            ("检查时段", f"{row['window_start']} 至 {row['window_end']}"),
            ("检查码", row["code"]),
        ]
    )
    officers = await queries.officers(task_id)
    doc.section("检查人员（以执法证件为准）")
    doc.grid(
        ["姓名", "执法证号", "部门"],
        [[o["name"], o["badge_no"], o["department"]] for o in officers] or [["尚未指派", "", ""]],
        [40, 50, doc.epw - 90],
    )
    doc.section("检查事项与依据")
    doc.grid(
        ["事项", "法律依据"],
        [[i["name"], i["legal_basis"] or "—"] for i in await queries.items(task_id)],
        [70, doc.epw - 70],
    )
    doc.section("扫码核验与评价")
    png = io.BytesIO()
    segno.make(url, error="m").save(png, kind="png", scale=6, border=2)
    png.seek(0)
    top = doc.get_y()
    doc.image(png, x=doc.l_margin, y=top, w=42, h=42)
    doc.set_xy(doc.l_margin + 46, top)
    doc.fields(
        [
            ("核验网址", url),
            ("访问码", access),
            ("用途", "检查结束后，凭访问码在核验页面评价本次检查（一次）。"),
        ],
        label_width=20,
    )
    doc.set_y(max(doc.get_y(), top + 44))


async def task_notice(principal: Principal, task_id: int, base_url: str) -> bytes:
    doc = ChineseDocument(title="检查通知书", issuer="随查 · 双随机、一公开")
    await _page(doc, task_id, base_url, principal.username)
    return doc.to_bytes()


async def plan_notices(
    principal: Principal, plan_code: str, base_url: str, offset: int = 0
) -> bytes:
    """One notice per task of the plan's draw, each on its own page(s)."""
    task_ids: Sequence[int] = await queries.plan_task_ids(plan_code, MAX_NOTICES, offset)
    if not task_ids:
        raise SuichaError(errors.TASK_NOT_FOUND)
    doc = ChineseDocument(title="检查通知书", issuer="随查 · 双随机、一公开")
    for index, task_id in enumerate(task_ids):
        if index:
            doc.add_page()
        await _page(doc, task_id, base_url, principal.username)
    return doc.to_bytes()
