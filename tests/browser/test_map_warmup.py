"""The map's picking warm-up runs from the page script (ui/deck_ready.py), named by the marker in the legend.

It used to be a component mounted with every run (3.4 kB and a registration per selection change, issue #15).
The warm-up sends a freshly drawn canvas synthetic hovers until its picking is warm, then stops. A choice in the
sidebar updates the map's layers in place (same ids): no hover. New pickable layers (a layer switched off and on
again) get one hover; after a person's own pointer has been on the map, none (their hover picks anyway). The lone
marker on 现场核查登记's picker takes no room.
"""
from __future__ import annotations

import pytest
from browser_helpers import wait_until
from test_map_selection import _canvas, _choose, _click_community, _expect, _map_drawn, interior_point, \
    view_state  # noqa: F401 - view_state is a fixture
from test_pick_map import _open_picker
from test_tablet_checks import staff_account  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

# Synthetic (not trusted) mouse moves reaching a map's canvas: the warm-up's hovers, counted from before the page
# loads (the warm-up may be over within a second of the map being drawn).
COUNTER = """window.__gwHovers = 0;
window.addEventListener('mousemove', (e) => {
  if (!e.isTrusted && e.target instanceof Element && e.target.closest('[data-testid="stDeckGlJsonChart"]'))
    window.__gwHovers += 1;
}, true);"""
COUNT = "() => window.__gwHovers"


def _counting(opened):
    """Reload the page with the hover counter installed before any of its scripts run."""
    opened.page.add_init_script(COUNTER)
    opened.page.reload(wait_until="domcontentloaded")
    opened.wait_ready()
    return opened.page


VERSION = "() => (document.querySelector('[data-gw-map]') || {}).dataset?.gwMap || null"


def test_warmup_warms_once_then_leaves_the_map_alone(page_at, seeded_db, view_state):  # noqa: F811
    """Hovers until picking is warm, then stops: each pick renders the picking buffer and reads it back
    (~50 ms on a software GPU), work a person's next change would compete with. A sidebar choice keeps the
    layers (no hover); a layer switched off and on again is new to deck.gl: one hover, no more."""
    opened = page_at("/", width=1440, height=900)
    page = _counting(opened)
    _, canvas = _canvas(page)
    wait_until(page, lambda: _map_drawn(canvas), timeout=15, message="地图未绘制 / map not drawn")
    assert page.locator('[data-testid="stBidiComponent"], iframe[title*="deck_ready"]').count() == 0
    first = page.evaluate(VERSION)
    assert first, "图例中没有地图标记 / no map marker in the legend"
    wait_until(page, lambda: page.evaluate(COUNT) >= 2, timeout=8, message="地图未预热 / no warm-up hovers")
    page.wait_for_timeout(2500)  # warm by now: at most four quick hovers at 0.5 s
    settled = page.evaluate(COUNT)
    page.wait_for_timeout(1500)
    assert page.evaluate(COUNT) == settled, "预热后仍在模拟悬停 / hovers went on after picking was warm"

    _choose(page, "西华")
    _expect(page, title="光武街道 · 西华社区", selector=("西华", "西华社区"))
    opened.wait_ready()
    assert page.evaluate(VERSION) == first, "侧栏换社区后可点选的图层应保持不变 / pickable layers kept"
    page.wait_for_timeout(1500)
    assert page.evaluate(COUNT) == settled, "侧栏换社区后不应再模拟悬停 / no hover when the layers are kept"

    roads = page.locator('[data-testid="stButtonGroup"] button').filter(has_text="主干道路").first
    roads.click()
    wait_until(page, lambda: page.evaluate(VERSION) not in (None, first), timeout=15,
               message="关闭道路图层后地图标记未变 / marker unchanged without the roads")
    opened.wait_ready()
    page.wait_for_timeout(1500)
    assert page.evaluate(COUNT) == settled + 1, "已预热的地图换新图层后应只悬停一次 / one hover for new layers"

    _click_community(page, interior_point("中兴", seeded_db), view_state)  # a person's pointer on the map
    _expect(page, title="光武街道 · 中兴社区", selector=("中兴", "中兴社区"))
    opened.wait_ready()
    assert page.evaluate(VERSION) not in (None, first), "点击选中后图层应换新 / new layers after a tap"
    page.wait_for_timeout(1500)
    assert page.evaluate(COUNT) == settled + 1, "有人操作过地图后不再模拟悬停 / no hover once a person used the map"


def test_the_pickers_lone_marker_takes_no_room(page_at, staff_account):  # noqa: F811
    opened, _ = _open_picker(page_at, base_hook=lambda o: o.page.add_init_script(COUNTER))
    page = opened.page
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(state="visible")
    wait_until(page, lambda: page.evaluate(VERSION), timeout=15, message="选点地图没有标记 / no marker")
    shown = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stElementContainer"]')]
        .filter((box) => box.querySelector('.gw-hide-box'))
        .map((box) => getComputedStyle(box).display)""")
    assert shown == ["none"], shown
    wait_until(page, lambda: page.evaluate(COUNT) >= 2, timeout=6, message="选点地图未预热 / picker not warmed")
