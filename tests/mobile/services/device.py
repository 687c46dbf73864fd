"""A device store holding one task package, for the service tests (no server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from mobile.sync import Store

MINE = "市场监管局"
OTHERS = "卫生健康委"
CHECKLIST: list[dict[str, Any]] = [
    {"id": "licence", "type": "yes_no", "label": {"zh": "营业执照是否悬挂", "en": "Licence shown"}},
    {
        "id": "why",
        "type": "text",
        "label": {"zh": "未悬挂原因", "en": "Why not"},
        "show_if": {"question": "licence", "equals": False},
    },
    {
        "id": "staff",
        "type": "number",
        "label": {"zh": "从业人数", "en": "Staff"},
        "min": 0,
        "max": 500,
        "photo_required": True,
    },
    {
        "id": "kind",
        "type": "single_choice",
        "label": {"zh": "经营类别", "en": "Kind"},
        "options": [{"value": "shop", "label": "门店"}, {"value": "web", "label": "网店"}],
        "required": False,
    },
]


def package(task_id: int = 7, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": task_id,
        "version": 1,
        "status": "assigned",
        "draw_id": "d-1",
        "plan": {"code": "JH2026-01", "name": "联合抽查"},
        "object": {
            "credit_code": "91110000100000000X",
            "name": "示例餐饮有限公司",
            "address": "北京市东城区示例路1号",
            "region": "110101",
            "industry_code": "H62",
            "risk_class": "B",
        },
        "team": [
            {"badge_no": "110001", "name": "张三", "department": MINE},
            {"badge_no": "220002", "name": "李四", "department": OTHERS},
        ],
        "my_department": MINE,
        "my_badge": "110001",
        "items": [
            {
                "code": "ITEM-A",
                "name": "营业执照",
                "department": MINE,
                "legal_basis": "",
                "kind": "general",
                "checklist": CHECKLIST,
                "template_version": 3,
            },
            {
                "code": "ITEM-B",
                "name": "卫生许可",
                "department": OTHERS,
                "legal_basis": "",
                "kind": "general",
                "checklist": CHECKLIST,
                "template_version": 1,
            },
        ],
        "due_date": "2026-12-10",
    }
    data.update(changes)
    return data


def device(tmp_path: Path, **changes: Any) -> Store:
    store = Store(tmp_path / "device")
    store.save_task_packages([package(**changes)], [], "c1")
    return store


def picture(path: Path, size: tuple[int, int] = (1600, 1200), shade: int = 90) -> Path:
    Image.new("RGB", size, (shade, 120, 160)).save(path, "JPEG", quality=90)
    return path
