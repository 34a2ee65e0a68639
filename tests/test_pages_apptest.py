"""The 五星支部 / 示范社区 / 征迁 / 养老 / 社区档案 pages, driven headless through AppTest.

Each AppTest runs the app once (the default page, which draws the shared filters), then switches
through the pages. The asserted numbers are the article's (or, where marked, the seeded demo data).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kpi_cards
from shown_text import texts  # noqa: F401 - also imported from here by other tests

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["stars", "model_communities", "relocation", "eldercare", "profiles"]
COMMUNITIES = ["大官庄", "中兴", "工业路", "西华", "刘庄", "白庄", "小铁路", "麒麟", "榆树庄", "光彩", "华盛"]
NAMED = ["大官庄", "中兴", "工业路", "西华"]
MODEL_STATUS = {**dict.fromkeys(COMMUNITIES, "未命名"), **dict.fromkeys(NAMED, "已命名示范社区"), "榆树庄": "先行先试"}
HOUSEHOLD_HOST = "华盛"  # the demo households lie where the schematic 文化路北延 line runs
INTENDED_ERRORS = ("入住率",)  # the free-bed warning is an intended st.error


def start(*, community: str | None = None, as_of: dt.date | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if community:
        at.session_state["community"] = community
    if as_of:
        at.session_state["as_of"] = as_of
    return at.run()


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert_clean(at, page)
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return kpi_cards.cards(at)


def page_text(at: AppTest) -> str:
    parts = [*texts(at.markdown), *texts(at.caption), *texts(at.info), *texts(at.success), *texts(at.error),
             *texts(at.title), *texts(at.subheader)]
    parts += [f"{m.label} {m.value} {m.proto.delta}" for m in at.metric]
    parts.append(kpi_cards.grid_text(at))
    return "\n".join(parts)


def timeline_text(at: AppTest) -> str:
    """The 征迁 timeline (one st.html element) as text."""
    body = next(str(h.proto.body) for h in at.get("html") if 'class="gw-steps"' in str(h.proto.body))
    return re.sub(r"<[^>]+>", "", body)


def assert_clean(at: AppTest, page: str) -> None:
    assert not at.exception, f"{page}: {texts(at.exception)}"
    errors = [e for e in texts(at.error) if not e.startswith(INTENDED_ERRORS)]
    assert not errors, f"{page}: {errors}"
    placeholders = [i for i in texts(at.info) if "暂时无法显示" in i]
    assert not placeholders, f"{page}: a panel failed: {placeholders}"
    assert any(c.startswith(":material/schedule: 最新数据") for c in texts(at.caption)), f"{page}: no 「最新数据」 stamp"


def check_stars(at: AppTest, community: str | None) -> None:
    m = metrics(at)
    for kind, shown in [("社区联合党委", "11个"), ("网格联合党支部", "48个"), ("小区党支部", "68个"),
                        ("楼院党小组", "110个"), ("党员示范岗", "26个"), ("党员突击队", "11支")]:
        assert m[kind] == shown
    star_label = f"{community}社区已达标星数 · 示例" if community else "全街道已达标星数 · 示例"
    assert star_label in m and m[star_label].endswith(("/5颗", "/55颗"))
    assert any("示例数据" in c for c in texts(at.caption))
    if community in (None, "中兴"):
        assert m["“红色物业”总投入（2021年以来）"] == "832万元"
        assert m["“红色物业”工程项目（2021年以来）"] == "50多个" and m["“红色物业”小区"] == "3个"
        assert "示例数据" in page_text(at) and at.dataframe  # the demo project list, flagged
    else:
        assert f"{community}社区的“红色物业”：暂无公开数据。" in texts(at.info)


def check_model(at: AppTest, community: str | None) -> None:
    m = metrics(at)
    assert m["已命名示范社区"] == "4个"
    assert m["铁路以西先行先试"] == "榆树庄社区"
    named = texts(at.success)[0]
    assert "2023年9月23日" in named and all(n in named for n in NAMED)
    assert "“L”形连片：大官庄 — 中兴 — 工业路 — 西华" in page_text(at)
    if community:
        assert m[f"{community}社区"] == MODEL_STATUS[community]
    else:
        projects = at.dataframe[-1].value
        assert projects["项目"].tolist() == ["环湖游园", "三里河健康步道", "清风巷", "梅溪河小游园"]
        assert projects[["经度", "纬度"]].notna().all().all()
        assert "120余米" in projects.set_index("项目").loc["清风巷", "内容（据报道）"]


def check_relocation(at: AppTest, community: str | None) -> None:
    m = metrics(at)
    if community == HOUSEHOLD_HOST:
        assert m["涉迁户 · 示例"] == "78户" and m["已签订协议 · 示例"] == "62户"
        return
    if community:
        assert f"{community}社区的文化路北延征迁：暂无公开数据。" in texts(at.info)
    assert m["涉迁户"] == "78户" and m["已签订协议"] == "62户" and m["尚在签订中"] == "16户"
    assert m["累计完成拆迁"] == "6100余平方米"
    assert m["拆除房屋"] == "28间" and m["拆除占地面积"] == "600多平方米"
    text = page_text(at)
    assert "2023年11月 · 工程建设指挥部成立" in timeline_text(at)  # month-precision date
    assert "示例数据" in text  # burn-up and household table are demo
    hh = at.dataframe[-1].value
    assert len(hh) == 78 and hh["编号"].str.match(r"WH-\d{3}$").all()


def check_eldercare(at: AppTest, community: str | None) -> None:
    if community not in (None, "中兴"):
        assert f"{community}社区的养老服务设施：暂无公开数据。" in texts(at.info)
        assert not at.metric
        return
    m = metrics(at)
    assert m["床位"] == "50张" and m["占地面积"] == "3300余平方米"
    assert m["入住（2023年11月22日）"] == "48/50"  # the article's figure, not demo-labelled
    delta = next(c.get("delta") for c in kpi_cards.grid_cards(at) if c["label"].startswith("入住"))
    assert delta == "+1人"  # demo 47 a week before
    assert any("入住增减：2023年11月22日 48/50床，较2023年11月15日 47/50床（对比值为示例数据）：+1人。" in c
               for c in texts(at.caption))
    assert texts(at.error) == ["入住率 96%：空床仅 2 张，少于预警值 3 张。"]
    assert at.number_input(key="care.threshold").value == 3
    assert "床位数：暂无公开数据（报道未公布该设施的床位数）。" in texts(at.info)  # 日间照料中心
    text = page_text(at)
    assert "“六助”上门服务" in text and "“15分钟养老服务站”" in text
    assert "每日入住人数为示例数据" in text


def check_profiles(at: AppTest, community: str | None) -> None:
    m = [(c["label"], c["value"]) for c in kpi_cards.grid_cards(at)]  # KPI grids, one element each
    if community is None:
        for shown in ["47万平方米", "34万平方米", "4000间", "30亿元", "1.2亿元", "7万平方米", "110家", "13家",
                      "2000余人", "3亿元", "800余万元", "1.2万平方米", "140个", "1000余人", "8.5平方公里"]:
            assert shown in [v for _, v in m], shown
        table = at.dataframe[-1].value
        assert len(table) == 11
        assert table.set_index("社区").loc["中兴社区", "报道公布的数字"] == "25项"
        assert table.set_index("社区").loc["刘庄社区", "报道公布的数字"] == "暂无公开数据"
        sides = table.set_index("社区")["位置"]  # only 榆树庄's side is the article's; the rest are drawn
        assert sides["榆树庄社区"] == "铁路以西（报道）" and sides["中兴社区"] == "铁路以东（示意）"
        return
    side = ("铁路以西（报道） · 原文：“选定榆树庄社区作为突破口" if community == "榆树庄" else "（示意）")
    assert any(c.startswith(f"{community}社区 · ") and side in c for c in texts(at.caption)), side
    if community == "中兴":
        for pair in [("党员", "298名"), ("辖区面积", "0.45平方公里"), ("城中村", "2个"), ("居民楼（小区）", "11个"),
                     ("其中老旧小区", "9个"), ("常住人口", "7000余人"), ("“两委”班子平均年龄", "39岁"),
                     ("“两委”大专以上学历占比", "77%"), ("网格", "5个"), ("网格员", "5名"), ("网格协管员", "5名"),
                     ("室内面积", "220平方米"), ("馆藏书籍", "5394册"), ("阅读席位", "50个")]:
            assert pair in m, pair
        assert "红旗基层党组织" in page_text(at) and "曲艺先进社区" in page_text(at)
        assert ("五星支部已达标 · 示例", "4/5颗") in m
    else:
        assert f"{community}社区暂无公开数据（报道仅列出社区名称）。" in texts(at.info)
        assert ("示范社区状态", MODEL_STATUS[community]) in m
        assert all(label in {"示范社区状态", "五星支部已达标 · 示例"} for label, _ in m)  # no figures, no zeros


CHECKS = {"stars": check_stars, "model_communities": check_model, "relocation": check_relocation,
          "eldercare": check_eldercare, "profiles": check_profiles}


@pytest.mark.parametrize("community", [None, *COMMUNITIES])
def test_pages_for_each_scope(app_db, community):
    at = start(community=community)
    for page in PAGES:
        goto(at, page)
        CHECKS[page](at, community)
        assert at.session_state["community"] == community


def test_before_the_naming_date(app_db):
    at = start(as_of=dt.date(2023, 9, 22))
    goto(at, "model_communities")
    assert "截至所选日期，尚无社区被命名为示范社区。" in texts(at.info)
    assert not at.success and "已命名示范社区" not in metrics(at)
    assert "已命名示范社区" not in at.dataframe[0].value["状态"].tolist()
    assert "（按 2023年9月22日 回看）" in texts(at.caption)[0]
    goto(at, "relocation")
    assert not at.metric and any("文化路北延工程建设指挥部于2023年11月成立" in i for i in texts(at.info))
    goto(at, "stars")
    assert any("党组织网络" in i and "暂无公开数据" in i for i in texts(at.info))
    assert metrics(at)["全街道已达标星数 · 示例"] == "9/55颗"  # demo assessment of 2023-06-30 (latest ≤ 9-22)


def test_relocation_before_the_article_is_demo(app_db):
    at = goto(start(as_of=dt.date(2023, 11, 15)), "relocation")
    m = metrics(at)
    assert m["涉迁户 · 示例"] == "78户" and m["已签订协议 · 示例"] == "62户" and m["尚在签订中 · 示例"] == "16户"
    assert "累计完成拆迁" not in m and m["累计完成拆迁 · 示例"].endswith("平方米")
    assert m["累计完成拆迁 · 示例"] != "6100余平方米"
    assert any("报道数字截至2023年11月22日" in c and "示例数据" in c  # the headline grid's own note
               for c in kpi_cards.grid_text(at).splitlines())
    assert "2023年11月 · 工程建设指挥部成立" in timeline_text(at)
    assert "2023年11月22日" not in timeline_text(at)  # later milestones are hidden
    goto(at, "eldercare")
    assert metrics(at)["入住（2023年11月15日） · 含示例"] == "47/50"  # demo residents, the article's 50 beds
    goto(at, "profiles")  # the article's 中兴 figures hold from 2023-11-22 only
    at.session_state["community"] = "中兴"
    at.run()
    assert "所选日期（2023年11月15日）中兴社区尚无公开数字，最早的记录始于2023年11月22日；请选择其后的回看日期，或留空查看最新。" \
        in texts(at.info)


def test_before_any_data(app_db):
    at = start(community="中兴", as_of=dt.date(2022, 12, 31))
    for page in PAGES:
        goto(at, page)
        assert not at.metric, page  # nothing known yet: no cards, never zeros
        assert any("暂无公开数据" in i or "尚无公开数字" in i for i in texts(at.info)), page


def test_selection_carries_across_pages(app_db):
    at = start()
    at.sidebar.selectbox(key="community").set_value("中兴").run()
    goto(at, "stars")
    assert "中兴社区已达标星数 · 示例" in metrics(at)
    goto(at, "profiles")
    assert metrics(at)["党员"] == "298名"
    goto(at, "eldercare")
    assert metrics(at)["入住（2023年11月22日）"] == "48/50"
    at.session_state["community"] = "刘庄"
    at.run()
    goto(at, "profiles")
    assert "刘庄社区暂无公开数据（报道仅列出社区名称）。" in texts(at.info)


def test_selection_from_the_url(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["community"] = "中兴"  # ?community=中兴, the short name
    at.query_params["as_of"] = "2023-09-22"
    at.run()
    assert at.session_state["community"] == "中兴" and at.session_state["as_of"] == dt.date(2023, 9, 22)
    goto(at, "model_communities")
    assert metrics(at)["中兴社区"] == "创建中"


def test_free_bed_threshold_is_configurable(app_db):
    at = goto(start(), "eldercare")
    at.number_input(key="care.threshold").set_value(2).run()
    assert_clean(at, "eldercare")
    assert not at.error and texts(at.success) == ["入住率 96%：空床 2 张（预警值 2 张）。"]
    at.number_input(key="care.threshold").set_value(10).run()
    assert texts(at.error) == ["入住率 96%：空床仅 2 张，少于预警值 10 张。"]


def test_relocation_comparison_date(app_db):
    at = goto(start(), "relocation")
    at.date_input(key="relocation.compare").set_value(dt.date(2023, 11, 5)).run()
    assert_clean(at, "relocation")
    delta = next(c.get("delta") for c in kpi_cards.grid_cards(at) if c["label"] == "已签订协议")
    assert delta == "+62户"  # demo: nobody had signed on 11-05; both dates and values named
    assert "签约增减：2023年11月22日 62户，较2023年11月5日 0户（对比值为示例数据）：+62户。" in kpi_cards.grid_text(at)
    at.date_input(key="relocation.compare").set_value(dt.date(2023, 11, 15)).run()
    delta = next(c.get("delta") for c in kpi_cards.grid_cards(at) if c["label"] == "已签订协议")
    assert delta == "持平"  # both dates named, the comparison value flagged as demo
    assert "2023年11月22日 62户，较2023年11月15日 62户（对比值为示例数据）：持平。" in kpi_cards.grid_text(at)


def test_star_table_view_on_request(app_db):
    """The sortable table of the star matrix is drawn only when its toggle is on (it repeats the chart)."""
    at = goto(start(community="中兴"), "stars")
    before = len(at.dataframe)
    at.toggle(key="stars.table").set_value(True).run()
    assert_clean(at, "stars")
    assert len(at.dataframe) == before + 1
    table = next(d.value for d in at.dataframe if "社区" in getattr(d.value, "columns", []))
    data = table.data if hasattr(table, "data") else table  # a Styler (tinted cells) or a frame
    assert len(data) == 11 and list(data.columns)[1:] == ["支部过硬星", "平安法治星", "共建共享星", "工业兴业星", "幸福和谐星"]
    assert data.set_index("社区").loc["中兴社区"].str.match(r"^(已达标|创建中|未启动)").all()
    at.toggle(key="stars.table").set_value(False).run()
    assert len(at.dataframe) == before


def test_a_look_back_date_in_the_future_shows_the_latest_data(app_db):
    """A 回看日期 after today (typed in the URL: ?as_of=2030-01-01) has no data of its own: the pages show the latest
    figures, dated as they are, and no count is dated on a day that has not come (a relocation count said
    「示例 · 2030年1月1日」)."""
    future = dt.date(2030, 1, 1)
    at = start(community=HOUSEHOLD_HOST, as_of=future)
    goto(at, "relocation")
    page = "\n".join([*texts(at.caption), *kpi_cards.grid_text(at).splitlines()])
    assert "2030年1月1日" not in page and "回看" not in texts(at.caption)[0]
    latest = start(community=HOUSEHOLD_HOST)
    goto(latest, "relocation")
    assert metrics(at) == metrics(latest)


def test_before_any_model_status_the_overview_has_no_naming_count(app_db):
    """On 2022-12-01 no 示范社区 record holds yet: no 「命名示范社区 0个 · 报道」 card, a plain 「暂无数据」."""
    at = start(as_of=dt.date(2022, 12, 1))
    assert not at.exception
    grid = kpi_cards.grid_text(at)
    assert "示范社区 暂无数据" in " ".join(grid.split()) and "命名示范社区" not in grid
    at = start(as_of=dt.date(2023, 9, 1))
    assert metrics(at)["命名示范社区"] == "0个" and "2023年1月1日" in kpi_cards.grid_text(at)
