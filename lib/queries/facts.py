"""Published and entered figures (the `fact` table) and text notes."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from lib.figures import is_standing
from lib.fmt import format_value
from lib.privacy import ANONYMOUS_AUTHOR
from lib.models import Community, Fact, PartyOrgCount, Source, SourceKind, TextNote
from lib.queries.common import fix_bools, frame, latest_rows, source_columns
from lib.scope import SUBDISTRICT

STANDING_KINDS = [SourceKind.ARTICLE.value, SourceKind.OFFICIAL.value]
FACT_COLUMNS = ["subject", "indicator", "label", "value", "unit", "qualifier", "valid_from", "display",
                "source_kind", "source_title", "source_publisher", "is_demo", "quote", "recorded_by", "recorded_at",
                "reported_later"]


def facts(*, scope: str | None = None, subject: str | None = None, community: str | None = None,
          indicators: list[str] | None = None, as_of: dt.date | None = None,
          engine: Engine | None = None) -> pd.DataFrame:
    """Figures as they stood on `as_of`, one row per (subject, indicator), with provenance.

    Before its first date, a standing published figure (lib.figures.is_standing: the subdistrict's
    profile) is shown as reported, flagged `reported_later`; all others hold from their date only.
    """
    first = aliased(Fact)  # a figure's place is its series' first record: an update takes the old figure's place
    place = (select(func.min(first.id)).where(first.subject == Fact.subject, first.indicator == Fact.indicator)
             .correlate(Fact).scalar_subquery().label("place"))
    base = (select(Fact.subject, Fact.indicator, Fact.label, Fact.value, Fact.unit, Fact.qualifier, Fact.valid_from,
                   *source_columns(), Fact.quote, Fact.recorded_by, Fact.recorded_at, Fact.id, place)
            .join(Source, Source.id == Fact.source_id))
    stmt = base.where(Fact.id.in_(latest_rows(Fact, [Fact.subject, Fact.indicator], as_of))).order_by(place, Fact.id)
    later = None
    if as_of is not None:  # the first published record of each key that starts after as_of
        first = func.row_number().over(partition_by=[Fact.subject, Fact.indicator],
                                       order_by=[Fact.valid_from, Fact.recorded_at, Fact.id]).label("rnk")
        ranked = select(Fact.id.label("rid"), first).where(Fact.valid_from > as_of).subquery()
        later = base.where(Fact.id.in_(select(ranked.c.rid).where(ranked.c.rnk == 1)),
                           Source.kind.in_(STANDING_KINDS)).order_by(place, Fact.id)
    df = frame(_narrow(stmt, scope, subject, community, indicators), engine).assign(reported_later=False)
    if later is not None:
        extra = frame(_narrow(later, scope, subject, community, indicators), engine)
        held = set(zip(df["subject"], df["indicator"], strict=True))
        keep = [(s, i) not in held and is_standing(s, i) for s, i in zip(extra["subject"], extra["indicator"],
                                                                               strict=True)]
        if any(keep):
            df = (pd.concat([df, extra[keep].assign(reported_later=True)]).sort_values(["place", "id"], kind="stable")
                  .reset_index(drop=True))
    df["display"] = [format_value(v, u, q) for v, u, q in zip(df["value"], df["unit"], df["qualifier"], strict=True)]
    df = fix_bools(df, "is_demo")
    if indicators:
        order = {k: i for i, k in enumerate(indicators)}
        df = df.sort_values("indicator", key=lambda s: s.map(order)).reset_index(drop=True)
    return df[FACT_COLUMNS]


REPORTED_COLUMNS = ["subject", "label", "display", "valid_from", "quote"]


def reported(*, subject: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """Every figure the article gives, with its words: the record of what was reported, not the state on a day (a
    later entry does not hide the article's number, a look-back does not drop it). Without `subject`, the party
    organisations' counts too (kept in their own table)."""
    article = Source.kind == SourceKind.ARTICLE.value
    stmt = (select(Fact.subject, Fact.label, Fact.value, Fact.unit, Fact.qualifier, Fact.valid_from, Fact.quote)
            .join(Source, Source.id == Fact.source_id).where(article).order_by(Fact.id))
    df = frame(stmt.where(Fact.subject == subject) if subject else stmt, engine)
    df["display"] = [format_value(v, u, q) for v, u, q in zip(df["value"], df["unit"], df["qualifier"], strict=True)]
    if subject is None:
        party = frame(select(PartyOrgCount.kind.label("label"), PartyOrgCount.count, PartyOrgCount.unit,
                             PartyOrgCount.valid_from, PartyOrgCount.quote)
                      .join(Source, Source.id == PartyOrgCount.source_id)
                      .where(article, PartyOrgCount.community_id.is_(None)).order_by(PartyOrgCount.id), engine)
        party = party.assign(subject=SUBDISTRICT, display=[f"{n}{u}" for n, u in zip(party["count"], party["unit"],
                                                                                      strict=True)])
        df = pd.concat([df, party], ignore_index=True)
    return df.reindex(columns=REPORTED_COLUMNS)


def _narrow(stmt, scope, subject, community, indicators):
    if scope:
        stmt = stmt.where(Fact.scope == scope)
    if subject:
        stmt = stmt.where(Fact.subject == subject)
    if community:
        stmt = stmt.join(Community, Community.id == Fact.community_id).where(Community.name == community)
    if indicators:
        stmt = stmt.where(Fact.indicator.in_(indicators))
    return stmt


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


STAFF_SOURCES = {"key": "staff", "kind": SourceKind.STAFF.value, "title": "工作人员录入", "publisher": ANONYMOUS_AUTHOR,
                 "published_on": None, "note": "由街道、社区工作人员在本系统录入（登录后可见每条记录的录入人）。"}


def sources(*, signed_in: bool, engine: Engine | None = None) -> pd.DataFrame:
    """Every provenance record, with how many figures rest on it. Each staff member's source names them (「由中兴录入员
    （zx）在本系统录入」): for a viewer who is not signed in they read as one 「工作人员录入」 row (lib.privacy), and an
    import's 「保存人」 as 「工作人员」."""
    n = select(Fact.source_id, func.count().label("figures")).group_by(Fact.source_id).subquery()
    stmt = (select(Source.key, Source.kind, Source.title, Source.publisher, Source.published_on, Source.note,
                   func.coalesce(n.c.figures, 0).label("figures"))
            .outerjoin(n, n.c.source_id == Source.id).order_by(Source.id))
    df = frame(stmt, engine)
    if signed_in:
        return df
    df.loc[df["kind"] == SourceKind.SURVEY.value, "publisher"] = ANONYMOUS_AUTHOR
    staff = df["kind"] == SourceKind.STAFF.value
    if not staff.any():
        return df
    first = int(staff.to_numpy().argmax())
    one = pd.DataFrame([{**STAFF_SOURCES, "figures": int(df.loc[staff, "figures"].sum())}])
    rest = df[~staff]
    return pd.concat([rest.iloc[:first], one, rest.iloc[first:]], ignore_index=True)
