"""The demo object roster (检查对象名录库): market entities as bulk-insert row tuples.

Rows follow `server.rosters.bulk.OBJECT_COLUMNS`. Every draw comes from one
`random.Random`, so the same seed and count give the same rows; the roster is
generated lazily, so a million objects never sit in memory at once.
"""

from __future__ import annotations

import json
import random
from bisect import bisect_right
from collections.abc import Iterator
from datetime import datetime
from itertools import accumulate
from typing import Any

from server.demo import names
from server.demo.codes import CreditCodeMaker
from server.demo.industries import (
    COOPERATIVE,
    ENTERPRISE,
    INDIVIDUAL,
    INDUSTRIES,
    KIND_TYPE_CHARACTER,
    Industry,
)
from server.demo.regions import CITY_NAME, DISTRICTS, PROVINCE_NAME, VILLAGE_NAMES, District

RISK_MIX: tuple[tuple[str, int], ...] = (("A", 30), ("B", 50), ("C", 15), ("D", 5))
"""Credit-risk classes and their shares (%): most businesses low or normal risk."""

STATUS_MIX: tuple[tuple[str, int], ...] = (("active", 970), ("deregistered", 20), ("revoked", 10))
"""存续 / 注销 / 吊销, per mille."""

ABNORMAL_SHARE = {"A": 0.005, "B": 0.015, "C": 0.035, "D": 0.10}
"""Share on the abnormal-operations list by risk class (about 2 % overall)."""

NO_COMPLAINT_SHARE = {"A": 0.93, "B": 0.86, "C": 0.70, "D": 0.50}
"""Share with no complaint by risk class; the rest have a few, rarely many."""

NEW_STYLE_SHARE = 0.65
"""Share of entities registered after 2015, whose organisation code starts `MA`."""

COOPERATIVE_TAG = "农民专业合作社"
LEGAL_FORMS = (("有限公司", 85), ("有限责任公司", 12), ("股份有限公司", 3))
PLACE_NAMES = {"230382": "兴凯湖", "230381": "乌苏里"}
"""Well-known local names that cooperatives and fisheries use."""


class _Weighted:
    """Weighted choice by bisecting cumulative weights: `random.choices` without its overhead."""

    def __init__(self, values: list[Any], weights: list[float]) -> None:
        self.values = values
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


class _IndustryDraw:
    """An industry profile prepared for fast repeated drawing."""

    def __init__(self, industry: Industry) -> None:
        self.industry = industry
        self.kinds = _Weighted(list(industry.kinds), list(industry.kinds.values()))
        self._json: dict[tuple[str, int], tuple[str, str]] = {}

    def licences_and_tags(self, kind: str, extras_mask: int) -> tuple[str, str]:
        """JSON texts of the licences and tags, cached: only a few combinations exist."""
        key = (kind, extras_mask)
        cached = self._json.get(key)
        if cached is None:
            licences = list(self.industry.licences)
            tags = list(self.industry.tags)
            for bit, extra in enumerate(self.industry.extras):
                if extras_mask & (1 << bit):
                    if extra.licence and extra.licence not in licences:
                        licences.append(extra.licence)
                    tags.extend(tag for tag in extra.tags if tag not in tags)
            if kind == COOPERATIVE and COOPERATIVE_TAG not in tags:
                tags.append(COOPERATIVE_TAG)
            cached = (
                json.dumps(licences, ensure_ascii=False),
                json.dumps(tags, ensure_ascii=False),
            )
            self._json[key] = cached
        return cached


class ObjectGenerator:
    """Generates object rows for one seed, in a fixed order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"suicha-demo/{seed}/objects")
        self.codes = CreditCodeMaker.seeded(random.Random(f"suicha-demo/{seed}/credit-codes"))
        self.industries = _Weighted(
            [_IndustryDraw(industry) for industry in INDUSTRIES],
            [industry.weight for industry in INDUSTRIES],
        )
        self.districts = _Weighted(list(DISTRICTS), [district.weight for district in DISTRICTS])
        self.risk_classes = _Weighted([c for c, _ in RISK_MIX], [w for _, w in RISK_MIX])
        self.statuses = _Weighted([s for s, _ in STATUS_MIX], [w for _, w in STATUS_MIX])
        self.forms = _Weighted([f for f, _ in LEGAL_FORMS], [w for _, w in LEGAL_FORMS])

    def rows(self, count: int, updated_at: datetime) -> Iterator[tuple[Any, ...]]:
        """`count` rows in `OBJECT_COLUMNS` order."""
        if count > self.codes.capacity():
            raise ValueError(f"at most {self.codes.capacity()} demo objects")
        for index in range(count):
            yield self._row(index, updated_at)

    def _row(self, index: int, updated_at: datetime) -> tuple[Any, ...]:
        rng = self.rng
        draw: _IndustryDraw = self.industries.pick(rng)
        industry = draw.industry
        kind: str = draw.kinds.pick(rng)
        district: District = self.districts.pick(rng)
        extras_mask = 0
        for bit, extra in enumerate(industry.extras):
            if rng.random() < extra.share:
                extras_mask |= 1 << bit
        licences, tags = draw.licences_and_tags(kind, extras_mask)
        risk: str = self.risk_classes.pick(rng)
        status: str = self.statuses.pick(rng)
        abnormal = rng.random() < ABNORMAL_SHARE[risk]
        complaints = 0
        if rng.random() >= NO_COMPLAINT_SHARE[risk]:
            complaints = min(1 + int(rng.expovariate(0.7)), 40)
        code = self.codes.credit_code(
            index,
            type_character=KIND_TYPE_CHARACTER[kind],
            region=district.code,
            new_style=rng.random() < NEW_STYLE_SHARE,
        )
        rural = kind == COOPERATIVE or rng.random() < industry.rural
        return (
            code,
            self._name(kind, industry, district),
            kind,
            industry.code,
            licences,
            district.code,
            self._rural_address(district) if rural else self._street_address(kind, district),
            risk,
            status,
            abnormal,
            complaints,
            tags,
            updated_at,
        )

    def _name(self, kind: str, industry: Industry, district: District) -> str:
        rng = self.rng
        word = rng.choice(industry.words[kind])
        if kind == INDIVIDUAL:
            return district.name + self._shop_name() + word
        if kind == COOPERATIVE:
            place = PLACE_NAMES.get(district.code) if rng.random() < 0.3 else None
            return district.name + (place or rng.choice(VILLAGE_NAMES)) + word
        assert kind == ENTERPRISE
        trade = names.trade_name(rng)
        if rng.random() < 0.15:
            trade += rng.choice(names.TRADE_CHARACTERS)
        form: str = self.forms.pick(rng)
        return self._enterprise_prefix(district) + trade + word + form

    def _enterprise_prefix(self, district: District) -> str:
        roll = self.rng.random()
        if roll < 0.1:
            return "黑龙江"
        if district.is_county:
            return district.name
        return "鸡西" if roll < 0.3 else CITY_NAME

    def _shop_name(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return names.surname(rng) + "记"
        if roll < 0.45:
            return "老" + names.surname(rng) + "家"
        if roll < 0.55:
            return names.surname(rng) + "氏"
        return names.trade_name(rng)

    def _street_address(self, kind: str, district: District) -> str:
        rng = self.rng
        number = 1 + int(rng.expovariate(1 / 60)) % 600
        address = (
            f"{PROVINCE_NAME}{CITY_NAME}{district.name}{rng.choice(district.streets)}{number}号"
        )
        if kind == ENTERPRISE and rng.random() < 0.25:
            address += f"{rng.randint(1, 12)}号楼{rng.randint(1, 18)}{rng.randint(1, 9):02d}室"
        return address

    def _rural_address(self, district: District) -> str:
        rng = self.rng
        village = rng.choice(VILLAGE_NAMES) + "村"
        return f"{PROVINCE_NAME}{CITY_NAME}{district.name}{rng.choice(district.towns)}{village}"
