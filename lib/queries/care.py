"""Elder care: facilities and daily occupancy (residents never shown above capacity)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select

from lib.figures import Figure
from lib.models import CareFacility, CareOccupancy, Community, Fact, Source, SourceKind
from lib.queries.common import fix_bools, frame, latest_rows, source_columns
from lib.scope import holds_on, newest_first


@dataclass(frozen=True)
class Occupancy:
    facility: str
    beds: int | None
    occupied: int | None
    day: dt.date | None
    source_kind: str | None
    source_title: str | None
    is_demo: bool
    author: str | None = None  # the staff source's display name (entered figures only)
    recorded_at: dt.datetime | None = None
    quote: str | None = None  # the article's words for this number (reported figures only)

    @property
    def free(self) -> int | None:
        return None if self.beds is None or self.occupied is None else self.beds - self.occupied

    @property
    def rate(self) -> float | None:
        return None if not self.beds or self.occupied is None else self.occupied / self.beds

    def figure(self, label: str, *, free_beds_warning: int | None = None) -> Figure:
        """「48/50床」 with its provenance (the article's words when reported); a warning when free beds are fewer
        than `free_beds_warning`."""
        warning = None
        if free_beds_warning is not None and self.free is not None and self.free < free_beds_warning:
            warning = f"空床仅 {self.free} 张，少于预警值 {free_beds_warning} 张"
        return Figure(label, f"{self.occupied}/{self.beds}床", self.source_kind or "demo", self.day,
                      value=self.occupied, unit="人", citation=self.quote, source_title=self.source_title,
                      author=self.author if self.source_kind == SourceKind.STAFF.value else None,
                      recorded_at=self.recorded_at, warning=warning)


def facilities(*, community: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
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
    record of that day), residents capped at capacity, free beds and rate; fewest free beds first.
    `low_free`: reported, with fewer free beds than `free_beds_warning` (as `occupancy_watch`).
    Facilities with beds but no report yet are listed with empty figures. Aggregated in the database."""
    last_day = (select(func.max(CareOccupancy.day))  # one index seek per facility, not a scan of every day
                .where(CareOccupancy.facility_id == CareFacility.id, holds_on(CareOccupancy.day, as_of))
                .correlate(CareFacility).scalar_subquery())
    last = (select(CareFacility.id.label("facility_id"), last_day.label("day"))
            .where(CareFacility.beds.is_not(None)).subquery())
    rank = func.row_number().over(partition_by=CareOccupancy.facility_id,
                                  order_by=newest_first(CareOccupancy, "day")).label("rnk")
    newest = (select(CareOccupancy.facility_id, CareOccupancy.day, CareOccupancy.occupied,
                     CareOccupancy.source_id, rank)
              .join(last, (last.c.facility_id == CareOccupancy.facility_id) & (last.c.day == CareOccupancy.day))
              .subquery())
    stmt = (select(CareFacility.key, CareFacility.name, Community.name.label("community"), CareFacility.beds,
                   newest.c.day, newest.c.occupied, *source_columns())
            .outerjoin(Community, Community.id == CareFacility.community_id)
            .outerjoin(newest, (newest.c.facility_id == CareFacility.id) & (newest.c.rnk == 1))
            .outerjoin(Source, Source.id == newest.c.source_id)
            .where(CareFacility.beds.is_not(None))
            .order_by(CareFacility.id))
    if community:
        stmt = stmt.where(Community.name == community)
    df = frame(stmt, engine)
    df["is_demo"] = df["is_demo"].fillna(False).astype(bool)
    reported = df["occupied"].notna()
    df["occupied"] = df[["occupied", "beds"]].min(axis=1, skipna=False).astype("Int64")
    df["free"] = (df["beds"] - df["occupied"]).astype("Int64")
    df["rate"] = (df["occupied"] / df["beds"]).astype("Float64")
    df["reported"] = reported
    df["low_free"] = reported & (df["free"].fillna(0) < max(0, int(free_beds_warning)))
    return df.sort_values(["free", "key"], na_position="last", kind="stable").reset_index(drop=True)


def occupancy_series(*, facility: str, start: dt.date | None = None, as_of: dt.date | None = None,
                     engine: Engine | None = None) -> pd.DataFrame:
    """Daily residents (latest record per day) with beds, free beds and rate; capped at capacity."""
    facility_id = select(CareFacility.id).where(CareFacility.key == facility).scalar_subquery()
    ids = latest_rows(CareOccupancy, [CareOccupancy.facility_id, CareOccupancy.day], as_of, date_col="day",
                      where=[CareOccupancy.facility_id == facility_id])
    stmt = (select(CareOccupancy.day, CareOccupancy.occupied, CareFacility.beds, *source_columns(),
                   CareOccupancy.recorded_by)
            .join(CareFacility, CareFacility.id == CareOccupancy.facility_id)
            .join(Source, Source.id == CareOccupancy.source_id)
            .where(CareFacility.key == facility, CareOccupancy.id.in_(ids))
            .order_by(CareOccupancy.day))
    if start:
        stmt = stmt.where(CareOccupancy.day >= start)
    df = fix_bools(frame(stmt, engine), "is_demo")
    if not df.empty:
        df["occupied"] = df[["occupied", "beds"]].min(axis=1).astype(int)
        df["free"] = df["beds"] - df["occupied"]
        df["rate"] = df["occupied"] / df["beds"]
    return df


def current_occupancy(*, facility: str, as_of: dt.date | None = None, engine: Engine | None = None) -> Occupancy:
    last_day = (select(func.max(CareOccupancy.day)).join(CareFacility, CareFacility.id == CareOccupancy.facility_id)
                .where(CareFacility.key == facility, holds_on(CareOccupancy.day, as_of))).scalar_subquery()
    # the article's words for this very number: its residents fact of that day, same source and value
    quote = (select(Fact.quote).where(Fact.indicator == "care_residents", Fact.valid_from == CareOccupancy.day,
                                      Fact.source_id == CareOccupancy.source_id, Fact.value == CareOccupancy.occupied,
                                      Fact.community_id == CareFacility.community_id)
             .order_by(Fact.id.desc()).limit(1).scalar_subquery())
    stmt = (select(CareFacility.name, CareFacility.beds, CareOccupancy.occupied, CareOccupancy.day, *source_columns(),
                   CareOccupancy.recorded_by, CareOccupancy.recorded_at, quote.label("quote"))
            .join(CareOccupancy, CareOccupancy.facility_id == CareFacility.id)
            .join(Source, Source.id == CareOccupancy.source_id)
            .where(CareFacility.key == facility, CareOccupancy.day == last_day)
            .order_by(*newest_first(CareOccupancy, "day")).limit(1))
    df = frame(stmt, engine)
    if df.empty:
        fac = frame(select(CareFacility.name, CareFacility.beds).where(CareFacility.key == facility), engine)
        name = fac["name"].iloc[0] if not fac.empty else facility
        beds = int(fac["beds"].iloc[0]) if not fac.empty and pd.notna(fac["beds"].iloc[0]) else None
        return Occupancy(name, beds, None, None, None, None, False)
    r = df.iloc[0]
    beds = int(r["beds"]) if pd.notna(r["beds"]) else None
    occupied = int(r["occupied"]) if beds is None else min(int(r["occupied"]), beds)
    stamp = r["recorded_at"]
    reported = r["source_kind"] == SourceKind.ARTICLE.value and isinstance(r["quote"], str)
    return Occupancy(r["name"], beds, occupied, r["day"], r["source_kind"], r["source_title"], bool(r["is_demo"]),
                     r["source_publisher"] or r["recorded_by"], stamp.to_pydatetime() if hasattr(stamp, "to_pydatetime")
                     else stamp, r["quote"] if reported else None)


def occupancy_watch(*, facility: str, free_beds_warning: int, start: dt.date | None = None,
                    as_of: dt.date | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """`occupancy_series` plus the warning line: `threshold` = beds − warning (the residents level
    at which free beds drop below the warning), and `low_free` = fewer free beds than the warning."""
    df = occupancy_series(facility=facility, start=start, as_of=as_of, engine=engine)
    if df.empty:
        return df.assign(threshold=pd.Series(dtype=int), low_free=pd.Series(dtype=bool))
    warning = max(0, int(free_beds_warning))
    df["threshold"] = (df["beds"] - warning).clip(lower=0).astype(int)
    df["low_free"] = df["free"] < warning
    return df
