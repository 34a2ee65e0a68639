"""What the wall's 养老 and 示范 views show, read from the article's words in the data (issue #14).

    care_circle(*, engine=None) -> CareCircle      # the centre, its 15-minute walking ring, the 「六助」 named
    model_map(*, as_of=None, engine=None) -> ModelMap   # the L-shaped cluster, the pilot, the naming date
    has_care(community, as_of, engine) -> bool     # does the 养老 view have something for this community?
    has_model(community, as_of, engine) -> bool    # … and the 示范 view?

Nothing here is invented: the cluster's members, the pilot, the four named services and the count 「六」 are
taken from the stored quotes (data/notes.yaml, data/facts.csv), each returned with its quote; the two 「六助」
services the article does not name are only counted, never named.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from lib.models import SourceKind
from lib.panels import Naming, namings
from lib.queries import care, facts, map_data, model_communities

CENTRE_SUBJECT = "综合养老服务中心"
NAMED, PILOT, NOT_YET = "已命名示范社区", "先行先试", "未命名"
NAMED_INDICATOR = "model_communities_named"
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SERVICES = re.compile(r"的([^的“”]+?)等“([一二三四五六七八九十])助”")
_CLUSTER = re.compile(r"将(.+?)社区串联成“L”形")


@dataclass(frozen=True)
class CareCircle:
    centre: str  # the facility's name on the map
    community: str | None
    lon: float | None  # None when the map has no such point
    lat: float | None
    station_quote: str | None  # 「打造“15分钟养老服务站”」
    services: list[str]  # the services the article names (理发、洗浴、出行、就餐)
    services_total: int  # the 「N助」 count (6)
    services_word: str  # the article's word for them: 六助
    services_quote: str | None

    @property
    def unnamed(self) -> int:
        return max(0, self.services_total - len(self.services))


@dataclass(frozen=True)
class ModelMap:
    cluster: list[str]  # the L-shaped cluster, in the article's order
    cluster_quote: str | None
    pilot: list[str]  # 先行先试 (铁路以西)
    pilot_quote: str | None  # the article's words on its pilot (榆树庄), for the article's group only
    named: list[str]  # named 示范社区 on `as_of`
    namings: list[Naming]  # who was named on which date, by whose word (lib.panels.namings)
    named_quote: str | None  # the article's words on its naming (for the naming of that date and source only)
    named_quote_on: dt.date | None = None
    pilots: list[Naming] = field(default_factory=list)  # the pilots by date and source (the article's, staff's)
    changes: list[tuple[str, str]] = field(default_factory=list)  # (「…，中兴改为未命名」, its source) since a naming
    pilot_changes: list[tuple[str, str]] = field(default_factory=list)  # (「…，榆树庄改为创建中」, its source)
    status_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # each status count's sources (named_basis)

    def quote_of(self, naming: Naming) -> str | None:
        """The article's quote for a naming that is the article's (its date and source), else None."""
        return self.named_quote if naming.kind == SourceKind.ARTICLE.value and naming.day == self.named_quote_on else None


def _note(subject: str, kind: str, needle: str, engine) -> str | None:
    rows = facts.notes(subject=subject, kind=kind, engine=engine)
    rows = rows[rows["quote"].fillna("").str.contains(needle, regex=False)]
    return rows["quote"].iloc[0] if not rows.empty else None


def care_circle(*, engine: Engine | None = None) -> CareCircle:
    fac = care.facilities(engine=engine)
    centre = fac[fac["kind"] == CENTRE_SUBJECT]
    community = centre["community"].iloc[0] if not centre.empty else None
    point = next((r["geometry"] for r in map_data.map_layers(engine=engine).get("pois", [])
                  if r["name"] == CENTRE_SUBJECT and (r["geometry"] or {}).get("type") == "Point"), None)
    lon, lat = (point["coordinates"][:2] if point else (None, None))
    quote = _note(CENTRE_SUBJECT, "服务", "助”", engine)
    match = _SERVICES.search(quote or "")
    services = match.group(1).split("、") if match else []
    total = _CN_DIGITS[match.group(2)] if match else 0
    return CareCircle(CENTRE_SUBJECT, community, lon, lat, _note(CENTRE_SUBJECT, "服务", "15分钟", engine),
                      services, total, f"{match.group(2)}助" if match else "", quote)


def model_map(*, as_of: dt.date | None = None, engine: Engine | None = None) -> ModelMap:
    status = model_communities.model_status(as_of=as_of, engine=engine)
    cluster_quote = None
    for subject in ("光武街道", *status["community"]):
        cluster_quote = _note(subject, "示范社区", "“L”形", engine)
        if cluster_quote:
            break
    match = _CLUSTER.search(cluster_quote or "")
    pilot_rows = status[status["status"] == PILOT]
    pilot = pilot_rows["community"].tolist()
    said = pilot_rows[(pilot_rows["source_kind"] == SourceKind.ARTICLE.value) & pilot_rows["quote"].notna()]
    named = status[status["status"] == NAMED]
    basis = model_communities.named_basis(as_of=as_of, engine=engine)
    bases = {s: basis if s == NAMED else model_communities.named_basis(status=s, as_of=as_of, engine=engine)
             for s in model_communities.STATUS_ORDER}  # the named set's basis once, not twice
    kinds = {s: tuple(sorted(set(b.records["source_kind"]))) for s, b in bases.items()}
    fig = facts.facts(indicators=[NAMED_INDICATOR], as_of=as_of, engine=engine)
    fig = fig[~fig["is_demo"]] if "is_demo" in fig else fig
    return ModelMap(cluster=match.group(1).split("—") if match else [], cluster_quote=cluster_quote,
                    pilot=pilot, pilot_quote=said["quote"].iloc[0] if len(said) else None, pilots=namings(pilot_rows),
                    named=named["community"].tolist(), namings=namings(basis.made),  # as made: 中兴 stays in its day
                    changes=[(said, kind) for _, said, kind in basis.changes],
                    # a pilot that left (one named 示范社区 is said by its naming)
                    pilot_changes=[(said, kind) for _, said, kind in bases[PILOT].departures(besides=NAMED)],
                    status_kinds=kinds,
                    named_quote=fig["quote"].iloc[0] if not fig.empty else None,
                    named_quote_on=pd.Timestamp(fig["valid_from"].iloc[0]).date() if not fig.empty else None)


def has_care(community: str, as_of: dt.date | None = None, engine: Engine | None = None) -> bool:
    """The 养老 view is about the facilities: shown for a community with one (中兴), skipped elsewhere."""
    return not care.facilities(community=community, engine=engine).empty


def has_model(community: str, as_of: dt.date | None = None, engine: Engine | None = None) -> bool:
    """The 示范 view: shown for a community in the campaign (named, pilot, being built, or in the L cluster)."""
    status = model_communities.model_status(community=community, as_of=as_of, engine=engine)
    active = not status.empty and (status["status"] != NOT_YET).any()
    return bool(active or community in model_map(as_of=as_of, engine=engine).cluster)
