"""预警: what a leader must act on, for one scope (a community or 全街道) on one date.

    alerts(*, community=None, as_of=None, engine=None) -> list[Alert]     # most urgent first; [] = 「无预警」

Four kinds, each naming its community and the date it rests on:
- 整改逾期: site checks not 已办结 whose deadline (due_on) is before the reference date, per community
  (dated by the earliest missed deadline);
- 空床不足: a facility's latest reported free beds below CARE_FREE_BEDS_WARNING (dated by that report);
- 核查未办结: open site checks per community (dated by the oldest open one);
- 数据未更新: a regularly reported stream (每日入住 per facility, 五星评定 and 征迁进度 per community) whose
  newest record is more than STALE_DAYS days before the reference date (dated by that record).

The reference date is `as_of`, or today when looking at the latest state. Checks count as they were
registered by then; their status is the stored (current) one. An alert resting on demo data says so at its end:
「（示例数据）」 when all its records are demo data, 「（含示例数据）」 when some are (`demo_note`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, func, select

from lib import clock
from lib.config import settings
from lib.days import as_day
from lib.db import get_engine
from lib.fmt import cn_date
from lib.models import (CareFacility, CareOccupancy, Community, Household, HouseholdEvent, SiteCheck,
                        Source, SourceKind, StarAssessment)
from lib.queries.care import occupancy_overview
from lib.queries.checks import OPEN, UPDATED
from lib.scope import day_end

NO_ALERTS = "无预警"
SUBDISTRICT = "全街道"
# Most urgent first; the label is what the strip shows before the text.
KINDS = {"overdue": "整改逾期", "free_beds": "空床不足", "open_checks": "核查未办结", "stale": "数据未更新"}


@dataclass(frozen=True)
class Alert:
    kind: str  # a KINDS key
    community: str  # short name (中兴) or 全街道
    on: dt.date  # the date the alert rests on
    text: str  # Chinese, naming the date; without the community
    topic: str = "checks"  # the panel it belongs to: checks / care / stars / relocation

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def line(self) -> str:
        """The whole alert as one line: 「中兴 · 整改逾期：2项整改已过期限，最早期限2023年10月22日」."""
        return f"{self.community} · {self.label}：{self.text}"


def demo_note(any_demo: object, any_other: object) -> str:
    """What an alert adds about its records' source: all demo data, some, or none."""
    if not any_demo:
        return ""
    return "（含示例数据）" if any_other else "（示例数据）"


def _check_kinds():
    """Per group of checks: whether any is demo data, and whether any is not — a demo check whose status staff
    updated rests on that entry too (each check joined to its Source)."""
    demo = Source.kind == SourceKind.DEMO.value
    return func.max(case((demo, 1), else_=0)), func.max(case((and_(demo, ~UPDATED), 0), else_=1))


def _last_day(rows, keys: int):
    """`rows` (columns k0…, day, kind: one per record) per key: the newest day, and whether the records OF THAT DAY
    are demo data and whether any is not (the alert names that day: its note is about its records)."""
    r = rows.subquery()
    by = [r.c[f"k{i}"] for i in range(keys)]
    w = select(*by, r.c.day, r.c.kind, func.max(r.c.day).over(partition_by=by).label("last")).subquery()
    by = [w.c[f"k{i}"] for i in range(keys)]
    demo = w.c.kind == SourceKind.DEMO.value
    return (select(*by, func.max(w.c.day), func.max(case((demo, 1), else_=0)), func.max(case((demo, 0), else_=1)))
            .where(w.c.day == w.c.last).group_by(*by))


def reference_date(as_of: dt.date | None) -> dt.date:
    return as_of or clock.today()


def alerts(*, community: str | None = None, as_of: dt.date | None = None,
           engine: Engine | None = None) -> list[Alert]:
    engine = engine or get_engine()
    ref = reference_date(as_of)
    found = [*_overdue(community, ref, engine), *_free_beds(community, as_of, engine),
             *_open_checks(community, ref, engine), *_stale(community, ref, engine)]
    order = list(KINDS)
    return sorted(found, key=lambda a: (order.index(a.kind), a.on, a.community))


def _rows(stmt, engine: Engine) -> list:
    with engine.connect() as conn:
        return list(conn.execute(stmt))


def _open_checks_stmt(community: str | None, ref: dt.date):
    conds = [OPEN, SiteCheck.created_at < day_end(ref)]
    if community:
        conds.append(Community.name == community)
    return conds


def _overdue(community: str | None, ref: dt.date, engine: Engine) -> list[Alert]:
    stmt = (select(Community.name, func.count(), func.min(SiteCheck.due_on), *_check_kinds())
            .join(Community, Community.id == SiteCheck.community_id).join(Source, Source.id == SiteCheck.source_id)
            .where(*_open_checks_stmt(community, ref), SiteCheck.due_on.is_not(None), SiteCheck.due_on < ref)
            .group_by(Community.name))
    return [Alert("overdue", name, as_day(first),
                  f"{n}项整改已过期限，最早期限{cn_date(as_day(first))}{demo_note(demo, other)}")
            for name, n, first, demo, other in _rows(stmt, engine)]


def _open_checks(community: str | None, ref: dt.date, engine: Engine) -> list[Alert]:
    stmt = (select(Community.name, func.count(), func.min(SiteCheck.created_at), *_check_kinds())
            .join(Community, Community.id == SiteCheck.community_id).join(Source, Source.id == SiteCheck.source_id)
            .where(*_open_checks_stmt(community, ref))
            .group_by(Community.name))
    return [Alert("open_checks", name, clock.local_day(first),  # a stored UTC instant, dated on its China day
                  f"{n}项现场核查未办结，最早{cn_date(clock.local_day(first))}登记{demo_note(demo, other)}")
            for name, n, first, demo, other in _rows(stmt, engine)]


def _free_beds(community: str | None, as_of: dt.date | None, engine: Engine) -> list[Alert]:
    warning = settings().care_free_beds_warning
    df = occupancy_overview(as_of=as_of, community=community, free_beds_warning=warning, engine=engine)
    demo = SourceKind.DEMO.value  # free beds rest on two records: the residents' count and the bed count
    return [Alert("free_beds", r.community or SUBDISTRICT, as_day(r.day),
                  f"{r.name}{cn_date(as_day(r.day))}空床{int(r.free)}张（床位{int(r.beds)}张），低于预警线{warning}张"
                  f"{demo_note(r.is_demo or r.beds_kind == demo, not r.is_demo or r.beds_kind != demo)}", "care")
            for r in df[df["low_free"]].itertuples()]


def _stale(community: str | None, ref: dt.date, engine: Engine) -> list[Alert]:
    days = settings().stale_days
    cutoff = ref - dt.timedelta(days=days)
    found: list[Alert] = []
    care = (select(CareFacility.name.label("k0"), Community.name.label("k1"), CareOccupancy.day.label("day"),
                   Source.kind.label("kind"))
            .join(CareOccupancy, CareOccupancy.facility_id == CareFacility.id)
            .join(Source, Source.id == CareOccupancy.source_id)
            .outerjoin(Community, Community.id == CareFacility.community_id)
            .where(CareOccupancy.day <= ref))
    stars = (select(Community.name.label("k0"), StarAssessment.valid_from.label("day"), Source.kind.label("kind"))
             .join(StarAssessment, StarAssessment.community_id == Community.id)
             .join(Source, Source.id == StarAssessment.source_id)
             .where(StarAssessment.valid_from <= ref))
    moves = (select(Community.name.label("k0"), HouseholdEvent.valid_from.label("day"), Source.kind.label("kind"))
             .join(Household, Household.community_id == Community.id)
             .join(HouseholdEvent, HouseholdEvent.household_id == Household.id)
             .join(Source, Source.id == HouseholdEvent.source_id)
             .where(HouseholdEvent.valid_from <= ref))
    if community:
        care = care.where(Community.name == community)
        stars = stars.where(Community.name == community)
        moves = moves.where(Community.name == community)
    care, stars, moves = _last_day(care, 2), _last_day(stars, 1), _last_day(moves, 1)
    for facility, name, last, demo, other in _rows(care, engine):
        if (day := as_day(last)) < cutoff:
            found.append(Alert("stale", name or SUBDISTRICT, day, f"{facility}每日入住超过{days}天未更新，"
                               f"最近一次{cn_date(day)}{demo_note(demo, other)}", "care"))
    for what, topic, stmt in (("五星评定", "stars", stars), ("征迁进度", "relocation", moves)):
        for name, last, demo, other in _rows(stmt, engine):
            if (day := as_day(last)) < cutoff:
                found.append(Alert("stale", name, day, f"{what}超过{days}天未更新，最近一次{cn_date(day)}"
                                   f"{demo_note(demo, other)}", topic))
    return found
