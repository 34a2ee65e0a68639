"""District-size data for the scale benchmark, loaded in bulk on top of the normal seed.

≥ 200 communities (the subdistrict outline cut into a grid, saved as a new `communities` layer
version), 100,000 relocation households with their status steps, 10 years of daily occupancy for
50 facilities, 20,000 on-site checks and 10 years of quarterly star assessments. Everything is
marked `demo`. Rows go in with SQLAlchemy Core `insert()` executemany on SQLite and `COPY` on
PostgreSQL. Run: `python -m bench.scale_data --database-url URL [--quick]`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from dataclasses import dataclass

import shapely
from shapely.geometry import box, mapping, shape
from sqlalchemy import Engine, func, insert, select, text

from lib import demo
from lib.db import get_engine
from lib.models import (
    CareFacility,
    CareOccupancy,
    Community,
    Household,
    HouseholdEvent,
    MapFeature,
    MapLayerVersion,
    ModelCommunityStatus,
    RelocationProject,
    SiteCheck,
    Source,
    StarAssessment,
)
from lib.seed import seed

END = demo.AS_OF - dt.timedelta(days=1)
STAMP = dt.datetime(2023, 11, 22, 12, 0)


@dataclass(frozen=True)
class ScaleSpec:
    communities: int = 200  # added to the 11 seeded ones
    households: int = 100_000
    facilities: int = 50
    years: int = 10  # daily occupancy and quarterly star assessments
    checks: int = 20_000


FULL = ScaleSpec()
QUICK = ScaleSpec(communities=200, households=10_000, facilities=10, years=2, checks=2_000)


def _grid_cells(n_total: int) -> list:
    """The outline cut into ≥ n_total grid cells (row-major, north to south)."""
    from geo import layers as geo_layers

    outline = shapely.unary_union([shape(r["geometry"]) for r in geo_layers.feature_records("outline")])
    minx, miny, maxx, maxy = outline.bounds
    n = int(n_total ** 0.5) + 1
    while True:
        w, h = (maxx - minx) / n, (maxy - miny) / n
        cells = []
        for j in range(n):
            for i in range(n):
                cell = box(minx + i * w, maxy - (j + 1) * h, minx + (i + 1) * w, maxy - j * h).intersection(outline)
                if cell.geom_type == "Polygon" and cell.area > 0.2 * w * h:
                    cells.append(cell)
        if len(cells) >= n_total:
            return cells[:n_total]
        n += 1


def _rows(engine: Engine, spec: ScaleSpec, rng: random.Random) -> dict[str, list[dict]]:
    with engine.connect() as conn:
        nxt = {m: (conn.scalar(select(func.max(m.id))) or 0) + 1 for m in
               (Community, MapLayerVersion, MapFeature, StarAssessment, ModelCommunityStatus, Household,
                HouseholdEvent, CareFacility, CareOccupancy, SiteCheck)}
        src = conn.scalar(select(Source.id).where(Source.key == "demo"))
        project = conn.scalar(select(RelocationProject.id).where(RelocationProject.key == "wenhua_north"))
        seeded = conn.execute(select(Community.id, Community.name, Community.side).order_by(Community.sort_order)).all()
    out: dict[str, list[dict]] = {}
    comms = [{"id": r.id, "name": r.name, "side": r.side} for r in seeded]
    new = [{"id": nxt[Community] + i, "name": f"网格{i + 1:03d}", "full_name": f"网格{i + 1:03d}社区",
            "side": "铁路以东" if i % 2 else "铁路以西", "sort_order": 100 + i} for i in range(spec.communities)]
    out["community"] = new
    comms += new
    cells = _grid_cells(len(comms))
    version = nxt[MapLayerVersion]
    out["map_layer_version"] = [{"id": version, "layer": "communities", "schematic": True, "source_id": src,
                                 "note": "规模测试网格（示例）", "recorded_at": STAMP, "recorded_by": "bench"}]
    centres = {}
    out["map_feature"] = []
    for k, (c, cell) in enumerate(zip(comms, cells, strict=True)):
        geom = shapely.set_precision(cell, 1e-6)
        pt = geom.representative_point()
        centres[c["id"]] = (pt.x, pt.y)
        out["map_feature"].append({"id": nxt[MapFeature] + k, "version_id": version, "layer": "communities",
                                   "name": c["name"], "geometry": mapping(geom),
                                   "properties": {"side": c["side"], "full_name": f"{c['name']}社区"},
                                   "schematic": True, "source_text": "规模测试网格（示例）"})
    quarters = [dt.date(y, m, 1) - dt.timedelta(days=1) for y in range(END.year - spec.years, END.year + 1)
                for m in (1, 4, 7, 10)]
    quarters = [d for d in quarters if d <= END][-spec.years * 4:]
    out["star_assessment"] = []
    for c in new:
        for star in demo.STARS:
            score = rng.uniform(10, 50)
            for when in quarters:
                score = min(100.0, score + rng.uniform(0, 4))
                out["star_assessment"].append({
                    "id": nxt[StarAssessment] + len(out["star_assessment"]), "community_id": c["id"], "star": star,
                    "valid_from": when, "status": demo.star_status(score), "score": round(score, 1),
                    "source_id": src, "recorded_at": STAMP, "recorded_by": "bench"})
    out["model_status"] = [{"id": nxt[ModelCommunityStatus] + i, "community_id": c["id"],
                            "status": "创建中" if i % 10 == 0 else "未命名", "valid_from": dt.date(2023, 1, 1),
                            "note": None, "source_id": src, "recorded_at": STAMP, "recorded_by": "bench"}
                           for i, c in enumerate(new)]
    out["household"], out["household_event"] = [], []
    ids = [c["id"] for c in comms]
    start0, span = dt.date(2021, 1, 1), (dt.date(2023, 6, 1) - dt.date(2021, 1, 1)).days
    for i in range(spec.households):
        hid = nxt[Household] + i
        area = round(rng.uniform(60, 220), 1)
        out["household"].append({"id": hid, "project_id": project, "code": f"S-{i + 1:06d}",
                                 "community_id": rng.choice(ids), "floor_area_m2": area, "source_id": src})
        day = start0 + dt.timedelta(days=rng.randrange(span))
        steps = [("未签约", day)]
        for status, p, gap in (("已签约", 0.8, 200), ("已交钥匙", 0.75, 60), ("已拆除", 0.7, 60)):
            if rng.random() > p:
                break
            day = min(END, day + dt.timedelta(days=rng.randint(1, gap)))
            steps.append((status, day))
        for status, when in steps:
            out["household_event"].append({
                "id": nxt[HouseholdEvent] + len(out["household_event"]), "household_id": hid, "status": status,
                "valid_from": when, "demolished_area_m2": area if status == "已拆除" else None,
                "source_id": src, "recorded_at": STAMP, "recorded_by": "bench"})
    out["care_facility"], out["care_occupancy"] = [], []
    days = (END - dt.date(END.year - spec.years, END.month, END.day)).days
    for f in range(spec.facilities):
        fid, beds = nxt[CareFacility] + f, rng.randint(30, 120)
        out["care_facility"].append({"id": fid, "key": f"scale_fac_{f + 1:02d}", "name": f"示例养老机构{f + 1:02d}",
                                     "community_id": rng.choice(ids), "beds": beds, "floor_area_m2": None,
                                     "kind": "养老机构（示例）", "source_id": src})
        level = beds * 0.7
        for d in range(days):
            level = min(beds, max(0.0, level + rng.uniform(-1.5, 1.5) + (beds * 0.85 - level) * 0.03))
            out["care_occupancy"].append({
                "id": nxt[CareOccupancy] + len(out["care_occupancy"]), "facility_id": fid,
                "day": END - dt.timedelta(days=days - 1 - d), "occupied": round(level), "source_id": src,
                "recorded_at": STAMP, "recorded_by": "bench"})
    out["site_check"] = []
    for k in range(spec.checks):
        cid = rng.choice(ids)
        lon, lat = centres[cid]
        created = dt.datetime.combine(END, dt.time(9)) - dt.timedelta(days=rng.randrange(365 * spec.years),
                                                                    minutes=rng.randrange(600))
        recent = (STAMP - created).days <= 60
        status = rng.choice(["待整改", "整改中", "已办结"]) if recent else ("已办结" if rng.random() < 0.98 else "整改中")
        cat = rng.randrange(len(demo.CHECK_CATEGORIES))
        out["site_check"].append({
            "id": nxt[SiteCheck] + k, "community_id": cid, "category": demo.CHECK_CATEGORIES[cat],
            "finding": demo.CHECK_FINDINGS[cat] + "（示例）", "status": status,
            "lon": round(lon + rng.uniform(-0.0008, 0.0008), 6), "lat": round(lat + rng.uniform(-0.0008, 0.0008), 6),
            "due_on": created.date() + dt.timedelta(days=14), "source_id": src,
            "client_token": f"scale-check-{k + 1}", "created_at": created, "created_by": "示例"})
    return out


ORDER = ["community", "map_layer_version", "map_feature", "star_assessment", "model_status", "household",
         "household_event", "care_facility", "care_occupancy", "site_check"]


def _copy(conn, table, rows: list[dict]) -> None:
    cols = list(rows[0])
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({", ".join(cols)}) FROM STDIN') as cp:
        for r in rows:
            cp.write_row([json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for v in r.values()])


def load(engine: Engine, spec: ScaleSpec = FULL, *, seed_base: bool = True, rand_seed: int = 20231122) -> dict:
    """Seed (schema + article data), then bulk-load the district-size rows. Returns counts and seconds."""
    from lib.models import Base

    t0 = time.perf_counter()
    if seed_base:
        seed(engine)
    t_seed = time.perf_counter()
    rows = _rows(engine, spec, random.Random(rand_seed))
    t_gen = time.perf_counter()
    pg = engine.dialect.name == "postgresql"
    timings = {}
    with engine.begin() as conn:
        if pg:  # bulk load: skip per-row FK triggers (the generated rows are consistent by construction)
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for name in ORDER:
            t = time.perf_counter()
            table = Base.metadata.tables[name]
            if rows[name]:
                _copy(conn, table, rows[name]) if pg else conn.execute(insert(table), rows[name])
            if pg:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"(SELECT max(id) FROM \"{name}\"))"))
            timings[name] = round(time.perf_counter() - t, 2)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    t_load = time.perf_counter()
    return {"rows": {k: len(v) for k, v in rows.items()}, "total_rows": sum(len(v) for v in rows.values()),
            "seed_s": t_seed - t0, "generate_s": t_gen - t_seed, "load_s": t_load - t_gen, "tables_s": timings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="载入规模测试数据（示例）/ load district-size demo data")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    info = load(get_engine(args.database_url), QUICK if args.quick else FULL)
    print(json.dumps(info, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
