"""台账导入导出, 审计日志, 用户管理, 地图数据导入 — driven headless through AppTest (uploads included).

The module works on its own copy of the seeded app database (taken from `app_db`), so its writes —
imports, new users, a replaced roads layer — never reach the other page tests.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import pytest
import shapely
import streamlit.testing.v1.app_test as app_test_module
from openpyxl import load_workbook
from shapely.geometry import mapping, shape
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from geo.deck import build_deck
from lib import auth
from lib.audit import audit_log
from lib.ledger_kinds import KINDS
from lib.queries.care import occupancy_series
from lib.queries.accounts import list_users
from lib.queries.map_data import layer_versions, map_layers
from ui import geo_preview
from db_helpers import private_app_db
from shown_text import texts

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "correct-horse-42"
CENTRE = "光武街道综合养老服务中心"
CSV_HEAD = "机构,日期,入住人数\r\n"
SHIFT = 0.0004  # degrees east (~37 m): a "survey" of the roads close to the schematic ones


@pytest.fixture(scope="module")
def env(app_db, tmp_path_factory):
    """A private copy of the seeded app database with an administrator, a 中兴 staff member and a leader."""
    with private_app_db(app_db, tmp_path_factory.mktemp("admin-pages")):
        admin = auth.create_user("pa_admin", PASSWORD, role="街道管理员", display_name="测试管理员", by=auth.SYSTEM,
                                 rounds=4)
        staff = auth.create_user("pa_zx", PASSWORD, role="社区工作人员", display_name="中兴测试员", community="中兴",
                                 by=admin, rounds=4)
        leader = auth.create_user("pa_boss", PASSWORD, role="领导", display_name="测试领导", by=admin, rounds=4)
        yield SimpleNamespace(admin=admin, staff=staff, leader=leader)


@pytest.fixture
def media(monkeypatch):
    """Keeps AppTest's in-memory media store so a download button's bytes can be read back."""
    stores: list[MemoryMediaFileStorage] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            stores.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    return lambda button: stores[-1].get_file(button.proto.url.rsplit("/", 1)[-1]).content


def start(actor, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if actor is not None:
        at.session_state["auth.actor"] = actor
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at



def shown(at: AppTest) -> str:
    return "\n".join([*texts(at.markdown), *texts(at.caption), *texts(at.info), *texts(at.success),
                      *texts(at.error), *texts(at.warning)])


def occupancy(day: str) -> list[int]:
    df = occupancy_series(facility="care_centre")
    return [int(v) for d, v in zip(df["day"], df["occupied"]) if str(d) == day]


# ---- navigation by role ----
@pytest.mark.parametrize(("who", "allowed"), [
    (None, set()), ("leader", set()), ("staff", {"ledgers"}), ("admin", {"ledgers", "audit", "users", "geo_import"}),
])
def test_pages_follow_the_role(env, who, allowed):
    at = start(getattr(env, who) if who else None)
    for page in ("ledgers", "audit", "users", "geo_import"):
        if page in allowed:
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception and not at.warning, (page, texts(at.warning))
        else:  # registered hidden: its URL shows a Chinese sign-in prompt or refusal, never the page
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception and "仅限" in " ".join(texts(at.warning) + texts(at.info)), page


# ---- 台账导入导出 ----
def test_template_and_current_data_downloads(env, media):
    at = start(env.staff, "ledgers")
    at.selectbox(key="ledgers.kind").set_value("每日入住").run()
    assert not at.exception
    template = load_workbook(io.BytesIO(media(at.get("download_button")[0])))
    assert template.sheetnames == ["每日入住", "填写说明"]
    assert [c.value for c in template["每日入住"][1]] == KINDS["每日入住"].headers
    current = load_workbook(io.BytesIO(media(at.get("download_button")[1]))).active
    assert "中兴社区" in current["A1"].value and [c.value for c in current[2]] == ["机构", "日期", "入住人数"]
    assert current.max_row > 2 and current["A3"].value == CENTRE  # staff get their own community's data


def test_good_gbk_csv_is_previewed_then_imported_and_audited(env):
    at = start(env.staff, "ledgers")
    at.selectbox(key="ledgers.kind").set_value("每日入住").run()
    csv = (CSV_HEAD + f"{CENTRE},2024-02-01,４１\r\n{CENTRE},2024年2月2日,39人\r\n").encode("gbk")
    at.file_uploader[0].set_value(("入住台账.csv", csv, "text/csv")).run()
    assert not at.exception and not at.error, texts(at.error)
    preview = at.dataframe[-1].value
    assert preview["行号"].tolist() == [2, 3] and preview["处理"].tolist() == ["新增", "新增"]
    assert "读作 41" in preview["读数说明"].iloc[0] and "读作 2024年2月2日" in preview["读数说明"].iloc[1]
    assert "CSV（GBK/GB18030）" in shown(at) and "全部写入，要么一行都不写入" in shown(at)
    assert occupancy("2024-02-01") != [41]  # the preview wrote nothing
    commit = at.button(key="ledgers.commit")
    assert not commit.disabled
    commit.click().run()
    assert not at.exception and not at.error, texts(at.error)
    assert any("新增 2 条" in s for s in texts(at.success))
    assert occupancy("2024-02-01") == [41] and occupancy("2024-02-02") == [39]
    assert not at.file_uploader[0].value  # a fresh uploader for the next file

    audit = start(env.admin, "audit")
    audit.selectbox(key="audit.user").set_value("pa_zx").run()
    assert not audit.exception
    log = audit.dataframe[0].value
    assert set(log["用户"]) == {"pa_zx"}
    summary = log[log["数据表"] == "台账"].iloc[0]
    assert summary["操作"] == "台账导入" and "入住台账.csv" in summary["记录"]
    assert "行数：2" in summary["修改后"] and "新增：2" in summary["修改后"]  # field names in Chinese
    assert (log["数据表"] == "每日入住").sum() == 2
    audit.selectbox(key="audit.user").set_value("pa_admin").run()
    assert set(audit.dataframe[0].value["用户"]) == {"pa_admin"}


def test_one_bad_row_blocks_the_whole_file(env):
    before = len(audit_log())
    at = start(env.staff, "ledgers")
    at.selectbox(key="ledgers.kind").set_value("每日入住").run()
    csv = (CSV_HEAD + f"{CENTRE},2024-02-05,40\r\n{CENTRE},2024-02-06,abc\r\n").encode("gbk")
    at.file_uploader[0].set_value(("有误.csv", csv, "text/csv")).run()
    assert not at.exception
    assert any("1 处问题" in e and "不会导入" in e for e in texts(at.error))
    assert any("第3行「入住人数」" in c for c in at.table[0].value["问题"])  # every problem in full
    preview = at.dataframe[-1].value
    assert preview["处理"].tolist()[1] == "有误" and "abc" in preview["问题"].iloc[1]
    assert at.button(key="ledgers.commit").disabled
    assert occupancy("2024-02-05") == [] and len(audit_log()) == before


def test_unreadable_ledger_shows_a_chinese_message(env):
    at = start(env.staff, "ledgers")
    at.file_uploader[0].set_value(("旧格式.xlsx", b"\xd0\xcf\x11\xe0" + b"\0" * 64, "application/vnd.ms-excel")).run()
    assert not at.exception
    assert any("旧版 Excel" in e for e in texts(at.error))
    assert "ledgers.commit" not in [b.key for b in at.button]  # nothing to confirm


# ---- 用户管理 ----
def test_admin_creates_a_staff_user(env):
    at = start(env.admin, "users")
    values = {"username": "pa_new", "display": "西华录入员", "password": PASSWORD, "password2": PASSWORD + "x"}
    for field, value in values.items():
        at.text_input(key=f"users.new.{field}").set_value(value)
    at.selectbox(key="users.new.community").set_value("西华")
    at.button(key="users.new.submit").click().run()
    assert any("两次输入的密码不一致" in e for e in texts(at.error))
    at.text_input(key="users.new.password2").set_value(PASSWORD)
    at.button(key="users.new.submit").click().run()
    assert not at.exception and not at.error, texts(at.error)
    assert any("已创建用户“pa_new”" in s for s in texts(at.success))
    assert "pa_new" in at.dataframe[0].value["用户名"].tolist()
    assert auth.authenticate("pa_new", PASSWORD) == auth.Actor("pa_new", "西华录入员", "社区工作人员", "西华")

    at.text_input(key="users.new.username").set_value("pa_new")  # a duplicate and a short password
    at.text_input(key="users.new.password").set_value("short")
    at.text_input(key="users.new.password2").set_value("short")
    at.button(key="users.new.submit").click().run()
    assert any("「密码」：至少8个字符" in e for e in texts(at.error))

    at.selectbox(key="users.edit.user").set_value("pa_new").run()
    at.selectbox(key="users.edit.pa_new.community").set_value("刘庄")
    at.button(key="users.edit.pa_new.save").click().run()
    assert not at.error, texts(at.error)
    at.checkbox(key="users.edit.pa_new.sure").check().run()
    at.button(key="users.edit.pa_new.deactivate").click().run()
    assert any("已停用" in s for s in texts(at.success))
    assert auth.authenticate("pa_new", PASSWORD) is None
    row = list_users().set_index("username").loc["pa_new"]
    assert (row["community"], bool(row["active"])) == ("刘庄", False)


# ---- 地图数据导入 ----
def _shifted_roads() -> bytes:
    feats = [{"type": "Feature", "properties": {"name": f["name"]},
              "geometry": mapping(shapely.transform(shape(f["geometry"]), lambda c: c + [SHIFT, 0]))}
             for f in map_layers()["roads"]]
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode()


def test_geojson_replaces_the_roads_layer(env):
    old = {f["name"]: shape(f["geometry"]) for f in map_layers()["roads"]}
    at = start(env.admin, "geo_import")
    assert "示意图，非测绘成果" in shown(at)
    at.selectbox(key="geoimport.layer").set_value("roads").run()
    at.file_uploader[0].set_value(("道路测绘.geojson", _shifted_roads(), "application/geo+json")).run()
    assert not at.exception and not at.error, texts(at.error)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["导入要素"] == f"{len(old)}个" and metrics["名称相同"] == f"{len(old)}个"
    assert metrics["同名要素最大偏移"] in ("36米", "37米", "38米")
    assert at.get("deck_gl_json_chart") and "灰色：当前版本" in shown(at)
    assert at.button(key="geoimport.save").disabled  # the source title is required
    at.text_input(key="geoimport.title").set_value("2024年道路测绘（测试）").run()
    at.button(key="geoimport.save").click().run()
    assert not at.exception and not at.error, texts(at.error)
    assert any("保存为新版本" in s for s in texts(at.success))
    new = {f["name"]: shape(f["geometry"]) for f in map_layers()["roads"]}
    assert set(new) == set(old)
    assert all(abs(new[n].centroid.x - old[n].centroid.x - SHIFT) < 1e-5 for n in old)
    versions = layer_versions(layer="roads")
    assert len(versions) == 2 and versions.iloc[0]["source_title"] == "2024年道路测绘（测试）"
    history = at.dataframe[-1].value
    assert history["状态"].tolist() == ["当前（地图显示）", "历史"] and history["类型"].tolist()[1] == "示意图"


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_shapefile_without_crs_is_refused(env, tmp_path):
    gdf = gpd.GeoDataFrame({"name": ["测绘河道"]}, geometry=[shapely.LineString([(112.50, 33.00), (112.51, 33.01)])])
    gdf.to_file(tmp_path / "river.shp", engine="pyogrio")  # no CRS, so no .prj
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for part in tmp_path.glob("river.*"):
            zf.write(part, part.name)
    assert not (tmp_path / "river.prj").exists()
    before = len(layer_versions(layer="rivers"))
    at = start(env.admin, "geo_import")
    at.selectbox(key="geoimport.layer").set_value("rivers").run()
    at.file_uploader[0].set_value(("河道.zip", buf.getvalue(), "application/zip")).run()
    assert not at.exception
    assert any("未声明坐标系" in e for e in texts(at.error))
    assert not [b for b in at.button if b.key == "geoimport.save"] and len(layer_versions(layer="rivers")) == before


# ---- pure helpers ----
def test_preview_layers_and_summary(env):
    layers = map_layers()
    new = gpd.GeoDataFrame({"name": ["新路"], "properties": [{}]},
                           geometry=[shapely.LineString([(112.50, 33.00), (112.51, 33.00)])], crs="EPSG:4326")
    summary = geo_preview.summarize(layers["roads"], new)
    assert summary.added == ["新路"] and len(summary.removed) == len(layers["roads"]) and summary.max_shift_m is None
    spec = json.loads(build_deck(layers={}, visible=set(), preview={"current": layers["pois"], "new": new}).to_json())
    assert [layer["id"] for layer in spec["layers"]] == ["preview-current-points", "preview-new-lines"]
