"""Roster test data: valid credit codes and small roster files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.server.factories import credit_code

OBJECT_HEADER = [
    "统一社会信用代码",
    "名称",
    "类型",
    "行业代码",
    "许可证",
    "行政区划",
    "地址",
    "风险分类",
    "状态",
    "经营异常",
    "投诉数",
    "标签",
]


def wrong_check(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def object_row(n: int, **changes: str) -> list[str]:
    row = {
        "统一社会信用代码": credit_code(n),
        "名称": f"鸡西市第{n}商店",
        "类型": "企业",
        "行业代码": "F52",
        "许可证": "食品经营许可证",
        "行政区划": "230302",
        "地址": f"鸡冠区{n}号",
        "风险分类": "B",
        "状态": "存续",
        "经营异常": "否",
        "投诉数": "0",
        "标签": "餐饮；学校周边",
    }
    row.update(changes)
    return [row[h] for h in OBJECT_HEADER]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8"
) -> Path:
    path.write_text(csv_text(header, rows), encoding=encoding)
    return path
