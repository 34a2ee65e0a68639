"""The map is drawn, clicking a community selects it everywhere, and the selection survives navigation."""
from __future__ import annotations

import pytest
from browser_helpers import current_url, lonlat_to_pixel, pixel_stats, query, screenshot_dir, url_path, wait_until

pytestmark = pytest.mark.browser

CHART = '[data-testid="stDeckGlJsonChart"]'
SELECTOR_INPUT = '[data-testid="stSidebar"] [data-testid="stSelectbox"] input'
WHOLE_TITLE = "光武街道基层治理看板"
# Pickable layers drawn above the community polygons; a click there picks them, not the community.
OBSTACLE_LINES = ("roads", "railway", "rivers", "projects")
OBSTACLE_AREAS = ("reservoirs",)
OBSTACLE_POINTS = ("pois",)


@pytest.fixture(scope="module")
def view_state():
    """The deck's initial view (the outline fitted into ui.layout.MAP_FIT_WIDTH_PX), as the app builds it."""
    from geo.deck import build_deck
    from geo.layers import feature_records
    from ui.layout import MAP_FIT_WIDTH_PX

    view = build_deck(layers={n: feature_records(n) for n in ("outline", "communities")},
                      width=MAP_FIT_WIDTH_PX).initial_view_state
    return {"centre_lon": view.longitude, "centre_lat": view.latitude, "zoom": view.zoom}


def interior_point(name: str, db_url: str) -> tuple[float, float]:
    """A point well inside community `name`, clear of roads, rivers, facility points and site checks.

    (The representative point of 中兴 lies on 光武大道, and a click there selects the road.)
    """
    import shapely
    from shapely.ops import polylabel

    from geo.layers import load_layer
    from lib.db import get_engine
    from lib.queries.checks import site_checks

    communities = load_layer("communities")
    poly = communities.loc[communities["name"] == name].geometry.iloc[0]
    obstacles = [g.buffer(0.0006) for n in OBSTACLE_LINES + OBSTACLE_AREAS for g in load_layer(n).geometry]
    obstacles += [g.buffer(0.0008) for n in OBSTACLE_POINTS for g in load_layer(n).geometry]
    checks = site_checks(open_only=True, engine=get_engine(db_url))
    obstacles += [shapely.Point(lon, lat).buffer(0.0009) for lon, lat in zip(checks["lon"], checks["lat"])]
    free = poly.buffer(-0.0005).difference(shapely.unary_union(obstacles))
    parts = getattr(free, "geoms", [free])
    assert not free.is_empty, f"{name} 内找不到可点击的空白处 / no free interior point"
    best = polylabel(max(parts, key=lambda p: p.area), tolerance=1e-6)
    return best.x, best.y


def _canvas(page):
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed()
    canvas = chart.locator("canvas").first
    canvas.wait_for(state="visible")
    return chart, canvas


def _map_drawn(canvas) -> dict | None:
    stats = pixel_stats(canvas.screenshot())
    return stats if stats["distinct"] >= 40 and stats["non_background"] >= 0.25 else None


def _selection_shown(page) -> bool:
    """The chart's own "Clear selection" button (labelled 「清除选择」 by ui/chrome_words.py): deck.gl
    registered a picked object."""
    return page.locator(f'{CHART} button[aria-label="清除选择"], {CHART} button[aria-label="Clear selection"]').count() > 0


def _click_community(page, lonlat, view_state) -> None:
    """Click the community at `lonlat`; repeat only while deck.gl has not registered the click at all.

    deck.gl shows hover tooltips as soon as the canvas appears but may drop clicks for a few seconds
    on a slow machine; a click it did register toggles its "Clear selection" button.
    """
    _, canvas = _canvas(page)
    wait_until(page, lambda: _map_drawn(canvas), timeout=15, message="地图未绘制 / map not drawn")
    for _ in range(6):
        before, url = _selection_shown(page), current_url(page)
        box = canvas.bounding_box()
        x, y = lonlat_to_pixel(*lonlat, box=box, **view_state)
        assert box["x"] < x < box["x"] + box["width"] and box["y"] < y < box["y"] + box["height"], (x, y, box)
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        try:
            wait_until(page, lambda b=before, u=url: _selection_shown(page) != b or current_url(page) != u,
                       timeout=2.5)
            return
        except AssertionError:
            continue
    raise AssertionError("地图点击未被 deck.gl 接收（6 次）/ deck.gl ignored the clicks")


def _community_in_url(page):
    return query(current_url(page)).get("community")


def _state(page) -> dict:
    return {"url": current_url(page), "title": page.locator('[data-testid="stMain"] h1').first.inner_text(),
            "selector": page.locator(SELECTOR_INPUT).first.input_value()}


def _expect(page, *, title: str, selector: tuple[str, ...], timeout: float = 20) -> dict:
    """Wait until the page shows `title` and the sidebar selector one of `selector` (the rerun can lag the URL)."""
    last: dict = {}

    def matches():
        last.update(_state(page))
        return last["title"] == title and last["selector"] in selector

    try:
        wait_until(page, matches, timeout=timeout)
    except AssertionError:
        raise AssertionError(f"期望标题「{title}」、侧栏 {selector}，实际 / expected, got: {last}") from None
    return last


def test_map_is_drawn(page_at):
    opened = page_at("/", width=1440, height=900)
    chart, canvas = _canvas(opened.page)
    stats = wait_until(opened.page, lambda: _map_drawn(canvas), timeout=15,
                       message="地图画布空白（WebGL 未绘制）/ the deck.gl canvas is blank")
    chart.screenshot(path=str(screenshot_dir() / "map-1440x900.png"))
    assert stats["size"][0] >= 300 and stats["size"][1] >= 300, stats


def test_click_selects_and_persists(page_at, view_state, seeded_db):
    opened = page_at("/", width=1440, height=900)
    page = opened.page
    zhongxing = interior_point("中兴", seeded_db)

    # Click 中兴 → URL, title and sidebar selector follow.
    _click_community(page, zhongxing, view_state)
    wait_until(page, lambda: _community_in_url(page) == "中兴", timeout=15,
               message=f"点击地图上的中兴后 URL 未出现 community=中兴：{page.url}")
    _expect(page, title="光武街道 · 中兴社区", selector=("中兴", "中兴社区"))
    opened.wait_ready()
    chart, _ = _canvas(page)
    chart.screenshot(path=str(screenshot_dir() / "map-selected-1440x900.png"))

    # Click it again → back to the whole subdistrict.
    _click_community(page, zhongxing, view_state)
    wait_until(page, lambda: _community_in_url(page) is None, timeout=15,
               message=f"再次点击中兴后未返回全街道：{page.url}")
    _expect(page, title=WHOLE_TITLE, selector=("",))
    opened.wait_ready()

    # Select again, switch page through the sidebar: the selection goes along.
    _click_community(page, zhongxing, view_state)
    wait_until(page, lambda: _community_in_url(page) == "中兴", timeout=15, message=f"未能再次选中中兴：{page.url}")
    _expect(page, title="光武街道 · 中兴社区", selector=("中兴", "中兴社区"))
    opened.wait_ready()
    page.locator('[data-testid="stSidebarNavLink"]', has_text="五星支部").click()
    wait_until(page, lambda: url_path(current_url(page)) == "stars", timeout=15, message=f"未切换到五星支部：{page.url}")
    opened.wait_ready()
    _expect_stars_for_zhongxing(page, "切换页面后")

    # Reload: the URL carries the selection.
    opened.reload()
    assert url_path(current_url(page)) == "stars", current_url(page)
    _expect_stars_for_zhongxing(page, "刷新后")


def _expect_stars_for_zhongxing(page, when: str) -> None:
    """The 五星支部 page, still scoped to 中兴 (URL, sidebar selector and the page's own scope line)."""
    main = '[data-testid="stMain"]'
    wait_until(page, lambda: page.locator(f"{main} h1").first.inner_text() == "五星支部"
               and "中兴社区" in page.locator(main).inner_text(), timeout=20,
               message=f"{when}五星支部页未按中兴社区显示 / not scoped to 中兴")
    assert _community_in_url(page) == "中兴", f"{when} URL 丢失了所选社区：{current_url(page)}"
    assert page.locator(SELECTOR_INPUT).first.input_value() in ("中兴", "中兴社区"), f"{when}侧栏未显示中兴"


def _choose(page, name: str) -> None:
    page.locator(SELECTOR_INPUT).first.click()
    option = page.locator('[role="option"]').filter(has_text=name).first
    option.wait_for(state="visible")
    option.click()


def test_sidebar_selector_updates_url(page_at):
    opened = page_at("/", width=1440, height=900)
    page = opened.page
    _choose(page, "西华")
    wait_until(page, lambda: _community_in_url(page) == "西华", timeout=15,
               message=f"侧栏选择西华后 URL 未更新：{page.url}")
    _expect(page, title="光武街道 · 西华社区", selector=("西华", "西华社区"))


def test_direct_link_selects_community(page_at):
    opened = page_at("/?community=西华", width=1440, height=900)
    state = _expect(opened.page, title="光武街道 · 西华社区", selector=("西华", "西华社区"), timeout=5)
    assert query(state["url"]).get("community") == "西华", state
