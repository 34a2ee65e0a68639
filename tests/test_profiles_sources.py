"""社区档案 names the true source of what it shows: a figure staff entered is not called 报道, entered star assessments
are not called 示例, and 「报道公布的数字」 counts the article's figures only.

华盛录入员 enters 华盛社区 党员 120名, the administrator 光武街道 常住人口 8.2万人, and 中兴录入员 all five of 中兴's
stars (all on 2024-01-05)."""
# ruff: noqa: F811 - pytest fixtures are imported and named as parameters
from __future__ import annotations

import datetime as dt

from staff_apptest import clean, engine  # noqa: F401 - engine is a fixture
from staff_fixtures import _staff_templates, world  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from lib import writes
from lib.auth import Actor
from lib.models import Star
from lib.queries.communities import community_summary
from tests.test_pages_apptest import APP

ADMIN = Actor("admin", "街道管理员", "街道管理员", None)
ZX = Actor("zx", "中兴录入员", "社区工作人员", "中兴")
HS = Actor("hs", "华盛录入员", "社区工作人员", "华盛")
DAY = dt.date(2024, 1, 5)


def _enter(engine) -> None:
    t = {"engine": engine, "today": DAY}
    writes.record_fact(HS, label="党员", value="120", unit="名", source_title="社区党委台账", community="华盛",
                       valid_from=DAY, **t)
    writes.record_fact(ADMIN, label="常住人口", value="8.2万", unit="人", source_title="区统计局2023年人口公报",
                       subject="光武街道", valid_from=DAY, **t)
    for star in Star:
        writes.record_star_assessment(ZX, community="中兴", star=star.value, status="已达标", score=95,
                                      valid_from=DAY, **t)


def _page(community: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["community"] = community
    at.run()
    at.switch_page("pages/profiles.py").run()
    return clean(at)


def _captions(at: AppTest) -> str:
    return "\n".join(str(c.value) for c in at.caption)


def test_summary_counts_article_figures_as_published_and_entered_ones_apart(world):
    _enter(world.engine)
    df = community_summary(engine=world.engine).set_index("name")
    assert df.loc["华盛", "published_figures"] == 0  # the article publishes no figure about 华盛
    assert df.loc["华盛", "entered_figures"] == 1
    assert df.loc["中兴", "published_figures"] == 25 and df.loc["中兴", "entered_figures"] == 0
    assert df.loc["中兴", "stars_kind"] == "staff" and df.loc["华盛", "stars_kind"] == "demo"


def test_subdistrict_page_names_the_real_sources(engine):
    _enter(engine)
    at = _page(None)
    captions = _captions(at)
    # 街道概况: 常住人口 is staff-entered, the rest the article's
    assert "来源：新闻报道（点按数字可见原文）。" not in captions, captions
    assert "常住人口为工作人员录入" in captions and "其余为新闻报道" in captions, captions
    table = at.dataframe[0].value
    table = table.data if hasattr(table, "data") else table
    assert "已达标星数（示例）" not in table.columns
    rows = table.set_index("社区")
    assert rows.loc["中兴社区", "星数来源"] == "工作人员录入" and rows.loc["华盛社区", "星数来源"] == "示例数据"
    assert rows.loc["华盛社区", "报道公布的数字"] == "暂无公开数据" and rows.loc["华盛社区", "录入的数字"] == "1项"
    assert "报道公布了具体数字的社区：中兴；" in captions and "工作人员录入了数字的社区：华盛" in captions, captions
    assert "星数为示例数据" not in captions and "中兴社区为工作人员录入" in captions, captions


def test_community_page_does_not_call_entered_figures_reported(engine):
    _enter(engine)
    captions = _captions(_page("华盛"))
    assert "新闻报道" not in captions.replace("示例数据", ""), captions
    assert "来源：工作人员录入" in captions, captions


def test_community_page_does_not_call_partly_entered_stars_demo_data(engine):
    for star in ("支部过硬星", "平安法治星"):
        writes.record_star_assessment(ZX, community="中兴", star=star, status="已达标", valid_from=DAY, engine=engine,
                                      today=DAY)
    captions = _captions(_page("中兴"))
    assert "五星达标星数为示例数据" not in captions, captions
    assert "五星达标星数中支部过硬星、平安法治星为工作人员录入，其余为示例数据" in captions, captions
