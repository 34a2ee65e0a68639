"""A look-back before a community's first figure says so; it does not deny the figures.

On 2023年10月15日 the overview's card for 中兴 read 「中兴社区暂无公开数据（报道仅列出社区名称）」 — while the
article gives 中兴 a whole section (0.45平方公里, 党员298名 …), dated 2023年11月22日, and the honours below the line
came from it. The card and the 社区档案 page now name the day the records start."""
from __future__ import annotations

import pytest
from staff_apptest import APP, _staff_templates, clean, engine  # noqa: F401 - fixtures
from streamlit.testing.v1 import AppTest

from lib.queries.communities import community_profile

EARLY = "所选日期（2023年10月15日）中兴社区尚无公开数字，最早的记录始于2023年11月22日；请选择其后的回看日期，或留空查看最新。"


def _texts(page: str, **query) -> str:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at = clean(at.switch_page(page).run())
    return "\n".join(e.value for e in [*at.info, *at.markdown, *at.caption])


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/profiles.py"])
def test_a_look_back_before_the_first_figure_names_its_day(engine, page):  # noqa: F811 - the imported fixture
    shown = _texts(page, community="中兴", as_of="2023-10-15")
    assert EARLY in shown, shown
    assert "报道仅列出社区名称" not in shown


def test_a_community_the_article_only_names_says_so(engine):  # noqa: F811 - the imported fixture
    assert community_profile("白庄", engine=engine).empty_note == "白庄社区暂无公开数据（报道仅列出社区名称）。"
    assert community_profile("中兴", engine=engine).empty_note == ""
