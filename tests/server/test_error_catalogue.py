"""Every declared error's Chinese message is Chinese from start to end.

A clerk reads `detail.zh`; an English fragment in it (a field name, an enum
code, an English reason) is a defect. Allowed besides Chinese: `{placeholders}`,
digits, what a user typed quoted back (“…”), a code the caller must send in
parentheses after its Chinese name (部门年度计划（annual）), and the few file
formats, algorithms and products with no Chinese name (`FORMAT_NAMES`).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from shared.errors import CATALOGUE, ErrorSpec
from tests.support.wording import english_words

ROOT = Path(__file__).resolve().parents[2]
_DECLARES = re.compile(r"\bdefine\(")


def _declaring_modules() -> list[str]:
    """Every module of the server, shared and mobile packages that declares an error.

    Imported by file, not by walking packages: importing the field app's window
    modules would start Kivy.
    """
    names = []
    for top in ("server", "shared", "mobile"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "piccolo_migrations" in path.parts or not _DECLARES.search(path.read_text()):
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _catalogue() -> dict[str, ErrorSpec]:
    from server.app import create_app

    create_app()
    for name in _declaring_modules():
        importlib.import_module(name)
    return dict(CATALOGUE)


def test_the_catalogue_is_complete_enough_to_mean_something() -> None:
    catalogue = _catalogue()
    assert len(catalogue) > 150
    for code in ("checklist.answers_invalid", "rosters.import_format", "request.invalid"):
        assert code in catalogue


@pytest.mark.parametrize("code", sorted(_catalogue()))
def test_every_chinese_message_is_chinese(code: str) -> None:
    spec = CATALOGUE[code]
    assert english_words(spec.zh, templates=True) == [], f"{code}: {spec.zh}"
    assert re.search(r"[\u4e00-\u9fff]", spec.zh), f"{code}: {spec.zh}"


@pytest.mark.parametrize(
    ("zh", "words"),
    [
        (
            "检查表答案有1处问题：fridge_temp: The answer is out of range",
            ["fridge_temp", "The", "answer", "is", "out", "of", "range"],
        ),
        ("计划类型须为“annual”（部门年度计划）", []),
        ("未知名录类型，可用：检查对象（objects）", []),
        ("请求内容不合法：{reason}", []),
        ("JSON 嵌套层数过多", []),
        ("应为 true 或 false", ["true", "false"]),
    ],
)
def test_the_wording_check_itself(zh: str, words: list[str]) -> None:
    assert english_words(zh, templates=True) == words
