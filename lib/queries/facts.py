"""Published and entered figures (the `fact` table) and text notes."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select

from lib.fmt import format_value
from lib.models import Community, Fact, Source, TextNote
from lib.queries.common import fix_bools, frame, latest_rows, source_columns

FACT_COLUMNS = ["subject", "indicator", "label", "value", "unit", "qualifier", "valid_from", "display",
                "source_kind", "source_title", "is_demo", "quote", "recorded_by", "recorded_at"]


def facts(*, scope: str | None = None, subject: str | None = None, community: str | None = None,
          indicators: list[str] | None = None, as_of: dt.date | None = None,
          engine: Engine | None = None) -> pd.DataFrame:
    """Figures as they stood on `as_of`, one row per (subject, indicator), with provenance."""
    ids = latest_rows(Fact, [Fact.subject, Fact.indicator], as_of)
    stmt = (
        select(Fact.subject, Fact.indicator, Fact.label, Fact.value, Fact.unit, Fact.qualifier, Fact.valid_from,
               *source_columns(), Fact.quote, Fact.recorded_by, Fact.recorded_at, Fact.id)
        .join(Source, Source.id == Fact.source_id)
        .where(Fact.id.in_(ids))
        .order_by(Fact.id)
    )
    if scope:
        stmt = stmt.where(Fact.scope == scope)
    if subject:
        stmt = stmt.where(Fact.subject == subject)
    if community:
        stmt = stmt.join(Community, Community.id == Fact.community_id).where(Community.name == community)
    if indicators:
        stmt = stmt.where(Fact.indicator.in_(indicators))
    df = frame(stmt, engine)
    df["display"] = [format_value(v, u, q) for v, u, q in zip(df["value"], df["unit"], df["qualifier"], strict=True)]
    df = fix_bools(df, "is_demo")
    if indicators:
        order = {k: i for i, k in enumerate(indicators)}
        df = df.sort_values("indicator", key=lambda s: s.map(order)).reset_index(drop=True)
    return df[FACT_COLUMNS]


def fact_value(indicator: str, *, subject: str, as_of: dt.date | None = None,
               engine: Engine | None = None) -> float | None:
    df = facts(subject=subject, indicators=[indicator], as_of=as_of, engine=engine)
    return None if df.empty else float(df["value"].iloc[0])


def notes(*, subject: str | None = None, kind: str | None = None, community: str | None = None,
          engine: Engine | None = None) -> pd.DataFrame:
    stmt = (select(TextNote.subject, TextNote.kind, TextNote.text, TextNote.quote, *source_columns())
            .join(Source, Source.id == TextNote.source_id).order_by(TextNote.id))
    if subject:
        stmt = stmt.where(TextNote.subject == subject)
    if kind:
        stmt = stmt.where(TextNote.kind == kind)
    if community:
        stmt = stmt.join(Community, Community.id == TextNote.community_id).where(Community.name == community)
    return fix_bools(frame(stmt, engine), "is_demo")


def sources(*, engine: Engine | None = None) -> pd.DataFrame:
    """Every provenance record, with how many figures rest on it."""
    from sqlalchemy import func

    n = select(Fact.source_id, func.count().label("figures")).group_by(Fact.source_id).subquery()
    stmt = (select(Source.key, Source.kind, Source.title, Source.publisher, Source.published_on, Source.note,
                   func.coalesce(n.c.figures, 0).label("figures"))
            .outerjoin(n, n.c.source_id == Source.id).order_by(Source.id))
    return frame(stmt, engine)
