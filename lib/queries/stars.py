"""五星支部: assessments per community and star, counts, progress over time, party network."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, case, func, select

from lib.models import Community, PartyOrgCount, RedPropertyProject, Source, Star, StarAssessment, StarStatus
from lib.queries.common import fix_bools, frame, latest_rows, source_columns

STARS = [s.value for s in Star]


def star_matrix(*, community: str | None = None, as_of: dt.date | None = None,
                engine: Engine | None = None) -> pd.DataFrame:
    """One row per community × star: status, score, assessed date and source (latest on as_of)."""
    ids = latest_rows(StarAssessment, [StarAssessment.community_id, StarAssessment.star], as_of)
    stmt = (
        select(Community.name.label("community"), Community.sort_order, StarAssessment.star, StarAssessment.status,
               StarAssessment.score, StarAssessment.valid_from, *source_columns(), StarAssessment.recorded_by)
        .join(Community, Community.id == StarAssessment.community_id)
        .join(Source, Source.id == StarAssessment.source_id)
        .where(StarAssessment.id.in_(ids))
    )
    if community:
        stmt = stmt.where(Community.name == community)
    df = fix_bools(frame(stmt, engine), "is_demo")
    df["star_order"] = df["star"].map({s: i for i, s in enumerate(STARS)})
    return df.sort_values(["sort_order", "star_order"]).drop(columns=["star_order"]).reset_index(drop=True)


def star_counts(*, community: str | None = None, as_of: dt.date | None = None,
                engine: Engine | None = None) -> pd.DataFrame:
    """Stars reached (已达标) per community, counted in the database."""
    ids = latest_rows(StarAssessment, [StarAssessment.community_id, StarAssessment.star], as_of)
    done = func.sum(case((StarAssessment.status == StarStatus.DONE.value, 1), else_=0))
    stmt = (
        select(Community.name.label("community"), done.label("stars"),
               func.avg(StarAssessment.score).label("avg_score"),
               func.max(case((Source.kind == "demo", 1), else_=0)).label("is_demo"))
        .join(StarAssessment, StarAssessment.community_id == Community.id)
        .join(Source, Source.id == StarAssessment.source_id)
        .where(StarAssessment.id.in_(ids))
        .group_by(Community.name, Community.sort_order)
        .order_by(Community.sort_order)
    )
    if community:
        stmt = stmt.where(Community.name == community)
    df = fix_bools(frame(stmt, engine), "is_demo")
    df["stars"] = df["stars"].astype(int)
    return df


def star_progress(*, community: str | None = None, as_of: dt.date | None = None,
                  engine: Engine | None = None) -> pd.DataFrame:
    """Per assessment date: how many (community, star) pairs stood at each status."""
    dates_stmt = select(StarAssessment.valid_from).distinct().order_by(StarAssessment.valid_from)
    if as_of:
        dates_stmt = dates_stmt.where(StarAssessment.valid_from <= as_of)
    dates = frame(dates_stmt, engine)["valid_from"].tolist()
    rows = []
    for when in dates:
        m = star_matrix(community=community, as_of=when, engine=engine)
        counts = m["status"].value_counts()
        rows.append({"date": when, **{s.value: int(counts.get(s.value, 0)) for s in StarStatus},
                     "is_demo": bool(m["is_demo"].any())})
    return pd.DataFrame(rows, columns=["date", *[s.value for s in StarStatus], "is_demo"])


def party_network(*, as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    ids = latest_rows(PartyOrgCount, [PartyOrgCount.kind, PartyOrgCount.community_id], as_of)
    stmt = (select(PartyOrgCount.kind, PartyOrgCount.count, PartyOrgCount.unit, PartyOrgCount.valid_from,
                   PartyOrgCount.quote, *source_columns())
            .join(Source, Source.id == PartyOrgCount.source_id)
            .where(PartyOrgCount.id.in_(ids), PartyOrgCount.community_id.is_(None))
            .order_by(PartyOrgCount.id))
    return fix_bools(frame(stmt, engine), "is_demo")


def red_property_projects(*, community: str | None = None, as_of: dt.date | None = None,
                          engine: Engine | None = None) -> pd.DataFrame:
    stmt = (select(Community.name.label("community"), RedPropertyProject.compound, RedPropertyProject.title,
                   RedPropertyProject.category, RedPropertyProject.investment_yuan, RedPropertyProject.completed_on,
                   *source_columns())
            .join(Community, Community.id == RedPropertyProject.community_id)
            .join(Source, Source.id == RedPropertyProject.source_id)
            .order_by(RedPropertyProject.completed_on, RedPropertyProject.id))
    if community:
        stmt = stmt.where(Community.name == community)
    if as_of:
        stmt = stmt.where(RedPropertyProject.completed_on <= as_of)
    return fix_bools(frame(stmt, engine), "is_demo")
