"""文化路北延 relocation: headline figures, burn-up series, households, milestones.

What each headline figure is, where it comes from and from when it holds: `headline` (the rule for 全街道's published
figures and the household steps after them); 未签约 = 涉迁户 − 已签约 is `RelocationHeadline.unsigned`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import Date, Engine, and_, case, exists, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import aliased

from lib.days import as_day
from lib.figures import Figure, combined_kind, derived, from_row
from lib.fmt import cn_date, format_value
from lib.models import (HOUSEHOLD_LADDER, Community, Household, HouseholdEvent, ProjectMilestone, RelocationProject,
                        Source, SourceKind)
from lib.db import get_engine
from lib.queries.common import fix_bools, frame, holding_id, source_columns
from lib.scope import holds_on, newest_first
from lib.queries.facts import facts, reported

PROJECT_KEY = "wenhua_north"
PROJECT_SUBJECT = "文化路北延"
UNSIGNED, SIGNED, DEMOLISHED = HOUSEHOLD_LADDER[0], HOUSEHOLD_LADDER[1], HOUSEHOLD_LADDER[-1]
# The project's published figures (facts.csv indicators) per headline figure.
INDICATORS = {"total": "relocation_households", "signed": "relocation_signed", "area": "relocation_demolished_m2"}


@dataclass(frozen=True)
class RelocationHeadline:
    total: Figure
    signed: Figure
    demolished_m2: Figure
    pending: int | None
    official: pd.DataFrame  # the project's figures as they stood on the day (facts), the 集中拆除 day's among them
    reported: pd.DataFrame  # every figure the article gives on the project, with its words (facts.reported)

    def progress(self, label: str = "已签约/涉迁户", display: str | None = None) -> Figure:
        """「62/78户」: a figure made of 已签约 and 涉迁户 (both sources, the newer date, their warnings: `derived`)."""
        return derived((self.signed, self.total), label=label, value=self.signed.value, unit="户",
                        display=display or f"{self.signed.value:.0f}/{self.total.value:.0f}户")

    def unsigned(self, label: str = "未签约") -> Figure | None:
        """涉迁户 − 已签约 (the page's 「尚在签订中」, the pack's 未签约): a figure made of both, so it carries both
        sources, the newer date and their warnings (`derived`); None when either has no value."""
        if self.pending is None:
            return None
        return derived((self.total, self.signed), label=label, display=f"{self.pending}户", value=float(self.pending),
                        unit="户")


def _project_id(engine: Engine | None) -> int | None:
    return _scalar(select(RelocationProject.id).where(RelocationProject.key == PROJECT_KEY), engine)


def _scalar(stmt, engine):
    df = frame(stmt, engine)
    return None if df.empty else df.iloc[0, 0]


def _holding(as_of: dt.date | None):
    """Per household (in the caller's FROM), the id of its step that holds on `as_of`."""
    return holding_id(HouseholdEvent, "household_id", Household.id, as_of)


def _with_steps(stmt, as_of: dt.date | None, engine: Engine, *, paged: bool = False):
    """`stmt` (FROM household) joined to each household's step that holds on `as_of`.

    A page of households, and SQLite always: one index seek per household. PostgreSQL over all
    households: one ordered pass with DISTINCT ON, which it runs ~3× faster than 100,000 seeks (bench/).
    """
    if paged or engine.dialect.name != "postgresql":
        return stmt.join(HouseholdEvent, HouseholdEvent.id == _holding(as_of))
    e = HouseholdEvent
    latest = (select(e.id).where(holds_on(e.valid_from, as_of)).ext(distinct_on(e.household_id))
              .order_by(e.household_id, *newest_first(e)).subquery())
    return stmt.join(e, e.household_id == Household.id).join(latest, latest.c.id == e.id)


def household_status(*, community: str | None = None, as_of: dt.date | None = None, limit: int | None = None,
                     offset: int = 0, engine: Engine | None = None) -> pd.DataFrame:
    """Each household's status on `as_of` (anonymised code, area, date of the step, source), by code.

    Households with no step recorded by `as_of` are left out. `limit`/`offset` page through them in the
    database; each listed household's step is found by one index seek, so a page of a district-size
    project costs about what the seed's whole list does.
    """
    stmt = (
        select(Household.code, Community.name.label("community"), Household.floor_area_m2,
               HouseholdEvent.status, HouseholdEvent.valid_from.label("since"), HouseholdEvent.demolished_area_m2,
               *source_columns(), HouseholdEvent.recorded_by)
        .select_from(Household)
    )
    engine = engine or get_engine()
    stmt = (
        _with_steps(stmt, as_of, engine, paged=limit is not None)  # no step by as_of: not listed
        .join(Source, Source.id == HouseholdEvent.source_id)
        .outerjoin(Community, Community.id == Household.community_id)
        .order_by(Household.code)
    )
    if community:
        stmt = stmt.where(Community.name == community)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return fix_bools(frame(stmt, engine), "is_demo")


def status_counts(*, community: str | None = None, as_of: dt.date | None = None,
                  engine: Engine | None = None) -> dict[str, int]:
    """Households at each rung on `as_of`, aggregated in the database."""
    engine = engine or get_engine()
    stmt = _with_steps(select(HouseholdEvent.status, func.count().label("n")).select_from(Household), as_of,
                       engine).group_by(HouseholdEvent.status)
    if community:
        stmt = stmt.join(Community, Community.id == Household.community_id).where(Community.name == community)
    df = frame(stmt, engine)
    counts = {s: 0 for s in HOUSEHOLD_LADDER}
    counts.update({r.status: int(r.n) for r in df.itertuples()})
    return counts


def status_kinds(*, community: str | None = None, as_of: dt.date | None = None,
                 engine: Engine | None = None) -> tuple[str, ...]:
    """The source kinds of the steps that hold on `as_of`: what status_counts' counts rest on."""
    engine = engine or get_engine()
    stmt = (_with_steps(select(Source.kind).select_from(Household), as_of, engine)
            .join(Source, Source.id == HouseholdEvent.source_id).distinct())
    if community:
        stmt = stmt.join(Community, Community.id == Household.community_id).where(Community.name == community)
    return tuple(sorted(frame(stmt, engine)["kind"]))


def _makes(figure: str):
    """SQL condition: the household step that adds its household to `figure` — `total`: its first step (未签约;
    已签约 for a household with no 未签约 step, as lib.writes allows); `signed`: its 已签约 step; `area`: its 已拆除
    step (with the area demolished). The ladder is climbed one rung at a time, never back and never earlier
    (lib.writes), one step per rung (uq_household_event_step): so a household has at most one such step per figure,
    and a figure on a date counts exactly those steps dated on or before it."""
    e, first = HouseholdEvent, aliased(HouseholdEvent)
    if figure == "signed":
        return e.status == SIGNED
    if figure == "area":
        return e.status == DEMOLISHED
    return or_(e.status == UNSIGNED, and_(e.status == SIGNED, ~exists().where(first.household_id == e.household_id,
                                                                               first.status == UNSIGNED)))


@dataclass(frozen=True)
class _Records:
    """The steps that make one figure, aggregated: how many, the area they demolished, their kinds
    (lib.figures.combined_kind), the newest date, and who entered the newest 录入 step (by record time)."""
    n: int = 0
    area: float = 0.0
    kind: str | None = None
    day: dt.date | None = None
    real: bool = False  # a step that is not demo data is among them
    author: str | None = None
    recorded_at: dt.datetime | None = None

    def value(self, figure: str) -> float:
        return self.area if figure == "area" else float(self.n)


def _in_scope(stmt, community: str | None):
    if not community:
        return stmt
    return (stmt.join(Household, Household.id == HouseholdEvent.household_id)
            .join(Community, Community.id == Household.community_id).where(Community.name == community))


def _steps_by_day(community: str | None, as_of: dt.date | None, engine: Engine | None) -> pd.DataFrame:
    """The steps that make the headline figures on or before `as_of`, counted per rung, source kind and date (a few
    rows per day), in one pass over the steps; `first` marks the 已签约 steps that are also a household's first."""
    e, first = HouseholdEvent, aliased(HouseholdEvent)
    orphan = case((e.status == SIGNED, ~exists().where(first.household_id == e.household_id,
                                                      first.status == UNSIGNED)), else_=False)
    keys = [e.status, e.source_id, orphan.label("first"), e.valid_from.label("day")]
    grouped = _in_scope(select(*keys, func.count().label("n"), func.sum(e.demolished_area_m2).label("area")), community)
    grouped = grouped.where(holds_on(e.valid_from, as_of), e.status.in_((UNSIGNED, SIGNED, DEMOLISHED))).group_by(*keys)
    g = grouped.subquery()
    df = frame(select(g, Source.kind).join(Source, Source.id == g.c.source_id), engine)
    df["day"] = [as_day(d) for d in df["day"]]
    df["first"] = df["first"].astype(bool) | (df["status"] == UNSIGNED)
    return df


def _records(df: pd.DataFrame, figure: str, *, after: dt.date | None = None, upto: dt.date | None = None,
             community: str | None, as_of: dt.date | None, engine: Engine | None) -> _Records:
    """The steps of `figure` (`_makes`) dated after `after` and on or before `upto` (and `as_of`)."""
    rows = df[df["first"] if figure == "total" else df["status"] == (SIGNED if figure == "signed" else DEMOLISHED)]
    if after is not None:
        rows = rows[rows["day"] > after]
    if upto is not None:
        rows = rows[rows["day"] <= upto]
    if rows.empty:
        return _Records()
    kinds = set(rows["kind"])
    author = recorded_at = None
    if SourceKind.STAFF.value in kinds:  # who entered the newest 录入 step, and when (one row)
        e = HouseholdEvent
        stmt = (_in_scope(select(Source.publisher, e.recorded_by, e.recorded_at).join(Source, Source.id == e.source_id),
                          community)
                .where(_makes(figure), Source.kind == SourceKind.STAFF.value, holds_on(e.valid_from, as_of),
                       holds_on(e.valid_from, upto), e.valid_from > (after or dt.date.min))
                .order_by(e.recorded_at.desc(), e.id.desc()).limit(1))
        newest = frame(stmt, engine).iloc[0]
        author, recorded_at = newest["publisher"] or newest["recorded_by"], newest["recorded_at"]
    return _Records(int(rows["n"].sum()), float(rows["area"].fillna(0.0).sum()), combined_kind(kinds),
                    max(rows["day"]), kinds != {SourceKind.DEMO.value}, author, recorded_at)


def _shown(value: float, unit: str, qualifier: str | None = None) -> str:
    if unit == "户" and not qualifier:
        return f"{value:.0f}户"
    return format_value(round(value), unit, qualifier or "")


def _agrees(published: float, qualifier: str | None, counted: float) -> bool:
    """Whether a count agrees with a published figure as written: 62 is 62; 「6100余」 is 6100 to 6199 (the place
    of its last non-zero digit); 「超过N」 is more than N; 「约6100」 is within half that place."""
    whole = int(round(published))
    place = 1
    while whole and whole % (place * 10) == 0:
        place *= 10
    if qualifier == "余":
        return published <= counted < published + place
    if qualifier == "超过":
        return counted > published
    if qualifier == "约":
        return abs(counted - published) <= place / 2
    return round(counted, 1) == round(published, 1)


def _disagreement(fact: Figure, counted: str) -> str:
    """The words of a published figure's warning, short enough for the wall (one line at its smallest text) and said
    the same on the 征迁 page, the overview, the wall and the pack: 「逐户记录截至2023年11月22日为63户，与报道的62户不一致，
    以报道为准」 — the records (with 录入 or other non-demo steps among them) against the figure shown, which rests on
    the published one (any step dated after it is added to it)."""
    return f"逐户记录截至{cn_date(fact.holds_from)}为{counted}，与{fact.tag}的{fact.display}不一致，以{fact.tag}为准"


def headline(*, community: str | None = None, as_of: dt.date | None = None,
             engine: Engine | None = None) -> RelocationHeadline:
    """涉迁户, 已签约 and 累计拆迁 on `as_of`.

    A community (and 全街道 before a figure is published): counts of the household steps that make each figure
    (`_makes`): its source is their kinds (all demo: 示例; demo among others: 含示例), its date the newest of them on
    or before `as_of` — a count does not become newer by being looked at on a later day.

    全街道, once the project's figure is published (or entered, 录入) and holds on `as_of`, the rule a leader can
    defend: the published figure holds until a step that changes THAT figure (a household added for 涉迁户, a
    signing for 已签约, a demolition for 累计拆迁) is dated after it; from then on it is the published figure plus
    those newer steps (「6100余平方米」 + 150 平方米 demolished since = 「6250余平方米」), from both sources and dated by
    the newest step (lib.figures.derived). So a change since the published date is exactly what was recorded
    since: none comes from switching between the article and the (demo) households. A step dated on or before the
    published date is taken as already in the published figure; when the records then disagree with it (a step
    that is not demo data among them), the figure says so in its `warning` rather than disagreeing silently with
    the community that counts them."""
    official = facts(subject=PROJECT_SUBJECT, as_of=as_of, engine=engine)
    by_key = {r["indicator"]: r for _, r in official.iterrows()}
    published = {} if community is not None else {
        f: by_key[key] for f, key in INDICATORS.items() if key in by_key and not pd.isna(by_key[key]["value"])}
    steps = _steps_by_day(community, as_of, engine)
    recs = {}
    for f in INDICATORS:
        since = as_day(published[f]["valid_from"]) if f in published else None
        recs[f] = _records(steps, f, upto=since, community=community, as_of=as_of, engine=engine)
        if since is not None:
            recs[f"{f}.after"] = _records(steps, f, after=since, community=community, as_of=as_of, engine=engine)

    def counted(f: str, label: str, unit: str, records: _Records) -> Figure:
        shown = records  # none signed / demolished yet: the 0 is what the households' own steps say
        if not records.n and f != "total":
            shown = _records(steps, "total", community=community, as_of=as_of, engine=engine)
        value = records.value(f)
        fig = from_row({"source_kind": shown.kind or SourceKind.DEMO.value, "source_title": "逐户状态记录",
                        "valid_from": shown.day, "source_publisher": shown.author, "recorded_at": shown.recorded_at,
                        "value": value, "unit": unit}, label=label, display=_shown(value, unit))
        # a count over demo and staff steps names the newest entry too (「含示例 · 测试管理员 · …录入」), as 五星 does
        return replace(fig, author=shown.author) if shown.author else fig

    def figure(f: str, label: str, unit: str) -> Figure:
        if f not in published:
            return counted(f, label, unit, recs[f])
        row, before, after = published[f], recs[f], recs[f"{f}.after"]
        fact = from_row(row, label=label, as_of=as_of)
        qualifier = None if pd.isna(row.get("qualifier")) else row.get("qualifier")
        warning = None
        if before.real and not _agrees(fact.value, qualifier, before.value(f)):
            warning = _disagreement(fact, _shown(before.value(f), unit))
        if not after.n:
            return replace(fact, warning=warning)
        value = fact.value + after.value(f)
        fig = derived((fact, counted(f, label, unit, after)), label=label, display=_shown(value, unit, qualifier),
                      value=value, unit=fact.unit or unit)
        return replace(fig, warning=warning)

    # each is the state on every day from its date until the next step (the steps are the whole record, and the
    # published figure plus the steps after it is the rule above): comparable on any later day (Figure.continuous)
    total, signed = figure("total", "涉迁户", "户"), figure("signed", "已签订协议", "户")
    area = figure("area", "累计完成拆迁", "平方米")
    total, signed, area = (replace(f, continuous=True) for f in (total, signed, area))
    pending = int(total.value - signed.value) if total.value is not None and signed.value is not None else None
    return RelocationHeadline(total, signed, area, pending, official, reported(subject=PROJECT_SUBJECT, engine=engine))


BURNUP_COLUMNS = ["date", "已签约", "已交钥匙", "已拆除", "拆除面积", "总户数", "is_demo", "source_kind"]


def _least(a, b):
    """The earlier of two dates, ignoring NULLs (portable: SQLite's min() and LEAST() treat NULL differently)."""
    return type_coerce(case((a.is_(None), b), (b.is_(None), a), (a <= b, a), else_=b), Date)


def burnup(*, community: str | None = None, as_of: dt.date | None = None,
           engine: Engine | None = None) -> pd.DataFrame:
    """Per day: households that reached ≥ signed / ≥ keys / demolished, and demolished m², cumulative; with the
    source of the household records counted (`source_kind`, lib.figures.combined_kind: 示例, 含示例, 录入 …).

    Aggregated in the database: per household the first day of each rung, then households per day
    and rung; pandas only accumulates the (few hundred) daily counts.
    """
    reached = {s: func.min(case((HouseholdEvent.status == s, HouseholdEvent.valid_from), else_=None))
               for s in HOUSEHOLD_LADDER[1:]}
    per_household = (select(HouseholdEvent.household_id,
                            *[v.label(f"d{i}") for i, v in enumerate(reached.values(), start=1)],
                            func.sum(HouseholdEvent.demolished_area_m2).label("area"))
                     .where(holds_on(HouseholdEvent.valid_from, as_of))
                     .group_by(HouseholdEvent.household_id))
    if community:
        per_household = (per_household.join(Household, Household.id == HouseholdEvent.household_id)
                         .join(Community, Community.id == Household.community_id).where(Community.name == community))
    ph = per_household.cte("per_household")  # referenced four times below: computed once
    d1, d2, d3 = (type_coerce(ph.c[f"d{i}"], Date) for i in (1, 2, 3))
    # A household that reached a higher rung has passed the lower ones.
    signed, keys = _least(d1, _least(d2, d3)), _least(d2, d3)
    rungs = [(signed, "已签约"), (keys, "已交钥匙"), (d3, "已拆除")]
    daily = union_all(*[
        select(day.label("day"), literal(rung).label("rung"), func.count().label("n"),
               func.coalesce(func.sum(ph.c.area), 0.0).label("area") if rung == "已拆除" else literal(0.0).label("area"))
        .where(day.is_not(None)).group_by(day)
        for day, rung in rungs],
        # one more row: all households (n)
        select(literal(None).label("day"), literal("总户数").label("rung"), func.count().label("n"),
               literal(0.0).label("area")).select_from(ph))
    rows = frame(select(daily.subquery()), engine)
    totals, df = rows[rows["rung"] == "总户数"], rows[rows["rung"] != "总户数"].copy()
    if df.empty or not int(totals["n"].iloc[0] or 0):
        return pd.DataFrame(columns=BURNUP_COLUMNS)
    df["day"] = [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10]) for d in df["day"]]
    known = sorted(set(df["day"]))
    end = known[-1] if as_of is None else max(known[-1], min(as_of, known[-1] + dt.timedelta(days=30)))
    days = [known[0] + dt.timedelta(days=i) for i in range((end - known[0]).days + 1)]
    out = pd.DataFrame({"date": days})
    for rung in ("已签约", "已交钥匙", "已拆除"):
        per_day = df[df["rung"] == rung].groupby("day")["n"].sum()
        out[rung] = per_day.reindex(days, fill_value=0).cumsum().astype(int).to_numpy()
    area = df[df["rung"] == "已拆除"].groupby("day")["area"].sum()
    out["拆除面积"] = area.reindex(days, fill_value=0.0).cumsum().astype(float).to_numpy()
    out["总户数"] = int(totals["n"].iloc[0])
    kinds = _in_scope(select(Source.kind).distinct().select_from(HouseholdEvent)
                      .join(Source, Source.id == HouseholdEvent.source_id)
                      .where(holds_on(HouseholdEvent.valid_from, as_of)), community)
    found = set(frame(kinds, engine)["kind"])  # the records' sources: whether any is demo data, and their kind
    out["is_demo"] = SourceKind.DEMO.value in found
    out["source_kind"] = combined_kind(found)
    return out


def signed_by_community(*, as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """Per community with households: households, households past 未签约 on `as_of`, and whether any
    status is demo data — counted in the database (the map's relocation colouring)."""
    stmt = (select(Community.name.label("community"), func.count().label("households"),
                   func.sum(case((HouseholdEvent.status != HOUSEHOLD_LADDER[0], 1), else_=0)).label("signed"),
                   func.max(case((Source.kind == "demo", 1), else_=0)).label("is_demo"))
            .select_from(Household))
    engine = engine or get_engine()
    stmt = (_with_steps(stmt, as_of, engine)
            .join(Community, Community.id == Household.community_id)
            .join(Source, Source.id == HouseholdEvent.source_id)
            .group_by(Community.name))
    df = fix_bools(frame(stmt, engine), "is_demo")
    return df.astype({"households": int, "signed": int})


def milestones(*, as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    stmt = (select(ProjectMilestone.happened_on, ProjectMilestone.date_precision, ProjectMilestone.title,
                   ProjectMilestone.detail, ProjectMilestone.quote, *source_columns())
            .join(Source, Source.id == ProjectMilestone.source_id)
            .where(holds_on(ProjectMilestone.happened_on, as_of))
            .order_by(ProjectMilestone.happened_on, ProjectMilestone.id))
    return fix_bools(frame(stmt, engine), "is_demo")
