"""Communities, profiles and the 「数据截至」 date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, func, select, union_all

from lib import clock, railway_side
from lib.days import as_day
from lib.fmt import cn_date
from lib.models import (CareFacility, CareOccupancy, Community, Fact, Household, HouseholdEvent,
                        ModelCommunityStatus, SiteCheck, StarAssessment)
from lib.queries.common import frame
from lib.queries.facts import facts, notes
from lib.queries.model_communities import model_status
from lib.queries.stars import star_counts
from lib.scope import day_end, holds_on
from lib.values import blank

OVERVIEW_INDICATORS = [
    "area_km2", "registered_population", "resident_population", "served_population", "communities",
    "resident_units", "wholesale_markets", "registered_enterprises", "employment",
]


def list_communities(*, engine: Engine | None = None) -> pd.DataFrame:
    """name, full_name, side (「铁路以东（示意）」: with its basis, lib.railway_side), side_quote."""
    stmt = railway_side.joined(select(Community.name, Community.full_name, *railway_side.columns())
                               .order_by(Community.sort_order))
    return railway_side.labelled(frame(stmt, engine))


def community_names(*, engine: Engine | None = None) -> list[str]:
    return list_communities(engine=engine)["name"].tolist()


def subdistrict_overview(*, as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """The subdistrict's headline figures (area, populations, units …) in display order."""
    return facts(subject="光武街道", indicators=OVERVIEW_INDICATORS, as_of=as_of, engine=engine)


@dataclass(frozen=True)
class CommunityProfile:
    name: str
    full_name: str
    side: str  # with its basis: 「铁路以西（报道）」
    side_quote: str | None  # the article's words for the side, where it states it
    facts: pd.DataFrame  # published figures about the community and its facilities
    notes: pd.DataFrame  # honours and other text facts
    model_status: pd.Series | None
    stars: int | None
    stars_demo: bool
    empty_note: str = ""  # why no figure is shown, when none is (empty otherwise): see `_empty_note`
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
    shown = len(figs) and bool((~figs["is_demo"]).any())
    return CommunityProfile(
        name=name, full_name=r["full_name"], side=r["side"], side_quote=r["side_quote"] if isinstance(r["side_quote"], str) else None,
        facts=figs, notes=txt,
        model_status=None if status.empty else status.iloc[0],
        stars=None if counts.empty else int(counts["stars"].iloc[0]),
        stars_demo=bool(counts["is_demo"].any()) if not counts.empty else False,
        empty_note="" if shown else _empty_note(name, r["full_name"], as_of, engine),
    )


def _empty_note(name: str, full: str, as_of: dt.date | None, engine: Engine | None) -> str:
    """A look-back before the community's first figure names the day its records start (「暂无公开数据」 denied the
    article's section on 中兴 on 2023年10月15日); a community the article only names says so."""
    ever = facts(community=name, engine=engine) if as_of is not None else None
    later = None if ever is None else ever.loc[~ever["is_demo"], "valid_from"]
    if later is None or later.empty:
        return f"{full}暂无公开数据（报道仅列出社区名称）。"
    return (f"所选日期（{cn_date(as_of)}）{full}尚无公开数字，最早的记录始于{cn_date(min(later))}；"
            "请选择其后的回看日期，或留空查看最新。")


def data_as_of(*, as_of: dt.date | None = None, community: str | None = None,
               engine: Engine | None = None) -> dt.date | None:
    """The newest date any figure refers to, up to `as_of` (for the 「最新数据」 / 「数据截至」 stamp); with
    `community`, of that community's figures only (its facts and facilities, stars, status, households)."""
    of_community = select(Community.id).where(Community.name == community).scalar_subquery()
    parts = [
        (Fact.valid_from, Fact.community_id, None),
        (StarAssessment.valid_from, StarAssessment.community_id, None),
        (ModelCommunityStatus.valid_from, ModelCommunityStatus.community_id, None),
        (HouseholdEvent.valid_from, Household.community_id, (Household, Household.id == HouseholdEvent.household_id)),
        (CareOccupancy.day, CareFacility.community_id, (CareFacility, CareFacility.id == CareOccupancy.facility_id)),
    ]
    selects = []
    for col, owner, join in parts:
        stmt = select(func.max(col).label("d")).where(holds_on(col, as_of))
        if community is not None:
            stmt = (stmt.join(*join) if join else stmt).where(owner == of_community)
        selects.append(stmt)
    u = union_all(*selects).subquery()
    checks = select(func.max(SiteCheck.created_at))  # a time (UTC): counted on its China day
    if as_of is not None:
        checks = checks.where(SiteCheck.created_at < day_end(as_of))
    if community is not None:
        checks = checks.where(SiteCheck.community_id == of_community)
    df = frame(select(select(func.max(u.c.d)).scalar_subquery(), checks.scalar_subquery()), engine)
    day, checked = (df.iloc[0, 0], df.iloc[0, 1]) if not df.empty else (None, None)
    days = [as_day(day), None if blank(checked) else clock.to_local(pd.Timestamp(checked).to_pydatetime()).date()]
    return max((d for d in days if d is not None), default=None)


def community_summary(*, as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """One row per community with what is known about it on `as_of`.

    Columns: name, full_name, side, model_status, model_since, stars (已达标 count; None when unassessed),
    stars_kind (the assessments' source, lib.figures.combined_kind; None when unassessed), stars_demo,
    published_figures (the article's figures about the community or its facilities: 「报道公布的数字」),
    entered_figures (those staff entered), honours (「、」-joined), places (facilities/sites the figures name).
    """
    from lib.models import Source, SourceKind, TextNote
    from lib.queries.common import latest_rows

    base = list_communities(engine=engine)
    ids = latest_rows(Fact, [Fact.subject, Fact.indicator], as_of)
    kinds = frame(select(Community.name, Source.kind, func.count(Fact.id).label("n"))
                  .join(Fact, Fact.community_id == Community.id)
                  .join(Source, Source.id == Fact.source_id)
                  .where(Fact.id.in_(ids), Source.kind.in_([SourceKind.ARTICLE.value, SourceKind.STAFF.value]))
                  .group_by(Community.name, Source.kind), engine)
    places = frame(select(Community.name, Fact.subject)
                   .join(Fact, Fact.community_id == Community.id)
                   .where(Fact.id.in_(ids), Fact.scope == "facility").distinct()
                   .union(select(Community.name, CareFacility.name)
                          .join(CareFacility, CareFacility.community_id == Community.id)), engine)
    honours = frame(select(Community.name, TextNote.text).join(TextNote, TextNote.community_id == Community.id)
                    .where(TextNote.kind == "荣誉").order_by(TextNote.id), engine)
    status = model_status(as_of=as_of, engine=engine)
    stars = star_counts(as_of=as_of, engine=engine)
    out = base.copy()
    for column, kind in (("published_figures", SourceKind.ARTICLE.value), ("entered_figures", SourceKind.STAFF.value)):
        per = kinds[kinds["kind"] == kind].set_index("name")["n"]
        out[column] = out["name"].map(per).fillna(0).astype(int)
    out["honours"] = out["name"].map(honours.groupby("name")["text"].agg("、".join)).fillna("")
    out["places"] = out["name"].map(places.groupby("name")["subject"].agg(_join_places)).fillna("")
    st = status.set_index("community")
    out["model_status"] = out["name"].map(st["status"]) if not st.empty else None
    out["model_since"] = out["name"].map(st["valid_from"]) if not st.empty else None
    sc = stars.set_index("community")
    out["stars"] = out["name"].map(sc["stars"]).astype("Int64") if not sc.empty else pd.NA
    out["stars_kind"] = out["name"].map(sc["source_kind"]) if not sc.empty else None
    out["stars_demo"] = out["name"].map(sc["is_demo"]).fillna(False).astype(bool) if not sc.empty else False
    return out.astype({"model_status": object, "model_since": object, "stars_kind": object})


def _join_places(names: pd.Series) -> str:
    """「、」-join distinct names, dropping a short name that a longer one contains (综合养老服务中心)."""
    uniq = sorted(set(names))
    return "、".join(n for n in uniq if not any(n != m and n in m for m in uniq))
