"""Every place that shows a figure says where it came from, who entered it and when (issue #11).

Table-driven: writer roles (admin, staff) × kinds of write (form, ledger, site check) × places (the
data layer's panels, the pages through AppTest, the big screen, the PNG briefing), on SQLite and
PostgreSQL. And the as-of rule on the article's date, the day before, and a later date with staff data.
"""
# ruff: noqa: F811 - pytest fixtures are imported and named as parameters
from __future__ import annotations

import datetime as dt
import io
import os
import re

import pytest
import streamlit as st
from PIL import Image
import kpi_cards
from staff_apptest import APP, TODAY, on_today  # noqa: F401 - on_today is a fixture
from staff_fixtures import _staff_templates, world  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from lib import db, ledger, writes
from lib.config import settings
from lib.figures import TAG_RGB
from lib.fmt import cn_date
from lib.panels import check_points, site_check_table, summary_panel
from lib.queries.facts import facts
from lib.scope import Scope
from ui.briefing_png import figure_lines, render_briefing

pytestmark = pytest.mark.usefixtures("on_today")  # TODAY stays today when the run crosses midnight in China
ARTICLE_DAY = dt.date(2023, 11, 22)
WHO = {"admin": "街道管理员", "staff": "中兴录入员"}
ENTERED = f"{cn_date(TODAY)}录入"  # recorded_at is now (China date)


def _stars_ledger(world, actor):
    rows = "".join(f"中兴,{s},已达标,95,{TODAY.isoformat()}\n" for s in
                   ("支部过硬星", "平安法治星", "共建共享星", "工业兴业星", "幸福和谐星"))
    preview = ledger.read_ledger(("社区,星级,状态,得分,评定日期\n" + rows).encode(), "五星.csv", "五星评定",
                                 actor=actor, engine=world.engine, today=TODAY)
    ledger.commit_ledger(actor, preview, engine=world.engine, today=TODAY)


WRITES = {
    "occupancy-form": lambda w, a: writes.record_occupancy(a, facility="care_centre", day=TODAY, occupied=49,
                                                           engine=w.engine, today=TODAY),
    "stars-ledger": _stars_ledger,
    "fact-form": lambda w, a: writes.record_fact(a, community="中兴", label="志愿者", value="300余", unit="名",
                                                 source_title="中兴社区志愿者台账", valid_from=TODAY,
                                                 engine=w.engine, today=TODAY),
    "check-site": lambda w, a: writes.file_site_check(a, community="中兴", category="环境卫生",
                                                      finding="楼道堆放杂物，联系13812345678", lon=112.52, lat=33.0,
                                                      client_token="prov-1", engine=w.engine, today=TODAY),
}


@pytest.fixture
def app_on(world):
    """Point the app (AppTest) at this test's database, on its backend."""
    before = os.environ.get("DATABASE_URL")

    def point(url):
        if url is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = url
        settings.cache_clear()
        db.get_engine.cache_clear()
        st.cache_data.clear()

    point(world.engine.url.render_as_string(hide_password=False))
    yield world
    point(before)


def _run(community=None, as_of=None, page=None, screen=False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if screen:
        at.query_params["screen"] = "1"
    at.session_state["community"] = community
    if as_of:
        at.session_state["as_of"] = as_of
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _cards(at: AppTest) -> dict[str, str]:
    return kpi_cards.cards(at)


def _captions(at: AppTest) -> str:
    return "\n".join([*(str(c.value) for c in at.caption), kpi_cards.grid_text(at)])


def _html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def _png_tags(fig_list, header) -> dict[str, tuple[str, tuple]]:
    return {label: (tag, rgb) for label, _value, tag, rgb in figure_lines(fig_list, header)}


def _png_has(fig_list, header, label, tag_part) -> None:
    tags = _png_tags(fig_list, header)
    tag, rgb = tags[label]
    assert tag_part in tag and rgb == TAG_RGB["green"], tags
    png = render_briefing(title="t", stamp="s", figures=fig_list, header=header, layers={}, colors={})
    img = Image.open(io.BytesIO(png))
    assert f"{label}｜" in img.text["figures"] and tag_part in img.text["figures"]
    assert rgb in {c for _n, c in img.convert("RGB").getcolors(1 << 20)}  # the 录入 colour is drawn


@pytest.mark.parametrize("role", ["admin", "staff"])
@pytest.mark.parametrize("kind", list(WRITES))
def test_every_place_labels_an_entered_figure(app_on, role, kind):
    w = app_on
    actor = w.admin if role == "admin" else w.staff
    WRITES[kind](w, actor)
    who = WHO[role]
    anon_tag = f"录入 · 工作人员 · {ENTERED}"  # viewers who are not signed in see no staff names
    signed_tag = f"录入 · {who} · {ENTERED}"

    if kind == "check-site":
        table, _ = site_check_table(Scope("中兴"), open_only=True, signed_in=True, engine=w.engine)
        row = table[table["问题"].str.startswith("楼道堆放杂物")].iloc[0]
        assert (row["来源"], row["登记人"]) == ("录入", who)
        assert re.fullmatch(re.escape(cn_date(TODAY)) + r" \d{2}:\d{2}", row["登记时间"]), row["登记时间"]
        assert "13812345678" in row["问题"]
        tips = {signed: [p["tip"] for p in check_points(None, signed_in=signed, engine=w.engine) if "楼道" in p["tip"]]
                for signed in (True, False)}  # the map's tooltips
        assert "13812345678" in tips[True][0] and "13812345678" not in tips[False][0] and "*" in tips[False][0]
        at = _run(community="中兴", page="checks")
        shown = at.dataframe[0].value
        row = shown[shown["问题"].str.startswith("楼道堆放杂物")].iloc[0]
        assert (row["来源"], row["登记人"]) == ("录入", "工作人员")
        assert re.fullmatch(re.escape(cn_date(TODAY)) + r" \d{2}:\d{2}", row["登记时间"]), row["登记时间"]
        assert "13812345678" not in row["问题"] and "***********" in row["问题"]
        return

    if kind == "fact-form":
        row = facts(community="中兴", indicators=["志愿者"], engine=w.engine).iloc[0]
        assert (row["source_kind"], row["source_publisher"], row["valid_from"]) == ("staff", who, TODAY)
        at = _run(community="中兴", page="profiles")
        assert _cards(at)["志愿者 · 录入"] == "300余名"
        assert anon_tag in _captions(at)
        return

    scope = Scope("中兴")
    panel = summary_panel(scope, free_beds_warning=3, signed_in=True, engine=w.engine)
    fig = panel.care if kind == "occupancy-form" else panel.stars
    label, value = ("养老中心床位", "49/50床") if kind == "occupancy-form" else ("五星达标", "5/5颗")
    # entered residents over the article's beds: the card's figure carries both sources (多来源), on the overview,
    # the wall and the 养老 page's 入住 card alike (its caption still names the residents' 录入)
    tag = "多来源" if kind == "occupancy-form" else "录入"
    assert (fig.tag, fig.author, fig.holds_from, fig.display) == (tag, who, TODAY, value)
    assert fig.badge(panel.header.latest) == signed_tag.replace("录入", tag, 1)  # who entered it, also in 多来源
    assert panel.header.latest == TODAY and panel.header.text.startswith(f"最新数据 {cn_date(TODAY)}；各数字日期见标注")
    _png_has(panel.figures(), panel.header.latest, fig.label, tag)  # the PNG briefing
    anon = summary_panel(scope, free_beds_warning=3, engine=w.engine)
    assert (anon.care if kind == "occupancy-form" else anon.stars).author == "工作人员"

    at = _run(community="中兴")  # the overview's card
    assert _cards(at)[f"{label} · {tag}"] == value and anon_tag.replace("录入", tag, 1) in _captions(at)
    page = _run(community="中兴", page="eldercare" if kind == "occupancy-form" else "profiles")
    cards = _cards(page)
    if kind == "occupancy-form":
        assert cards[f"入住（{cn_date(TODAY)}） · 多来源"] == "49/50"
    else:
        assert cards["五星支部已达标 · 录入"] == "5/5颗"  # was 「示例」 after a staff import
        stars = _run(community="中兴", page="stars")
        assert _cards(stars)["中兴社区已达标星数 · 录入"] == "5/5颗" and anon_tag in _captions(stars)
    assert anon_tag in _captions(page)
    wall = _run(community="中兴", screen=True)  # the big screen
    assert _cards(wall)[f"{label} · {tag}"] == value and anon_tag.replace("录入", tag, 1) in _captions(wall)
    assert f"最新数据 {cn_date(TODAY)}；各数字日期见标注" in _html(wall)


def test_as_of_rule_around_the_article(app_on):
    """The documented rule (README, lib/figures.py): on the article's date its figures hold; the day
    before, the subdistrict's standing profile is shown as 「报道于2023年11月22日」 and progress figures
    are absent (no zeros); on a later date with staff data the entered figure holds, tagged 录入."""
    w = app_on
    on = summary_panel(Scope(None, ARTICLE_DAY), free_beds_warning=3, engine=w.engine)
    assert on.relocation.display == "62/78户" and on.relocation.tag == "报道"
    assert on.care.display == "48/50床" and on.care.tag == "报道"  # the article's residents and beds
    assert all(f.tag == "报道" and not f.reported_later for f in on.overview) and len(on.overview) == 9

    before = summary_panel(Scope(None, ARTICLE_DAY - dt.timedelta(days=1)), free_beds_warning=3, engine=w.engine)
    assert len(before.overview) == 9 and all(f.reported_later and f.holds_from == ARTICLE_DAY for f in before.overview)
    assert before.overview[0].badge(before.header.latest) == "报道于2023年11月22日"
    assert before.relocation is None or before.relocation.tag == "示例"  # the article's 62 holds from 11-22 only
    # demo residents over the register's beds (the article's, reported later): both sources, the residents' day
    assert before.care.tag == "含示例" and before.care.holds_from < ARTICLE_DAY

    writes.record_occupancy(w.staff, facility="care_centre", day=TODAY, occupied=49, engine=w.engine, today=TODAY)
    later = summary_panel(Scope(None, TODAY), free_beds_warning=3, engine=w.engine)
    assert (later.care.display, later.care.tag, later.care.holds_from) == ("49/50床", "多来源", TODAY)
    assert later.relocation.display == "62/78户" and later.relocation.date_note(later.header.latest) == "2023年11月22日"
    assert later.relocation.badge(later.header.latest) == "报道 · 2023年11月22日"  # its own date, not the header's

    at = _run(as_of=ARTICLE_DAY - dt.timedelta(days=1))  # the overview the day before the article
    assert _cards(at)["常住人口"] == "8.15万人" and "报道于2023年11月22日" in _captions(at)
    assert "暂无公开数据" not in " ".join(str(i.value) for i in at.info)
    at = _run(as_of=dt.date(2023, 9, 23))  # the naming day: figures as reported, relocation not yet recorded
    assert _cards(at)["常住人口"] == "8.15万人" and "截至2023年9月23日尚无征迁记录" in _captions(at)
    assert "无涉迁户" not in str(_cards(at)) and _cards(at)["命名示范社区"] == "4个"
    at = _run(page="eldercare")  # the later date: the comparison names both dates and says there is no data
    assert any(f"对比日{cn_date(TODAY - dt.timedelta(days=7))}无数据" in str(c.value) for c in at.caption)


def test_the_clock_stays_on_the_day_the_expected_values_name():
    """A CI run that crossed midnight in China (16:00 UTC) wrote 12月7日 where the module, imported before midnight,
    expected 12月6日 (staff_apptest.on_today)."""
    from lib import clock

    assert clock.today() == TODAY and clock.now_local().hour == 11
