"""Plausibility bounds and cross-field invariants: written once, checked by every write path (the forms,
the ledgers and direct data-layer calls all run the same planners). Messages state the bound.
"""
from __future__ import annotations

# A subdistrict of ~50 000 people: generous ceilings that still catch a slipped digit or 万.
SCORE = (0, 100)
OCCUPANCY_WITHOUT_BEDS = 300  # residents of a facility that has no bed count (a day-care centre)
DEMOLISHED_AREA_M2 = (0, 20_000)  # one household's demolished floor area
FACT_BOUNDS: dict[str, tuple[float, float]] = {
    "人": (0, 2_000_000), "名": (0, 2_000_000), "人次": (0, 20_000_000), "户": (0, 500_000),
    "平方米": (0, 50_000_000), "平方公里": (0, 500), "公顷": (0, 50_000), "%": (0, 100),
    "张": (0, 100_000), "床": (0, 100_000), "个": (0, 100_000), "家": (0, 100_000), "处": (0, 100_000),
    "间": (0, 1_000_000), "栋": (0, 100_000), "套": (0, 1_000_000), "条": (0, 100_000), "项": (0, 100_000),
    "次": (0, 1_000_000), "天": (0, 36_500), "岁": (0, 130), "元": (0, 1e11), "万元": (0, 1e7), "亿元": (0, 1e3),
}
FACT_DEFAULT = (0, 1e9)

# (smaller, larger): for the same subject on the same date the first may not exceed the second.
FACT_INVARIANTS: tuple[tuple[str, str], ...] = (
    ("relocation_signed", "relocation_households"),  # 已签订协议 ≤ 涉迁户
    ("relocation_keys", "relocation_signed"),  # 已交钥匙 ≤ 已签订协议
    ("relocation_demolished", "relocation_signed"),  # 已拆除 ≤ 已签订协议
    ("care_residents", "care_beds"),  # 入住 ≤ 床位 (the code the seed and the 养老 view use: data/facts.csv)
    ("care_occupied", "care_beds"),  # the same, under the code staff figures labelled 入住 were given before
)


# The indicator a new figure gets from its label, so the invariants (and the panels) know it.
LABEL_CODES = {
    "涉迁户": "relocation_households", "涉迁户数": "relocation_households",
    "已签订协议": "relocation_signed", "已签约": "relocation_signed", "已签约户数": "relocation_signed",
    "已交钥匙": "relocation_keys", "已交钥匙户数": "relocation_keys",
    "已拆除": "relocation_demolished", "已拆除户数": "relocation_demolished",
    "床位": "care_beds", "床位数": "care_beds",
    "入住": "care_residents", "入住人数": "care_residents", "入住老人": "care_residents",
}


def fact_bounds(unit: str) -> tuple[float, float]:
    return FACT_BOUNDS.get(unit.strip(), FACT_DEFAULT)


def fact_pairs(indicator: str) -> list[tuple[str, str]]:
    """The invariants that mention `indicator`."""
    return [pair for pair in FACT_INVARIANTS if indicator in pair]
