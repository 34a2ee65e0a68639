"""Create the schema and load `data/` (article figures with citations, then demo data).

Idempotent: a row whose natural key already holds the same value is skipped; a changed figure in
`data/` is appended as a newer row (history is never overwritten). Run: `python -m lib.seed`.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections import Counter

import yaml
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from lib import demo, setup_lock
from lib.config import DATA_DIR
from lib.db import check_database, describe, get_engine, migrate, session_scope
from lib.errors import DashboardError
from lib.models import (
    CareFacility,
    CareOccupancy,
    Community,
    Fact,
    Household,
    HouseholdEvent,
    MapFeature,
    MapLayerVersion,
    ModelCommunityStatus,
    PartyOrgCount,
    ProjectMilestone,
    RedPropertyProject,
    RelocationProject,
    SiteCheck,
    Source,
    StarAssessment,
    TextNote,
)


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _yaml(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


class Loader:
    def __init__(self, session: Session) -> None:
        self.s = session
        self.added: Counter[str] = Counter()
        self.sources: dict[str, int] = {}
        self.communities: dict[str, int] = {}

    def add(self, obj) -> None:
        self.s.add(obj)
        self.added[obj.__tablename__] += 1

    def exists(self, stmt) -> bool:
        return self.s.scalar(stmt.limit(1)) is not None

    def load_sources(self) -> None:
        for row in _yaml("sources.yaml"):
            src = self.s.scalar(select(Source).where(Source.key == row["key"]))
            if src is None:
                src = Source(key=row["key"], kind=row["kind"], title=row["title"],
                             publisher=row.get("publisher"), published_on=row.get("published_on"),
                             note=row.get("note"))
                self.add(src)
                self.s.flush()
            self.sources[row["key"]] = src.id

    def load_communities(self) -> None:
        for row in _csv("communities.csv"):
            c = self.s.scalar(select(Community).where(Community.name == row["name"]))
            if c is None:
                c = Community(name=row["name"], full_name=row["full_name"], side=row["side"],
                              side_source_id=self.sources[row["side_source"]], side_quote=row["side_quote"] or None,
                              sort_order=int(row["sort_order"]))
                self.add(c)
                self.s.flush()
            self.communities[c.name] = c.id

    def load_facts(self) -> None:
        for row in _csv("facts.csv"):
            key = (Fact.subject == row["subject"], Fact.indicator == row["indicator"],
                   Fact.valid_from == _date(row["valid_from"]))
            latest = self.s.scalar(select(Fact).where(*key).order_by(Fact.recorded_at.desc(), Fact.id.desc()))
            value = float(row["value"])
            if latest is not None and latest.value == value and latest.qualifier == row["qualifier"]:
                continue
            self.add(Fact(scope=row["scope"], subject=row["subject"],
                          community_id=self.communities.get(row["community"]) if row["community"] else None,
                          indicator=row["indicator"], label=row["label"], value=value, unit=row["unit"],
                          qualifier=row["qualifier"], valid_from=_date(row["valid_from"]),
                          source_id=self.sources[row["source"]], quote=row["quote"], recorded_by="seed"))

    def load_party_orgs(self) -> None:
        for row in _csv("party_orgs.csv"):
            when = _date(row["valid_from"])
            latest = self.s.scalar(select(PartyOrgCount).where(
                PartyOrgCount.kind == row["kind"], PartyOrgCount.valid_from == when,
                PartyOrgCount.community_id.is_(None)).order_by(PartyOrgCount.id.desc()))
            if latest is not None and latest.count == int(row["count"]):
                continue
            self.add(PartyOrgCount(kind=row["kind"], count=int(row["count"]), unit=row["unit"], valid_from=when,
                                   source_id=self.sources[row["source"]], quote=row["quote"]))

    def load_notes(self) -> None:
        star_rows = [{"subject": r["star"], "kind": "星级举措", "text": m, "quote": r["quote"]}
                     for r in _yaml("stars.yaml") for m in r["measures"]]
        for row in [*_yaml("notes.yaml"), *star_rows]:
            if self.exists(select(TextNote.id).where(TextNote.subject == row["subject"],
                                                     TextNote.kind == row["kind"], TextNote.text == row["text"])):
                continue
            self.add(TextNote(subject=row["subject"], community_id=self.communities.get(row["subject"]),
                              kind=row["kind"], text=row["text"], quote=row.get("quote"),
                              source_id=self.sources["article"]))

    def load_model_status(self) -> None:
        for row in _csv("model_status.csv"):
            cid = self.communities[row["community"]]
            when = _date(row["valid_from"])
            latest = self.s.scalar(select(ModelCommunityStatus).where(
                ModelCommunityStatus.community_id == cid, ModelCommunityStatus.valid_from == when
            ).order_by(ModelCommunityStatus.id.desc()))
            if latest is not None and latest.status == row["status"]:
                continue
            self.add(ModelCommunityStatus(community_id=cid, status=row["status"], valid_from=when, note=row["note"],
                                          quote=row["quote"] or None, source_id=self.sources[row["source"]],
                                          recorded_by="seed"))

    def load_facilities(self) -> dict[str, int]:
        ids = {}
        for row in _csv("facilities.csv"):
            f = self.s.scalar(select(CareFacility).where(CareFacility.key == row["key"]))
            if f is None:
                f = CareFacility(key=row["key"], name=row["name"], community_id=self.communities.get(row["community"]),
                                 kind=row["kind"], beds=int(row["beds"]) if row["beds"] else None,
                                 floor_area_m2=float(row["floor_area_m2"]) if row["floor_area_m2"] else None,
                                 source_id=self.sources[row["source"]])
                self.add(f)
                self.s.flush()
            ids[row["key"]] = f.id
        return ids

    def load_project(self) -> int:
        p = self.s.scalar(select(RelocationProject).where(RelocationProject.key == "wenhua_north"))
        if p is None:
            p = RelocationProject(key="wenhua_north", name="文化路北延提升改造工程", total_households=78,
                                  started_on=dt.date(2023, 11, 1), source_id=self.sources["article"])
            self.add(p)
            self.s.flush()
        for row in _csv("milestones.csv"):
            if self.exists(select(ProjectMilestone.id).where(ProjectMilestone.project_id == p.id,
                                                             ProjectMilestone.title == row["title"])):
                continue
            self.add(ProjectMilestone(project_id=p.id, happened_on=_date(row["happened_on"]),
                                      date_precision=row["date_precision"], title=row["title"], detail=row["detail"],
                                      source_id=self.sources[row["source"]], quote=row["quote"]))
        return p.id

    def load_map(self) -> None:
        from geo import layers as geo_layers

        for layer in geo_layers.LAYER_NAMES:
            if self.exists(select(MapLayerVersion.id).where(MapLayerVersion.layer == layer)):
                continue
            version = MapLayerVersion(layer=layer, schematic=True, source_id=self.sources["schematic"],
                                      note="初始示意图（种子数据）", recorded_by="seed")
            self.add(version)
            self.s.flush()
            for rec in geo_layers.feature_records(layer):
                props = {k: v for k, v in rec["properties"].items() if k not in {"name", "source"}}
                self.add(MapFeature(version_id=version.id, layer=layer, name=rec["name"], geometry=rec["geometry"],
                                    properties=props, schematic=bool(rec["properties"].get("schematic", True)),
                                    source_text=rec["properties"].get("source")))

    def geography(self) -> tuple[dict[str, tuple[float, float]], str | None]:
        """Community centres (lon, lat) and the community the 文化路北延 line mostly runs through."""
        from shapely.geometry import shape

        self.s.flush()
        newest = select(func.max(MapLayerVersion.id)).group_by(MapLayerVersion.layer)
        feats = self.s.execute(select(MapFeature.layer, MapFeature.name, MapFeature.geometry)
                               .where(MapFeature.version_id.in_(newest))).all()
        polys = {f.name: shape(f.geometry) for f in feats if f.layer == "communities"}
        centres = {n: (round(p.representative_point().x, 6), round(p.representative_point().y, 6))
                   for n, p in polys.items()}
        line = next((shape(f.geometry) for f in feats if f.layer == "projects" and f.name == "文化路北延"), None)
        host = max(polys, key=lambda n: polys[n].intersection(line).length) if line is not None and polys else None
        return centres, host

    # ---- demo data (示例数据), generated once; the generators are deterministic ----
    def load_demo(self, *, project_id: int, facilities: dict[str, int]) -> None:
        demo_src, article = self.sources["demo"], self.sources["article"]
        centres, host = self.geography()
        if not self.exists(select(StarAssessment.id)):
            for r in demo.star_assessments(list(self.communities)):
                self.add(StarAssessment(community_id=self.communities[r.community], star=r.star, valid_from=r.valid_from,
                                        status=r.status, score=r.score, source_id=demo_src, recorded_by="seed"))
        if not self.exists(select(Household.id).where(Household.project_id == project_id)):
            for r in demo.households():
                h = Household(project_id=project_id, code=r.code, floor_area_m2=r.floor_area_m2, source_id=demo_src,
                              community_id=self.communities.get(host) if host else None, team=demo.team(r.code),
                              team_source_id=demo_src)
                self.add(h)
                self.s.flush()
                for status, when in r.steps:
                    area = r.floor_area_m2 if status == "已拆除" else None
                    self.add(HouseholdEvent(household_id=h.id, status=status, valid_from=when, demolished_area_m2=area,
                                            source_id=demo_src, recorded_by="seed"))
        # Databases seeded before household.team (migration 0006): their demo households get the demo groups too.
        for h in self.s.scalars(select(Household).where(Household.project_id == project_id, Household.team.is_(None),
                                                        Household.team_source_id.is_(None),
                                                        Household.source_id == demo_src)).all():
            h.team, h.team_source_id = demo.team(h.code), demo_src
        centre = facilities["care_centre"]
        if not self.exists(select(CareOccupancy.id).where(CareOccupancy.facility_id == centre)):
            for day, occupied in demo.occupancy():
                self.add(CareOccupancy(facility_id=centre, day=day, occupied=occupied, source_id=demo_src,
                                       recorded_by="seed"))
            self.add(CareOccupancy(facility_id=centre, day=demo.AS_OF, occupied=48, source_id=article,
                                   recorded_by="seed"))
        if not self.exists(select(RedPropertyProject.id)):
            for r in demo.red_property_projects():
                self.add(RedPropertyProject(community_id=self.communities["中兴"], source_id=demo_src, **r))
        if not self.exists(select(SiteCheck.id)):
            for r in demo.site_checks(centres):
                created = dt.datetime.combine(r.pop("created_on"), dt.time(9, 0))
                self.add(SiteCheck(community_id=self.communities[r.pop("community")], source_id=demo_src,
                                   created_at=created, created_by="示例", **r))


def seed(engine: Engine | None = None, *, with_demo: bool = True) -> Counter[str]:
    """Migrate and load everything; returns rows added per table (empty on a re-run). One process at a time
    (lib.setup_lock): two hosts seeding one database at once add the rows once."""
    engine = engine or get_engine()
    with setup_lock.exclusive(engine):
        migrate(engine)
        return _load(engine, with_demo=with_demo)


def prepare(engine: Engine, *, with_demo: bool = True) -> Counter[str] | None:
    """Migrate; seed only an empty database (a live one keeps its data): None when it was already seeded.
    The check and the seed hold one lock, so of two hosts starting together one seeds and one finds it done."""
    with setup_lock.exclusive(engine):
        migrate(engine)
        return None if is_seeded(engine) else _load(engine, with_demo=with_demo)


def _load(engine: Engine, *, with_demo: bool) -> Counter[str]:
    with session_scope(engine) as session:
        loader = Loader(session)
        loader.load_sources()
        loader.load_communities()
        loader.load_facts()
        loader.load_party_orgs()
        loader.load_notes()
        loader.load_model_status()
        facilities = loader.load_facilities()
        project_id = loader.load_project()
        loader.load_map()
        if with_demo:
            loader.load_demo(project_id=project_id, facilities=facilities)
        return loader.added


def is_seeded(engine: Engine) -> bool:
    try:
        check_database(engine)
    except DashboardError:
        return False
    with session_scope(engine) as s:
        return (s.scalar(select(func.count()).select_from(Community)) or 0) > 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="创建数据库结构并载入 data/ 中的种子数据（可重复运行）")
    parser.add_argument("--database-url", help="默认取 DATABASE_URL 或 data/guangwu.db")
    parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时直接退出")
    parser.add_argument("--no-demo", action="store_true", help="不生成示例数据")
    args = parser.parse_args(argv)
    try:
        engine = get_engine(args.database_url)
        added = (prepare if args.if_empty else seed)(engine, with_demo=not args.no_demo)
        if added is None:
            print(f"数据库已就绪：{describe(engine)}")
            return 0
    except DashboardError as exc:
        print(f"种子数据载入失败：{exc.message}", file=sys.stderr)
        return 2
    total = sum(added.values())
    detail = "，".join(f"{k} {v}" for k, v in sorted(added.items())) or "无新增（数据已是最新）"
    print(f"种子数据已载入 {describe(engine)}：新增 {total} 行（{detail}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
