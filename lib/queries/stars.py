"""五星支部: assessments per community and star, counts, progress over time, party network."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Date, Engine, case, func, literal, select, type_coerce, union_all

from lib.days import as_day
from lib.figures import MIXED, combined_kind
from lib.models import (Community, PartyOrgCount, RedPropertyProject, Source, SourceKind, Star, StarAssessment,
                        StarStatus)
from lib.queries.common import fix_bools, frame, latest_rows, source_columns
from lib.scope import holds_on, newest_first

STARS = [s.value for s in Star]


def star_matrix(*, community: str | None = None, as_of: dt.date | None = None,
                engine: Engine | None = None) -> pd.DataFrame:
    """One row per community × star: status, score, assessed date and source (latest on as_of)."""
    ids = latest_rows(StarAssessment, [StarAssessment.community_id, StarAssessment.star], as_of)
    stmt = (
        select(Community.name.label("community"), Community.sort_order, StarAssessment.star, StarAssessment.status,
               StarAssessment.score, StarAssessment.valid_from, *source_columns(), StarAssessment.recorded_by,
               StarAssessment.recorded_at)
        .join(Community, Community.id == StarAssessment.community_id)
        .join(Source, Source.id == StarAssessment.source_id)
        .where(StarAssessment.id.in_(ids))
    )
    if community:
        stmt = stmt.where(Community.name == community)
    df = fix_bools(frame(stmt, engine), "is_demo")
    df["star_order"] = df["star"].map({s: i for i, s in enumerate(STARS)})
    return df.sort_values(["sort_order", "star_order"]).drop(columns=["star_order"]).reset_index(drop=True)


def star_counts(*, community: str | None = None, as_of: dt.date | None = None, engine: Engine | None = None,
                entries: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stars reached (已达标) per community, counted in the database; n assessments counted, `scored` of them
    with a score (optional), their `avg_score`; `author` and `recorded_at` of the newest staff record counted
    (`entered_by`: one record's person and time). `entries`: the scope's `staff_entries`, when the caller has
    read them already."""
    ids = latest_rows(StarAssessment, [StarAssessment.community_id, StarAssessment.star], as_of)
    done = func.sum(case((StarAssessment.status == StarStatus.DONE.value, 1), else_=0))
    stmt = (
        select(Community.name.label("community"), done.label("stars"),
               func.avg(StarAssessment.score).label("avg_score"), func.count(StarAssessment.score).label("scored"),
               func.max(case((Source.kind == "demo", 1), else_=0)).label("is_demo"),
               func.count().label("n"), func.min(Source.kind).label("kind_min"),
               func.max(Source.kind).label("kind_max"), func.max(StarAssessment.valid_from).label("valid_from"))
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
    df["scored"] = df["scored"].astype(int)
    df["avg_score"] = df["avg_score"].astype(float)
    # One kind when every assessment counted has it (录入 after a staff import of all five), else mixed.
    df["source_kind"] = [combined_kind({lo, hi, SourceKind.DEMO.value if demo else None})
                         for lo, hi, demo in zip(df["kind_min"], df["kind_max"], df["is_demo"], strict=True)]
    df["valid_from"] = [as_day(v) for v in df["valid_from"]]
    if entries is None:
        entries = staff_entries(community=community, as_of=as_of, engine=engine)
    by_community = {name: entered_by(rows) for name, rows in entries.groupby("community", sort=False)}
    df["author"] = [by_community.get(n, (None, None))[0] for n in df["community"]]
    df["recorded_at"] = [by_community.get(n, (None, None))[1] for n in df["community"]]
    return df.drop(columns=["kind_min", "kind_max"])


def staff_entries(*, community: str | None = None, as_of: dt.date | None = None,
                  engine: Engine | None = None) -> pd.DataFrame:
    """The staff records among the assessments counted on `as_of`: community, author (who entered it),
    recorded_at, id."""
    ids = latest_rows(StarAssessment, [StarAssessment.community_id, StarAssessment.star], as_of)
    stmt = (select(Community.name.label("community"), Source.publisher.label("author"), StarAssessment.recorded_at,
                   StarAssessment.id)
            .join(StarAssessment, StarAssessment.community_id == Community.id)
            .join(Source, Source.id == StarAssessment.source_id)
            .where(StarAssessment.id.in_(ids), Source.kind == SourceKind.STAFF.value))
    if community:
        stmt = stmt.where(Community.name == community)
    df = frame(stmt, engine)
    df["recorded_at"] = pd.to_datetime(df["recorded_at"])
    return df


def entered_by(entries: pd.DataFrame) -> tuple[str | None, dt.datetime | None]:
    """Who entered staff records (`staff_entries` rows) and when, as one figure's tag says it: the newest record's
    author and its own time; with several people's records, 「中兴录入员等2人」 (the newest one's name, and how many
    people) — never one person with another's time. (None, None) without staff records."""
    if entries.empty:
        return None, None
    newest = entries.sort_values(["recorded_at", "id"]).iloc[-1]
    people = entries["author"].fillna("").nunique()
    name = newest["author"] if people <= 1 else f"{newest['author']}等{people}人"
    return name, newest["recorded_at"].to_pydatetime()


def average_score(counts: pd.DataFrame) -> tuple[str, str]:
    """The 五星平均得分 of `star_counts` rows as shown, and a note: the mean over the assessments that have a score
    (a score is optional) — ("91.0分", "5项评定中3项有得分"), ("92.4分", "") when all have one, ("无得分", …) when
    none has."""
    counted, scored = int(counts["n"].sum()), int(counts["scored"].sum())
    if not scored:
        return "无得分", f"{counted}项评定均未打分"
    total = float((counts["avg_score"].fillna(0.0) * counts["scored"]).sum()) / scored
    return f"{total:.1f}分", "" if scored == counted else f"{counted}项评定中{scored}项有得分"


def star_progress(*, community: str | None = None, as_of: dt.date | None = None,
                  engine: Engine | None = None) -> pd.DataFrame:
    """Per assessment date: how many (community, star) pairs stood at each status.

    One query for all dates: each (community, star) record holds from its `valid_from` until the next
    one (several on a day: the newest wins), so it adds +1 to its status on the first date and −1 on
    the next; pandas accumulates the per-date sums.
    """
    columns = ["date", *[s.value for s in StarStatus], "is_demo", "source_kind"]
    dates_stmt = select(StarAssessment.valid_from).distinct().order_by(StarAssessment.valid_from)
    if as_of:
        dates_stmt = dates_stmt.where(holds_on(StarAssessment.valid_from, as_of))
    dates = frame(dates_stmt, engine)["valid_from"].tolist()
    if not dates:
        return pd.DataFrame(columns=columns)
    newest = func.row_number().over(partition_by=[StarAssessment.community_id, StarAssessment.star,
                                                  StarAssessment.valid_from],
                                    order_by=newest_first(StarAssessment))
    ranked = (select(StarAssessment.community_id, StarAssessment.star, StarAssessment.valid_from,
                     StarAssessment.status, Source.kind.label("kind"),
                     newest.label("rnk"))
              .join(Source, Source.id == StarAssessment.source_id)
              .where(holds_on(StarAssessment.valid_from, as_of)))
    if community:
        ranked = ranked.join(Community, Community.id == StarAssessment.community_id).where(Community.name == community)
    ranked = ranked.subquery()
    kept = select(ranked).where(ranked.c.rnk == 1).subquery()
    until = func.lead(kept.c.valid_from).over(partition_by=[kept.c.community_id, kept.c.star],
                                              order_by=kept.c.valid_from)
    spans = select(kept.c.valid_from, kept.c.status, kept.c.kind, type_coerce(until, Date).label("until")).subquery()
    deltas = union_all(
        select(spans.c.valid_from.label("day"), spans.c.status, literal(1).label("n"), spans.c.kind),
        select(spans.c.until.label("day"), spans.c.status, literal(-1).label("n"), spans.c.kind)
        .where(spans.c.until.is_not(None))).subquery()
    df = frame(select(deltas.c.day, deltas.c.status, deltas.c.kind, func.sum(deltas.c.n).label("n"))
               .group_by(deltas.c.day, deltas.c.status, deltas.c.kind), engine)
    out = pd.DataFrame({"date": dates})
    for status in StarStatus:
        per_day = df[df["status"] == status.value].groupby("day")["n"].sum()
        out[status.value] = per_day.reindex(dates, fill_value=0).cumsum().astype(int).to_numpy()
    # each date's source: the kinds of the records that stand on it (a kind counts while any of its records holds)
    held = {k: rows.groupby("day")["n"].sum().reindex(dates, fill_value=0).cumsum().to_numpy() > 0
            for k, rows in df.groupby("kind")}
    out["source_kind"] = [combined_kind({k for k, on in held.items() if on[i]}) for i in range(len(dates))]
    out["is_demo"] = out["source_kind"].isin([SourceKind.DEMO.value, MIXED])
    return out[columns]


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
        stmt = stmt.where(holds_on(RedPropertyProject.completed_on, as_of))
    return fix_bools(frame(stmt, engine), "is_demo")
