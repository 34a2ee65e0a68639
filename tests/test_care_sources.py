"""Daily occupancy after staff enter a day: the 养老 page and the wall say which days are not demo data, each with
its own source (a staff day was called 新闻报道, and the wall said the last day was the article's)."""
from __future__ import annotations

import datetime as dt

from staff_apptest import engine, sign_in  # noqa: F401
from staff_fixtures import _staff_templates  # noqa: F401
from streamlit.testing.v1 import AppTest

from lib import writes
from lib.auth import Actor
from tests.test_wall_care_model import wall_view

ZX = Actor("zx", "中兴录入员", "社区工作人员", "中兴")
ARTICLE_DAY = "2023年11月22日的48人（新闻报道）"
ENTERED_DAY = "2024年2月1日的45人（工作人员录入）"


def _enter(engine) -> None:
    writes.record_occupancy(ZX, facility="care_centre", day=dt.date(2024, 2, 1), occupied=45, engine=engine,
                            today=dt.date(2024, 3, 1))


def _captions(at: AppTest) -> str:
    return "\n".join(str(c.value) for c in at.caption)


def test_the_care_page_names_each_known_day_with_its_source(engine):
    _enter(engine)
    text = _captions(sign_in(None, "eldercare"))
    assert f"例外：{ARTICLE_DAY}、{ENTERED_DAY}，非示例。" in text, text


def test_the_wall_names_the_days_that_are_not_demo_data(engine):
    _enter(engine)
    text = _captions(wall_view("养老"))
    assert "最后一天为报道数字" not in text and ENTERED_DAY in text, text
