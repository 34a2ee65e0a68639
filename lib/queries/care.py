"""Elder care: facilities, their bed counts and daily occupancy (residents never shown above capacity).

THE bed count of a facility on a day (`beds_on`, used by every reader and by the write check 入住 ≤ 床位): the
facility's 床位 figure (fact `care_beds`, subject its name with or without the 光武街道 prefix) that holds on that
day under lib.scope's as-of rule; where none holds (the demo days before the article), the register's count
(`CareFacility.beds`) with the register's source — cited as the article reported it (its words and date, shown
「报道于…」) when a 床位 figure of the same source and value exists. A figure made of residents and beds (空床,
入住率) carries both sources (lib.figures.derived).
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from lib.days import as_day
from lib.db import get_engine
from lib.figures import Figure, derived, from_row
from lib.fmt import percent
from lib.models import CareFacility, CareOccupancy, Community, Fact, Source, SourceKind
from lib.queries.common import fix_bools, frame, latest_rows, source_columns
from lib.scope import holds_on, newest_first

BEDS = "care_beds"  # the 床位 figure's code (data/facts.csv; staff figures labelled 床位 get it: lib.writes.bounds)
PREFIX = "光武街道"


def subjects(name: str) -> tuple[str, ...]:
    """The fact subjects naming a facility: 「光武街道综合养老服务中心」 and 「综合养老服务中心」."""
    short = name.removeprefix(PREFIX)
    return (name, short) if short and short != name else (name,)


@dataclass(frozen=True)
class Beds:
    """A facility's bed count on a day; `figure` (「床位 50张」) carries its own source and date."""

    value: int | None
    figure: Figure | None = None

    @property
    def shown(self) -> Figure | None:
        """The figure as a page states it on its day: None before it holds (the register's count, reported later:
        a facility figure holds from its own date only, README), or when none is known. `value` still bounds 入住."""
        return None if self.figure is None or self.figure.reported_later else self.figure


NO_BEDS = Beds(None)


def _rows(stmt, bind: Engine | Session | None) -> list:
    if bind is None or isinstance(bind, Engine):
        with (bind or get_engine()).connect() as conn:
            return list(conn.execute(stmt))
    return list(bind.execute(stmt))


def _count(n: float) -> tuple[int, str]:
    return int(round(n)), f"{int(round(n))}张"


def beds_on(wanted: Iterable[tuple[int, dt.date | None]], *, engine: Engine | None = None,
            session: Session | None = None) -> dict[tuple[int, dt.date | None], Beds]:
    """THE bed count of each (facility id, day) in `wanted` (day None: the latest state) — see the module
    docstring. Two queries for any number of facilities and days (a whole series), none per day; `session`: read
    inside a write's transaction."""
    wanted = set(wanted)
    book = BedBook.read({fid for fid, _ in wanted}, engine=engine, session=session)
    return {(fid, day): book.on(fid, day) for fid, day in wanted}


@dataclass(frozen=True)
class BedBook:
    """The facilities' registers and 床位 histories, read once (two queries): `on(fid, day)` is `beds_on` for any
    day without reading again (a ledger of a year's daily residents checks each day against it)."""

    register: dict[int, Any]
    history: dict[int, list]
    days: dict[int, list[dt.date | None]]

    @classmethod
    def read(cls, ids: Iterable[int], *, engine: Engine | None = None, session: Session | None = None) -> BedBook:
        ids = sorted(set(ids))
        if not ids:
            return cls({}, {}, {})
        bind = session if session is not None else engine
        register = {r.id: r for r in _rows(
            select(CareFacility.id, CareFacility.name, CareFacility.beds, CareFacility.source_id, *source_columns())
            .join(Source, Source.id == CareFacility.source_id).where(CareFacility.id.in_(ids)), bind)}
        owner = {s: fid for fid, r in register.items() for s in subjects(r.name)}
        history: dict[int, list] = {fid: [] for fid in register}
        facts = _rows(select(Fact.id, Fact.subject, Fact.value, Fact.valid_from, Fact.quote, Fact.source_id,
                             Fact.recorded_at, Fact.recorded_by, *source_columns())
                      .join(Source, Source.id == Fact.source_id)
                      .where(Fact.indicator == BEDS, Fact.subject.in_(list(owner)))
                      .order_by(*newest_first(Fact)), bind)
        for r in reversed(facts):  # oldest first: per date the last row is the one lib.scope's rule picks
            history[owner[r.subject]].append(r)
        return cls(register, history, {fid: [as_day(r.valid_from) for r in rows] for fid, rows in history.items()})

    def on(self, fid: int, day: dt.date | None) -> Beds:
        if fid not in self.register:
            return NO_BEDS
        rows = self.history[fid]
        i = len(rows) - 1 if day is None else bisect_right(self.days[fid], day) - 1
        return _held(rows[i]) if i >= 0 else _register(self.register[fid], rows)


def _held(r) -> Beds:
    """The 床位 figure holding on the day: its own source, words, date and (录入) who entered it."""
    n, display = _count(r.value)
    return Beds(n, from_row({**r._asdict(), "value": n, "unit": "张"}, label="床位", display=display))


def _register(r, history: list) -> Beds:
    """No 床位 figure holds yet: the register's count, with the words and date of the figure reporting it later."""
    if r.beds is None:
        return NO_BEDS
    n, display = _count(r.beds)
    same = next((h for h in history if h.source_id == r.source_id and round(h.value) == n), None)
    return Beds(n, Figure("床位", display, r.source_kind or SourceKind.DEMO.value,
                          as_day(same.valid_from) if same else None, value=float(n), unit="张",
                          citation=same.quote if same else None, source_title=r.source_title,
                          reported_later=same is not None))


def facility_beds(facility: str, *, as_of: dt.date | None = None, engine: Engine | None = None) -> Beds:
    """The bed count of `facility` (its key) on `as_of` (None: the latest state), by `beds_on`."""
    fid = _rows(select(CareFacility.id).where(CareFacility.key == facility), engine)
    return beds_on({(fid[0][0], as_of)}, engine=engine)[(fid[0][0], as_of)] if fid else NO_BEDS


def _with_beds(df: pd.DataFrame, day_col: str, as_of: dt.date | None, engine: Engine | None) -> pd.DataFrame:
    """`df` (facility_id, `day_col`) with each row's bed count on its day (on `as_of` where it has none) and the
    count's source kind: one `beds_on` call for the whole frame."""
    days = [as_day(d) or as_of for d in df[day_col]]
    held = beds_on(zip(df["facility_id"], days, strict=True), engine=engine)
    found = [held[(fid, d)] for fid, d in zip(df["facility_id"], days, strict=True)]
    return df.assign(beds=pd.array([b.value for b in found], dtype="Int64"),
                     beds_kind=[b.figure.kind if b.figure else None for b in found])


@dataclass(frozen=True)
class Occupancy:
    facility: str
    beds: int | None  # on `day` (on the date asked for when there is no count yet): `beds_on`
    occupied: int | None
    day: dt.date | None
    source_kind: str | None
    source_title: str | None
    is_demo: bool
    author: str | None = None  # the staff source's display name (entered figures only)
    recorded_at: dt.datetime | None = None
    quote: str | None = None  # the article's words for this number (reported figures only)
    beds_figure: Figure | None = None  # the bed count with its own source and date

    @property
    def free(self) -> int | None:
        return None if self.beds is None or self.occupied is None else self.beds - self.occupied

    @property
    def rate(self) -> float | None:
        return None if not self.beds or self.occupied is None else self.occupied / self.beds

    def figure(self, label: str, *, free_beds_warning: int | None = None) -> Figure:
        """The residents, 「48/50床」, with their provenance (the article's words when reported); a warning when
        free beds are fewer than `free_beds_warning`."""
        warning = None
        if free_beds_warning is not None and self.free is not None and self.free < free_beds_warning:
            warning = f"空床仅 {self.free} 张，少于预警值 {free_beds_warning} 张"
        return Figure(label, f"{self.occupied}/{self.beds}床", self.source_kind or "demo", self.day,
                      value=self.occupied, unit="人", citation=self.quote, source_title=self.source_title,
                      author=self.author if self.source_kind == SourceKind.STAFF.value else None,
                      recorded_at=self.recorded_at, warning=warning)

    def beds_part(self, label: str = "床位") -> Figure | None:
        """The bed count on the residents' day, with its own source and date."""
        return None if self.beds_figure is None else replace(self.beds_figure, label=label)

    def _both(self, label: str, display: str, value: float | None, unit: str = "", *,
              free_beds_warning: int | None = None) -> Figure:
        """A figure of residents and beds (lib.figures.derived: both sources, the newer date, the free-bed warning
        for `free_beds_warning`). Beds shown before their own date (the register's count, reported later) date it
        by the residents' day, which it describes."""
        parts = [self.figure(label, free_beds_warning=free_beds_warning)] + (
            [self.beds_figure] if self.beds_figure is not None else [])
        fig = derived(parts, label=label, display=display, value=value, unit=unit)
        if self.beds_figure is not None and self.beds_figure.reported_later:
            fig = replace(fig, holds_from=self.day, reported_later=False)
        return fig

    def pair_figure(self, label: str = "入住/床位", *, free_beds_warning: int | None = None) -> Figure:
        return self._both(label, f"{self.occupied}/{self.beds}床", None, free_beds_warning=free_beds_warning)

    def free_figure(self, label: str = "空床", *, free_beds_warning: int | None = None) -> Figure:
        return self._both(label, f"{self.free}张", None if self.free is None else float(self.free), "张",
                          free_beds_warning=free_beds_warning)

    def rate_figure(self, label: str = "入住率", *, free_beds_warning: int | None = None) -> Figure:
        return self._both(label, percent(self.occupied, self.beds), None, free_beds_warning=free_beds_warning)


def facilities(*, community: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """The register: `beds` is the register's count (the bed count on a day: `beds_on`)."""
    stmt = (select(CareFacility.key, CareFacility.name, CareFacility.kind, CareFacility.beds,
                   CareFacility.floor_area_m2, Community.name.label("community"), *source_columns())
            .outerjoin(Community, Community.id == CareFacility.community_id)
            .join(Source, Source.id == CareFacility.source_id)
            .order_by(CareFacility.id))
    if community:
        stmt = stmt.where(Community.name == community)
    return fix_bools(frame(stmt, engine), "is_demo")


def occupancy_overview(*, as_of: dt.date | None = None, community: str | None = None,
                       free_beds_warning: int = 0, engine: Engine | None = None) -> pd.DataFrame:
    """One row per facility with beds: its latest reported day on or before `as_of` (the newest
    record of that day), the beds on that day (`beds_on`; `beds_kind` their source), residents capped at
    capacity, free beds and rate; fewest free beds first. `low_free`: reported, with fewer free beds than
    `free_beds_warning` (as `occupancy_watch`). Facilities with beds but no report yet are listed with empty
    figures (their beds on `as_of`). Aggregated in the database; the bed counts in one more read."""
    last_day = (select(func.max(CareOccupancy.day))  # one index seek per facility, not a scan of every day
                .where(CareOccupancy.facility_id == CareFacility.id, holds_on(CareOccupancy.day, as_of))
                .correlate(CareFacility).scalar_subquery())
    last = select(CareFacility.id.label("facility_id"), last_day.label("day")).subquery()
    rank = func.row_number().over(partition_by=CareOccupancy.facility_id,
                                  order_by=newest_first(CareOccupancy, "day")).label("rnk")
    newest = (select(CareOccupancy.facility_id, CareOccupancy.day, CareOccupancy.occupied,
                     CareOccupancy.source_id, rank)
              .join(last, (last.c.facility_id == CareOccupancy.facility_id) & (last.c.day == CareOccupancy.day))
              .subquery())
    stmt = (select(CareFacility.id.label("facility_id"), CareFacility.key, CareFacility.name,
                   Community.name.label("community"), newest.c.day, newest.c.occupied, *source_columns())
            .outerjoin(Community, Community.id == CareFacility.community_id)
            .outerjoin(newest, (newest.c.facility_id == CareFacility.id) & (newest.c.rnk == 1))
            .outerjoin(Source, Source.id == newest.c.source_id)
            .order_by(CareFacility.id))
    if community:
        stmt = stmt.where(Community.name == community)
    df = frame(stmt, engine)
    df = _with_beds(df, "day", as_of, engine)
    df = df[df["beds"].notna()].drop(columns="facility_id")
    cols = ["key", "name", "community", "beds", "day", "occupied", "source_kind", "source_title",
            "source_publisher", "is_demo", "beds_kind"]
    df = df[cols].copy()
    df["is_demo"] = df["is_demo"].fillna(False).astype(bool)
    reported = df["occupied"].notna()
    df["occupied"] = pd.array(df["occupied"], dtype="Int64")
    df["occupied"] = df[["occupied", "beds"]].min(axis=1, skipna=False).astype("Int64")
    df["free"] = (df["beds"] - df["occupied"]).astype("Int64")
    df["rate"] = (df["occupied"] / df["beds"]).astype("Float64")
    df["reported"] = reported
    df["low_free"] = reported & (df["free"].fillna(0) < max(0, int(free_beds_warning)))
    return df.sort_values(["free", "key"], na_position="last", kind="stable").reset_index(drop=True)


def occupancy_series(*, facility: str, start: dt.date | None = None, as_of: dt.date | None = None,
                     engine: Engine | None = None) -> pd.DataFrame:
    """Daily residents (latest record per day) with that day's beds (`beds_on`, read once for the whole series),
    free beds and rate; capped at capacity."""
    facility_id = select(CareFacility.id).where(CareFacility.key == facility).scalar_subquery()
    ids = latest_rows(CareOccupancy, [CareOccupancy.facility_id, CareOccupancy.day], as_of, date_col="day",
                      where=[CareOccupancy.facility_id == facility_id])
    stmt = (select(CareOccupancy.facility_id, CareOccupancy.day, CareOccupancy.occupied, *source_columns(),
                   CareOccupancy.recorded_by)
            .join(Source, Source.id == CareOccupancy.source_id)
            .where(CareOccupancy.id.in_(ids))
            .order_by(CareOccupancy.day))
    if start:
        stmt = stmt.where(CareOccupancy.day >= start)
    df = fix_bools(frame(stmt, engine), "is_demo")
    if df.empty:
        return df.drop(columns="facility_id").assign(beds=pd.Series(dtype="Int64"))
    df = _with_beds(df, "day", as_of, engine).drop(columns=["facility_id", "beds_kind"])
    df = df[["day", "occupied", "beds", *[c for c in df.columns if c not in ("day", "occupied", "beds")]]]
    df["occupied"] = df[["occupied", "beds"]].min(axis=1).astype(int)  # no bed count: residents as recorded
    if df["beds"].notna().all():
        df["beds"] = df["beds"].astype(int)
    df["free"] = df["beds"] - df["occupied"]
    df["rate"] = df["occupied"] / df["beds"]
    return df
def current_occupancy(*, facility: str, as_of: dt.date | None = None, engine: Engine | None = None) -> Occupancy:
    """The residents of the latest day on or before `as_of` (its newest record), with the beds on that day."""
    last_day = (select(func.max(CareOccupancy.day)).join(CareFacility, CareFacility.id == CareOccupancy.facility_id)
                .where(CareFacility.key == facility, holds_on(CareOccupancy.day, as_of))).scalar_subquery()
    # the article's words for this very number: its residents fact of that day, same source and value
    quote = (select(Fact.quote).where(Fact.indicator == "care_residents", Fact.valid_from == CareOccupancy.day,
                                      Fact.source_id == CareOccupancy.source_id, Fact.value == CareOccupancy.occupied,
                                      Fact.community_id == CareFacility.community_id)
             .order_by(Fact.id.desc()).limit(1).scalar_subquery())
    stmt = (select(CareFacility.id, CareFacility.name, CareOccupancy.occupied, CareOccupancy.day, *source_columns(),
                   CareOccupancy.recorded_by, CareOccupancy.recorded_at, quote.label("quote"))
            .join(CareOccupancy, CareOccupancy.facility_id == CareFacility.id)
            .join(Source, Source.id == CareOccupancy.source_id)
            .where(CareFacility.key == facility, CareOccupancy.day == last_day)
            .order_by(*newest_first(CareOccupancy, "day")).limit(1))
    df = frame(stmt, engine)
    if df.empty:
        fac = frame(select(CareFacility.id, CareFacility.name).where(CareFacility.key == facility), engine)
        if fac.empty:
            return Occupancy(facility, None, None, None, None, None, False)
        fid = int(fac["id"].iloc[0])
        beds = beds_on({(fid, as_of)}, engine=engine)[(fid, as_of)]
        return Occupancy(fac["name"].iloc[0], beds.value, None, None, None, None, False, beds_figure=beds.figure)
    r = df.iloc[0]
    day = as_day(r["day"])
    held = beds_on({(int(r["id"]), day)}, engine=engine)[(int(r["id"]), day)]
    occupied = int(r["occupied"]) if held.value is None else min(int(r["occupied"]), held.value)
    stamp = r["recorded_at"]
    reported = r["source_kind"] == SourceKind.ARTICLE.value and isinstance(r["quote"], str)
    return Occupancy(r["name"], held.value, occupied, day, r["source_kind"], r["source_title"], bool(r["is_demo"]),
                     r["source_publisher"] or r["recorded_by"], stamp.to_pydatetime() if hasattr(stamp, "to_pydatetime")
                     else stamp, r["quote"] if reported else None, held.figure)


def occupancy_watch(*, facility: str, free_beds_warning: int, start: dt.date | None = None,
                    as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """`occupancy_series` plus the warning line: `threshold` = that day's beds − warning (the residents level
    at which free beds drop below the warning), and `low_free` = fewer free beds than the warning."""
    df = occupancy_series(facility=facility, start=start, as_of=as_of, engine=engine)
    if df.empty:
        return df.assign(threshold=pd.Series(dtype=int), low_free=pd.Series(dtype=bool))
    warning = max(0, int(free_beds_warning))
    df["threshold"] = (df["beds"] - warning).clip(lower=0).astype(int)
    df["low_free"] = df["free"] < warning
    return df
