"""Administrators replace a map layer: new version drawn, old one kept, audited, all-or-nothing."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from abuse_helpers import assert_unchanged, row_counts
from sqlalchemy import func, select

from geo.importer import read_geometry_file
from geo.layers import load_layer
from lib import auth
from lib.auth import Actor
from lib.db import session_scope
from lib.errors import GeometryError, PermissionDenied
from lib.geometry_store import save_layer
from lib.models import AuditLog, MapLayerVersion
from lib.queries.map_data import layer_versions, map_layers
from lib.seed import seed

ADMIN = Actor("admin", "管理员", "街道管理员")
STAFF = Actor("zx", "中兴社区工作人员", "社区工作人员", "中兴")
LEADER = Actor("boss", "领导", "领导")


def _roads_file(shift: float = 0.0) -> bytes:
    roads = load_layer("roads")
    roads["geometry"] = roads.geometry.translate(xoff=shift)
    return roads[["name", "geometry"]].to_json().encode("utf-8")


@pytest.fixture
def engine(empty_engine):
    seed(empty_engine, with_demo=False)
    for actor in (ADMIN, STAFF, LEADER):  # save_layer checks the stored account
        auth.create_user(actor.username, "correct-horse-42", role=actor.role, display_name=actor.display_name,
                         community=actor.community, by=auth.SYSTEM, engine=empty_engine, rounds=4)
    return empty_engine


def test_replace_roads_keeps_history(engine):
    gdf = read_geometry_file(_roads_file(0.0005), "roads.geojson", layer="roads")
    vid = save_layer(ADMIN, layer="roads", gdf=gdf, source_title="2024年道路测绘（测试）", engine=engine).version_id
    drawn = map_layers(engine=engine)["roads"]
    assert len(drawn) == 8 and all(f["properties"]["source"] == "2024年道路测绘（测试）" for f in drawn)
    versions = layer_versions(layer="roads", engine=engine)
    assert versions["id"].tolist()[0] == vid and len(versions) == 2, "the seeded version stays in history"
    with session_scope(engine) as s:
        row = s.scalars(select(AuditLog).where(AuditLog.table_name == "map_layer_version")).one()
        assert (row.username, row.action, row.after["features"]) == ("admin", "import", 8)


@pytest.mark.parametrize("actor", [None, STAFF, LEADER])
def test_only_administrators_import(engine, actor):
    gdf = read_geometry_file(_roads_file(), "roads.geojson", layer="roads")
    with pytest.raises(PermissionDenied):
        save_layer(actor, layer="roads", gdf=gdf, source_title="x", engine=engine)


def test_communities_layer_must_hold_all_eleven(engine):
    comm = load_layer("communities")
    partial = comm[comm["name"] != "华盛"][["name", "geometry"]]
    gdf = read_geometry_file(partial.to_json().encode(), "c.geojson", layer="communities")
    with pytest.raises(GeometryError, match="华盛"):
        save_layer(ADMIN, layer="communities", gdf=gdf, source_title="测绘", engine=engine)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(MapLayerVersion)
                        .where(MapLayerVersion.layer == "communities")) == 1, "nothing written"


def test_source_is_required(engine):
    gdf = read_geometry_file(_roads_file(), "roads.geojson", layer="roads")
    with pytest.raises(GeometryError, match="来源"):
        save_layer(ADMIN, layer="roads", gdf=gdf, source_title=" ", engine=engine)


def test_gcj02_file_is_corrected_before_saving(engine):
    from geo.crs import wgs84_to_gcj02

    roads = json.loads(_roads_file())
    for f in roads["features"]:
        f["geometry"]["coordinates"] = [list(wgs84_to_gcj02(x, y)) for x, y in f["geometry"]["coordinates"]]
    gdf = read_geometry_file(json.dumps(roads).encode(), "amap.geojson", layer="roads", correction="gcj02")
    save_layer(ADMIN, layer="roads", gdf=gdf, source_title="高德导出（已纠偏）", engine=engine)
    saved = {f["name"]: f["geometry"]["coordinates"][0] for f in map_layers(engine=engine)["roads"]}
    original = {r["name"]: r.geometry.coords[0] for _, r in load_layer("roads").iterrows()}
    for name, (x, y) in original.items():
        assert abs(saved[name][0] - x) < 5e-5 and abs(saved[name][1] - y) < 5e-5, name


def test_repeat_of_an_identical_save_writes_nothing(engine):
    gdf = read_geometry_file(_roads_file(0.0005), "roads.geojson", layer="roads")
    first = save_layer(ADMIN, layer="roads", gdf=gdf, source_title="测绘", engine=engine)
    before = row_counts(engine)
    again = save_layer(ADMIN, layer="roads", gdf=gdf, source_title="测绘", engine=engine)
    assert (again.version_id, again.duplicate, first.duplicate) == (first.version_id, True, False)
    assert_unchanged(engine, before)
    other = save_layer(ADMIN, layer="roads", gdf=gdf, source_title="另一来源", engine=engine)
    assert not other.duplicate and other.version_id > first.version_id, "a different submission is a new version"


def test_identical_saves_racing_on_several_connections_make_one_version(engine):
    gdf = read_geometry_file(_roads_file(0.0007), "roads.geojson", layer="roads")
    before = row_counts(engine)
    barrier = threading.Barrier(4)

    def submit():
        barrier.wait()
        return save_layer(ADMIN, layer="roads", gdf=gdf, source_title="并发测绘", engine=engine)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: submit(), range(4)))
    assert len({r.version_id for r in results}) == 1 and sum(not r.duplicate for r in results) == 1
    after = row_counts(engine)
    assert after["map_layer_version"] == before["map_layer_version"] + 1
    assert after["map_feature"] == before["map_feature"] + 8
    assert after["audit_log"] == before["audit_log"] + 1


def test_going_back_to_an_earlier_version_keeps_its_source_and_schematic_flag(engine):
    """The only way back to the shipped 示意 roads was to upload geo/layers/roads.geojson again: it was stored as
    survey data (「来源：恢复为初始示意图」, schematic False), so the map called schematic lines surveyed. Restoring a
    version is now a new version with that version's features, 示意/测绘 flag and source; audited, admin only, and one
    restore however often it is pressed."""
    from lib import map_origin
    from lib.geometry_store import restore_version

    seeded = int(layer_versions(layer="roads", engine=engine)["id"].iloc[0])
    gdf = read_geometry_file(_roads_file(0.0005), "roads.geojson", layer="roads")
    save_layer(ADMIN, layer="roads", gdf=gdf, source_title="2024年道路测绘（测试）", engine=engine)
    assert not map_origin.read(engine=engine).schematic("roads")
    with pytest.raises(PermissionDenied):
        restore_version(STAFF, layer="roads", version_id=seeded, engine=engine)
    with ThreadPoolExecutor(max_workers=2) as pool:  # a double-click, even on two connections
        done = list(pool.map(lambda _: restore_version(ADMIN, layer="roads", version_id=seeded, engine=engine),
                             range(2)))
    assert sorted(d.duplicate for d in done) == [False, True]
    versions = layer_versions(layer="roads", engine=engine)
    assert len(versions) == 3, versions
    newest = versions.iloc[0]
    assert bool(newest["schematic"]) and newest["source_title"] == versions.iloc[-1]["source_title"]
    assert map_origin.read(engine=engine).schematic("roads")
    drawn = map_layers(engine=engine)["roads"]
    assert len(drawn) == 8 and all(f["properties"]["schematic"] for f in drawn)
    shipped = json.loads(json.dumps([f["geometry"] for f in load_layer_records("roads")]))
    assert [f["geometry"] for f in drawn] == shipped
    with session_scope(engine) as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "restore")).one()
        assert (row.username, row.table_name, row.after["from_version"]) == ("admin", "map_layer_version", seeded)


def load_layer_records(name: str) -> list[dict]:
    from geo.layers import feature_records

    return feature_records(name, load_layer(name))


def test_the_audit_log_says_map_imports_and_restores_in_chinese(engine):
    """The audit log called a map import 「台账导入」 (the label of ledger imports), showed a restore as 「restore」 and
    its fields as 「from_version」 and 「schematic」."""
    from lib.audit import audit_log
    from lib.geometry_store import restore_version
    from ui import audit_view

    seeded = int(layer_versions(layer="roads", engine=engine)["id"].iloc[0])
    gdf = read_geometry_file(_roads_file(0.0005), "roads.geojson", layer="roads")
    save_layer(ADMIN, layer="roads", gdf=gdf, source_title="2024年道路测绘（测试）", engine=engine)
    restore_version(ADMIN, layer="roads", version_id=seeded, engine=engine)
    rows = audit_log(table="map_layer_version", engine=engine)
    assert list(rows["action_label"]) == ["恢复地图版本", "地图数据导入"]
    assert set(rows["table_label"]) == {"地图图层"}
    shown = audit_view.change_text(rows.iloc[0]["after"])
    assert "from_version" not in shown and "schematic" not in shown and "恢复自版本" in shown, shown
