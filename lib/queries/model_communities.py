"""示范社区: status history per community."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from lib import railway_side
from lib.fmt import cn_date
from lib.models import Community, ModelCommunityStatus, ModelStatus, Source
from lib.queries.common import fix_bools, frame, latest_rows, source_columns

NAMED = ModelStatus.NAMED.value
STATUS_ORDER = [ModelStatus.NAMED.value, ModelStatus.PILOT.value, ModelStatus.ACTIVE.value, ModelStatus.NOT_YET.value]


CAVEATS = ("未载明", "未提及")  # the seed's words for a date the article does not give, a status it does not state


def date_caveat(notes) -> str:
    """What status records' notes say when the article did not give the date or the status itself
    (「起始日期报道未载明，按2023年1月1日记」, 「报道未提及该社区的示范社区创建情况」): those clauses, each once; "" when the
    source states both. The pack and the 先行先试 card print it beside the figure."""
    clauses = (c.strip() for n in notes if isinstance(n, str) for c in n.split("；"))
    return "；".join(dict.fromkeys(c for c in clauses if any(w in c for w in CAVEATS)))


def model_status(*, community: str | None = None, as_of: dt.date | None = None,
                 engine: Engine | None = None) -> pd.DataFrame:
    """Each community's 示范社区 status on `as_of`, with the date it took effect and its source."""
    ids = latest_rows(ModelCommunityStatus, [ModelCommunityStatus.community_id], as_of)
    stmt = railway_side.joined(
        select(Community.name.label("community"), *railway_side.columns(), ModelCommunityStatus.status,
               ModelCommunityStatus.valid_from, ModelCommunityStatus.note, ModelCommunityStatus.quote,
               *source_columns(), ModelCommunityStatus.recorded_at)
        .join(Community, Community.id == ModelCommunityStatus.community_id)
        .join(Source, Source.id == ModelCommunityStatus.source_id)
        .where(ModelCommunityStatus.id.in_(ids))
        .order_by(Community.sort_order)
    )
    if community:
        stmt = stmt.where(Community.name == community)
    return railway_side.labelled(fix_bools(frame(stmt, engine), "is_demo")).drop(columns=["side_quote"])


def model_history(*, community: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    stmt = (
        select(Community.name.label("community"), ModelCommunityStatus.status, ModelCommunityStatus.valid_from,
               ModelCommunityStatus.note, ModelCommunityStatus.recorded_by, ModelCommunityStatus.recorded_at,
               *source_columns(), ModelCommunityStatus.id.label("record_id"))
        .join(Community, Community.id == ModelCommunityStatus.community_id)
        .join(Source, Source.id == ModelCommunityStatus.source_id)
        .order_by(ModelCommunityStatus.valid_from, Community.sort_order, ModelCommunityStatus.id)
    )
    if community:
        stmt = stmt.where(Community.name == community)
    return fix_bools(frame(stmt, engine), "is_demo")


@dataclass(frozen=True)
class NamedBasis:
    """The story of one status's set (the named 示范社区 by default) up to a day: who is in it now (`named`, status
    rows), every record that brought a community in (`joined`) and every one that took one out (`left`), as made —
    a community that left and came back keeps its first naming and its departure (model_history rows)."""

    named: pd.DataFrame
    joined: pd.DataFrame
    left: pd.DataFrame
    order: tuple[str, ...] = ()  # every community, in the subdistrict's order

    @property
    def made(self) -> pd.DataFrame:
        """Every record that brought a community in, in the subdistrict's order of communities."""
        rank = {n: i for i, n in enumerate(self.order)}
        return self.joined.sort_values("community", key=lambda c: c.map(rank), kind="stable")

    @property
    def changes(self) -> list[tuple[dt.date, str, str]]:
        """(day, 「2024年1月6日，中兴改为未命名」, source kind) of each record that took a community out, oldest first."""
        return self.departures()

    def departures(self, *, besides: str | None = None) -> list[tuple[dt.date, str, str]]:
        """`changes`, leaving out moves into `besides` (a pilot named 示范社区 is said by its naming)."""
        rows = self.left.sort_values("valid_from", kind="stable")
        return [(r.valid_from, f"{cn_date(r.valid_from)}，{r.community}改为{r.status}", r.source_kind)
                for r in rows.itertuples() if r.status != besides]

    @property
    def records(self) -> pd.DataFrame:
        """What the count holds by: its members' records and, for each community now out, the record that took it
        out; the count's source is theirs, its date the newest of them."""
        out = self.left[~self.left["community"].isin(set(self.named["community"]))]
        out = out.sort_values(["valid_from", "record_id"], kind="stable").groupby("community", sort=False).tail(1)
        return pd.concat([self.named, out], ignore_index=True)


def named_basis(*, status: str = NAMED, as_of: dt.date | None = None, engine: Engine | None = None) -> NamedBasis:
    """The basis on `as_of` of the count of communities in `status` (the named count by default): a community that
    left the set moved the count as much as one that joined it (「3个」 after 中兴 was recorded 未命名 rests on that
    record, not on the article's naming alone)."""
    current = model_status(as_of=as_of, engine=engine)
    history = model_history(engine=engine)
    if as_of is not None:
        history = history[history["valid_from"] <= as_of]
    joined, left = [], []
    for _, rows in history.sort_values(["valid_from", "record_id"], kind="stable").groupby("community", sort=False):
        inside = False
        for _, r in rows.iterrows():  # each record in the order it holds: in → out and out → in are the events
            now_in = r["status"] == status
            (joined if now_in and not inside else left if inside and not now_in else []).append(r)
            inside = now_in
    columns = list(history.columns)
    return NamedBasis(current[current["status"] == status], pd.DataFrame(joined, columns=columns),
                      pd.DataFrame(left, columns=columns), tuple(current["community"]))


def model_timeline(*, community: str | None = None, as_of: dt.date | None = None, until: dt.date | None = None,
                   engine: Engine | None = None) -> pd.DataFrame:
    """Status spans per community: (community, status, start, end, note, is_demo, open), cut at `as_of`.

    A span ends where the next status takes effect; the current (`open`) span ends on `as_of`, else
    on `until` (e.g. the 「数据截至」 date), else on the latest status date — never in an unknown future.
    """
    hist = model_history(community=community, engine=engine)
    cols = ["community", "status", "start", "end", "note", "is_demo", "open"]
    if as_of:
        hist = hist[hist["valid_from"] <= as_of]
    if hist.empty:
        return pd.DataFrame(columns=cols)
    order = {n: i for i, n in enumerate(hist["community"].drop_duplicates())}  # the query's sort order
    # Several records on one day: lib.scope's rule (newest recorded_at, then greatest id) picks the one that holds.
    hist = hist.sort_values(["community", "valid_from", "recorded_at", "record_id"]).drop_duplicates(
        ["community", "valid_from"], keep="last")
    horizon = as_of or max([*hist["valid_from"], *([until] if until else [])])
    rows = []
    for name, g in hist.groupby("community", sort=False):
        g = g.reset_index(drop=True)
        for i, r in g.iterrows():
            last = i + 1 == len(g)
            end = horizon if last else g.loc[i + 1, "valid_from"]
            rows.append({"community": name, "status": r["status"], "start": r["valid_from"],
                         "end": max(end, r["valid_from"]), "note": r["note"], "is_demo": bool(r["is_demo"]),
                         "open": last})
    out = pd.DataFrame(rows, columns=cols)
    out["_o"] = out["community"].map(order)
    return out.sort_values(["_o", "start"]).drop(columns="_o").reset_index(drop=True)


def improvement_projects(*, community: str | None = None, engine: Engine | None = None) -> pd.DataFrame:
    """The article's 改造项目 with their (schematic) map point and the community that point falls in.

    `stated_community` is the community the article names for the project (if any); `map_community`
    is where the newest `pois` point lies within the newest `communities` layer. `community` filters
    on either.
    """
    from sqlalchemy import func

    from lib.models import Fact, MapFeature, MapLayerVersion, TextNote
    from lib.spatial import containing_area, representative_lonlat

    notes = frame(select(TextNote.subject, TextNote.text, TextNote.quote, *source_columns())
                  .join(Source, Source.id == TextNote.source_id)
                  .where(TextNote.kind == "改造项目").order_by(TextNote.id), engine)
    stated = frame(select(Fact.subject, Community.name.label("stated_community"))
                   .join(Community, Community.id == Fact.community_id)
                   .where(Fact.subject.in_(notes["subject"].tolist() or [""])).distinct(), engine)
    newest = select(func.max(MapLayerVersion.id)).group_by(MapLayerVersion.layer)
    feats = frame(select(MapFeature.layer, MapFeature.name, MapFeature.geometry, MapFeature.schematic,
                         MapFeature.source_text)
                  .where(MapFeature.version_id.in_(newest), MapFeature.layer.in_(["pois", "communities"])), engine)
    polys = {r.name: r.geometry for r in feats.itertuples() if r.layer == "communities"}
    points = {r.name: r for r in feats.itertuples() if r.layer == "pois"}
    rows = []
    for r in notes.itertuples():
        p = points.get(r.subject)
        lonlat = representative_lonlat(p.geometry) if p is not None else None
        rows.append({
            "subject": r.subject, "text": r.text, "quote": r.quote, "source_kind": r.source_kind,
            "source_title": r.source_title, "is_demo": bool(r.is_demo),
            "lon": lonlat[0] if lonlat else None, "lat": lonlat[1] if lonlat else None,
            "map_community": containing_area(*lonlat, polys) if lonlat else None,
            "location_schematic": bool(p.schematic) if p is not None else None,
            "location_source": p.source_text if p is not None else None,
        })
    out = pd.DataFrame(rows, columns=["subject", "text", "quote", "source_kind", "source_title", "is_demo", "lon",
                                      "lat", "map_community", "location_schematic", "location_source"])
    out = out.merge(stated.drop_duplicates("subject"), on="subject", how="left")
    out["stated_community"] = out["stated_community"].astype(object).where(out["stated_community"].notna(), None)
    if community:
        out = out[(out["stated_community"] == community) | (out["map_community"] == community)]
    return out.reset_index(drop=True)
