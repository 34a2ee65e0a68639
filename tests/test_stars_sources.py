"""The 五星 page after staff enter a community's assessments: its captions no longer call every score demo data,
and a rank among all communities (the others demo data) is tagged 含示例, not 录入."""
from __future__ import annotations

import datetime as dt

import kpi_cards
from staff_apptest import clean, engine, sign_in  # noqa: F401
from staff_fixtures import _staff_templates  # noqa: F401
from streamlit.testing.v1 import AppTest

from lib import writes
from lib.auth import Actor
from lib.models import Star
from tests.test_pages_apptest import APP

ZX = Actor("zx", "中兴录入员", "社区工作人员", "中兴")


def test_entered_assessments_are_not_called_demo_and_the_rank_mixes_sources(engine):
    for star in Star:
        writes.record_star_assessment(ZX, community="中兴", star=star.value, status="已达标", score=95,
                                      valid_from=dt.date(2024, 1, 5), engine=engine, today=dt.date(2024, 3, 1))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["community"] = "中兴"
    at.run()
    at.switch_page("pages/stars.py").run()
    clean(at)
    captions = "\n".join(str(c.value) for c in at.caption)
    assert "格内数字为示例得分" not in captions and "中兴社区为工作人员录入" in captions, captions
    assert "达标星数为示例数据" not in captions
    grid = kpi_cards.grid_text(at)
    assert "全街道排名 · 含示例" in grid and "全街道排名 · 录入" not in grid, grid
    assert "中兴社区已达标星数 · 录入" in grid
