"""Communities, profiles and the 「数据截至」 date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, func, select, union_all

from lib.models import CareOccupancy, Community, Fact, HouseholdEvent, ModelCommunityStatus, StarAssessment
from lib.queries.common import as_of_date, frame
from lib.queries.facts import facts, notes
from lib.queries.model_communities import model_status
from lib.queries.stars import star_counts

OVERVIEW_INDICATORS = [
    "area_km2", "registered_population", "resident_population", "served_population", "communities",
    "resident_units", "wholesale_markets", "registered_enterprises", "employment",
]


def list_communities(*, engine: Engine | None = None) -> pd.DataFrame:
    stmt = select(Community.name, Community.full_name, Community.side).order_by(Community.sort_order)
    return frame(stmt, engine)


def community_names(*, engine: Engine | None = None) -> list[str]:
    return list_communities(engine=engine)["name"].tolist()


def subdistrict_overview(*, as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """The subdistrict's headline figures (area, populations, units …) in display order."""
    return facts(subject="光武街道", indicators=OVERVIEW_INDICATORS, as_of=as_of, engine=engine)


@dataclass(frozen=True)
class CommunityProfile:
    name: str
    full_name: str
    side: str
    facts: pd.DataFrame  # published figures about the community and its facilities
    notes: pd.DataFrame  # honours and other text facts
    model_status: pd.Series | None
    stars: int | None
    stars_demo: bool
    has_published_figures: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "has_published_figures", bool((~self.facts["is_demo"]).any()) if len(self.facts) else False)


def community_profile(name: str, *, as_of: dt.date | None = None, engine: Engine | None = None) -> CommunityProfile:
    base = list_communities(engine=engine)
    row = base[base["name"] == name]
    if row.empty:
        from lib.errors import NotFound

        raise NotFound(f"未找到社区「{name}」。")
    r = row.iloc[0]
    figs = facts(community=name, as_of=as_of, engine=engine)
    txt = notes(community=name, engine=engine)
    status = model_status(community=name, as_of=as_of, engine=engine)
    counts = star_counts(community=name, as_of=as_of, engine=engine)
    return CommunityProfile(
        name=name, full_name=r["full_name"], side=r["side"], facts=figs, notes=txt,
        model_status=None if status.empty else status.iloc[0],
        stars=None if counts.empty else int(counts["stars"].iloc[0]),
        stars_demo=bool(counts["is_demo"].any()) if not counts.empty else False,
    )


def data_as_of(*, as_of: dt.date | None = None, engine: Engine | None = None) -> dt.date | None:
    """The newest date any figure refers to, up to `as_of` (for the 「数据截至」 stamp)."""
    limit = as_of_date(as_of)
    parts = [
        select(func.max(Fact.valid_from).label("d")).where(Fact.valid_from <= limit),
        select(func.max(StarAssessment.valid_from).label("d")).where(StarAssessment.valid_from <= limit),
        select(func.max(ModelCommunityStatus.valid_from).label("d")).where(ModelCommunityStatus.valid_from <= limit),
        select(func.max(HouseholdEvent.valid_from).label("d")).where(HouseholdEvent.valid_from <= limit),
        select(func.max(CareOccupancy.day).label("d")).where(CareOccupancy.day <= limit),
    ]
    u = union_all(*parts).subquery()
    df = frame(select(func.max(u.c.d)), engine)
    value = df.iloc[0, 0] if not df.empty else None
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
