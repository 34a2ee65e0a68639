"""Deterministic demo data (示例数据) for what the article does not publish.

Every generator takes a fixed seed and returns plain records; `lib.seed` stores them under the
`demo` source so every query result and screen can flag them. Where the article gives a total,
the demo rows are scaled to agree with it (62 of 78 households signed and 6100余 m² demolished on
2023-11-22; 48 of 50 beds on 2023-11-22; 832万元 over 50多 红色物业 projects).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

SEED = 20231122
AS_OF = dt.date(2023, 11, 22)  # the article's "截至目前"
STAR_DATES = [dt.date(2023, 3, 31), dt.date(2023, 6, 30), dt.date(2023, 9, 30), AS_OF]
STARS = ["支部过硬星", "平安法治星", "共建共享星", "工业兴业星", "幸福和谐星"]
L_CLUSTER = ["大官庄", "中兴", "工业路", "西华"]


def star_status(score: float) -> str:
    if score >= 85:
        return "已达标"
    if score >= 40:
        return "创建中"
    return "未启动"


@dataclass(frozen=True)
class StarRow:
    community: str
    star: str
    valid_from: dt.date
    status: str
    score: float


def star_assessments(communities: list[str], *, seed: int = SEED) -> list[StarRow]:
    """Scores rise over the year; the article's strong points start higher."""
    rng = random.Random(seed)
    strong = {
        ("中兴", "支部过硬星"), ("中兴", "平安法治星"), ("中兴", "共建共享星"), ("中兴", "工业兴业星"),
    }
    rows = []
    for name in communities:
        for star in STARS:
            base = rng.uniform(20, 60)
            if name in L_CLUSTER:
                base += 15
            if (name, star) in strong or (star == "幸福和谐星" and name in L_CLUSTER):
                base += 25
            score = base
            for when in STAR_DATES:
                score = min(100.0, score + rng.uniform(2, 12))
                rows.append(StarRow(name, star, when, star_status(score), round(score, 1)))
    return rows


@dataclass(frozen=True)
class HouseholdRow:
    code: str
    floor_area_m2: float
    steps: tuple[tuple[str, dt.date], ...]  # (status, date) in ladder order


def _scaled(rng: random.Random, n: int, total: float, lo: float, hi: float) -> list[float]:
    raw = [rng.uniform(lo, hi) for _ in range(n)]
    factor = total / sum(raw)
    out = [round(x * factor, 1) for x in raw]
    out[-1] = round(total - sum(out[:-1]), 1)
    return out


def households(*, total: int = 78, signed: int = 62, seed: int = SEED) -> list[HouseholdRow]:
    """78 anonymised households: 62 signed by 2023-11-22, 40 of them demolished (6,150 m²,
    of which 4 households / 620 m² on 11-22, matching 「600多平方米」 and 「6100余平方米」)."""
    rng = random.Random(seed + 1)
    keys, demolished, on_day = 50, 40, 4
    areas_before = _scaled(rng, demolished - on_day, 5530.0, 90, 220)
    areas_day = _scaled(rng, on_day, 620.0, 120, 190)
    rows = []
    start = dt.date(2023, 11, 6)
    for i in range(total):
        code = f"WH-{i + 1:03d}"
        steps: list[tuple[str, dt.date]] = [("未签约", dt.date(2023, 11, 1))]
        if i < signed:
            signed_on = start + dt.timedelta(days=min(9, i * 10 // signed))
            steps.append(("已签约", signed_on))
            if i < keys:
                keys_on = signed_on + dt.timedelta(days=rng.randint(1, 4))
                steps.append(("已交钥匙", min(keys_on, AS_OF - dt.timedelta(days=1))))
            if i < demolished - on_day:
                steps.append(("已拆除", min(steps[-1][1] + dt.timedelta(days=rng.randint(1, 3)), dt.date(2023, 11, 21))))
            elif i < demolished:
                steps.append(("已拆除", AS_OF))
        if i < demolished - on_day:
            area = areas_before[i]
        elif i < demolished:
            area = areas_day[i - (demolished - on_day)]
        else:
            area = round(rng.uniform(90, 220), 1)
        rows.append(HouseholdRow(code, area, tuple(steps)))
    return rows


def team(code: str) -> int:
    """The 专班 group (1–3) of a demo household: round-robin by code (the article gives no split)."""
    return (int(code.rsplit("-", 1)[-1]) - 1) % 3 + 1


def occupancy(*, beds: int = 50, start: dt.date = dt.date(2023, 1, 1), end: dt.date = AS_OF,
              seed: int = SEED) -> list[tuple[dt.date, int]]:
    """Daily residents from `start` to the day before `end` (the article gives `end`: 48)."""
    rng = random.Random(seed + 2)
    days = (end - start).days
    out = []
    level = 38.0
    for d in range(days):
        level += rng.uniform(-1.0, 1.0) + (46.0 - level) * 0.05
        out.append((start + dt.timedelta(days=d), max(0, min(beds, round(level)))))
    return out


RED_CATEGORIES = ["水管", "消防", "技防", "门禁系统", "绿化", "净化", "路灯", "电缆"]
RED_COMPOUNDS = ["邮电家属院", "电业局家属院", "教苑小区"]


def red_property_projects(*, n: int = 52, total_yuan: float = 8_320_000, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed + 3)
    amounts = _scaled(rng, n, total_yuan, 40_000, 300_000)
    rows = []
    for i in range(n):
        cat = RED_CATEGORIES[i % len(RED_CATEGORIES)]
        compound = RED_COMPOUNDS[i % 3]
        when = dt.date(2021, 3, 1) + dt.timedelta(days=rng.randint(0, 990))
        rows.append({"compound": compound, "title": f"{compound}{cat}改造（示例{i + 1}）", "category": cat,
                     "investment_yuan": round(amounts[i], 0), "completed_on": when})
    rows[-1]["investment_yuan"] = total_yuan - sum(r["investment_yuan"] for r in rows[:-1])
    return rows


CHECK_CATEGORIES = ["环境卫生", "消防安全", "占道经营", "设施损坏", "养老服务", "征迁现场"]
CHECK_FINDINGS = ["楼道堆放杂物", "灭火器过期", "夜市摊位越线", "路灯不亮", "无障碍坡道破损", "围挡缺口"]


def site_checks(centres: dict[str, tuple[float, float]], *, n: int = 14, seed: int = SEED) -> list[dict]:
    """A handful of on-site checks around community centres (lon, lat)."""
    rng = random.Random(seed + 4)
    names = sorted(centres)
    rows = []
    for i in range(n):
        name = names[i % len(names)]
        lon, lat = centres[name]
        k = rng.randrange(len(CHECK_CATEGORIES))
        created = AS_OF - dt.timedelta(days=rng.randint(0, 40))
        rows.append({
            "community": name, "category": CHECK_CATEGORIES[k], "finding": CHECK_FINDINGS[k] + "（示例）",
            "status": rng.choice(["待整改", "整改中", "已办结"]),
            "lon": round(lon + rng.uniform(-0.002, 0.002), 6), "lat": round(lat + rng.uniform(-0.002, 0.002), 6),
            "due_on": created + dt.timedelta(days=rng.choice([7, 14, 30])), "created_on": created,
            "client_token": f"demo-check-{i + 1}",
        })
    return rows
