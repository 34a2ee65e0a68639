"""A selection change redraws the map in place (issue #15): the chart keeps its canvas, so deck.gl does not
build a new WebGL context and compile its shaders again — that remount was most of a map click's time.

The chart's own selection must still never go stale: after a tap selects a community the chart holds no
selection of its own (no 「清除选择」, no dimmed map), and a later choice in the sidebar is not undone by the
chart letting go of that tap.
"""
from __future__ import annotations

import time

import pytest
from browser_helpers import current_url, query, wait_until
from test_map_selection import CHART, SELECTOR_INPUT, _canvas, _choose, _click_community, _expect, _map_drawn, \
    _selection_shown, interior_point, view_state  # noqa: F401 - view_state is a fixture

pytestmark = pytest.mark.browser

MARK = "(el) => { el.__gwMark = 'kept'; return true; }"
MARKED = f"() => {{ const c = document.querySelector('{CHART} canvas'); return !!c && c.__gwMark === 'kept'; }}"


def _mark_canvas(page) -> None:
    _, canvas = _canvas(page)
    wait_until(page, lambda: _map_drawn(canvas), timeout=15, message="地图未绘制 / map not drawn")
    canvas.evaluate(MARK)


def test_selection_changes_keep_the_map_canvas(page_at, seeded_db, view_state):  # noqa: F811
    opened = page_at("/", width=1440, height=900)
    page = opened.page
    _mark_canvas(page)
    _choose(page, "西华")
    _expect(page, title="光武街道 · 西华社区", selector=("西华", "西华社区"))
    opened.wait_ready()
    assert page.evaluate(MARKED), "侧栏切换社区后地图被重新挂载 / the map was remounted by a sidebar change"
    _click_community(page, interior_point("中兴", seeded_db), view_state)
    _expect(page, title="光武街道 · 中兴社区", selector=("中兴", "中兴社区"))
    opened.wait_ready()
    assert page.evaluate(MARKED), "点击地图选中社区后地图被重新挂载 / the map was remounted by a map click"
    assert not _selection_shown(page), "图表保留了自己的选择（其余社区变暗）/ the chart kept its own selection"


def test_sidebar_choice_after_a_map_tap_stands(page_at, seeded_db, view_state):  # noqa: F811
    """Tap 中兴 on the map, then pick 西华 and 大官庄 in the sidebar: each choice stands (the chart's letting go
    of the earlier tap, sent with the next run, is not taken as a tap on empty ground)."""
    opened = page_at("/", width=1440, height=900)
    page = opened.page
    _click_community(page, interior_point("中兴", seeded_db), view_state)
    _expect(page, title="光武街道 · 中兴社区", selector=("中兴", "中兴社区"))
    opened.wait_ready()
    for name in ("西华", "大官庄"):
        _choose(page, name)
        _expect(page, title=f"光武街道 · {name}社区", selector=(name, f"{name}社区"))
        opened.wait_ready()
    time.sleep(1.5)
    opened.wait_ready()
    assert query(current_url(page)).get("community") == "大官庄", current_url(page)
    assert page.locator(SELECTOR_INPUT).first.input_value() in ("大官庄", "大官庄社区")
