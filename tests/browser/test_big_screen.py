"""大屏模式 (?screen=1): no chrome, title and data date visible, fits the screen, and the carousel turns."""
from __future__ import annotations

import pytest
from browser_helpers import problems, scroll_metrics, wait_until

pytestmark = pytest.mark.browser

HIDDEN = ['[data-testid="stSidebar"]', '[data-testid="stToolbar"]', '[data-testid="stHeader"]',
          '[data-testid="stSidebarCollapsedControl"]', '[data-testid="stExpandSidebarButton"]',
          '[data-testid="stSidebarNav"]']
CAPTION = '[data-testid="stCaptionContainer"]'


def _visible_in_viewport(page, text: str) -> bool:
    loc = page.get_by_text(text, exact=False).first
    if not loc.count() or not loc.is_visible():
        return False
    box = loc.bounding_box()
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= vh and box["x"] + box["width"] <= vw


def _current(page) -> str | None:
    caption = page.locator(CAPTION, has_text="当前：")
    return caption.first.inner_text().split("·")[0].strip() if caption.count() else None


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_big_screen_fits_without_chrome(page_at, size):
    width, height = size
    opened = page_at("/?screen=1", width=width, height=height)
    page = opened.page
    def shown():
        return [sel for sel in HIDDEN if page.locator(sel).count() and page.locator(sel).first.is_visible()]

    # steady state (a rerun can re-insert the theme CSS for a moment)
    wait_until(page, lambda: not shown(), timeout=5, message=f"大屏模式下仍可见 / still visible: {shown()}")
    for text in ("光武街道基层治理", "最新数据"):
        assert _visible_in_viewport(page, text), f"大屏上看不到「{text}」/ not visible in the viewport"
    assert _current(page), "大屏缺少轮播说明「当前：…」"
    assert page.locator('[data-testid="stDeckGlJsonChart"] canvas').count() == 1, "总览应显示地图"

    m = scroll_metrics(page)
    assert m["docScrollHeight"] <= m["innerHeight"] + 2, f"页面可纵向滚动 / document scrolls: {m}"
    assert m["docScrollWidth"] <= m["docClientWidth"] + 1, f"页面可横向滚动 / horizontal scroll: {m}"
    assert m["mainScrollHeight"] <= m["mainClientHeight"] + 2, f"内容超出屏幕高度 / content taller than screen: {m}"
    assert m["mainScrollWidth"] <= m["mainClientWidth"] + 1, f"内容超出屏幕宽度 / content wider than screen: {m}"
    assert not problems(page), problems(page)
    assert not opened.foreign_requests(), opened.foreign_requests()
    opened.screenshot("screen")


def test_carousel_rotates_and_every_view_fits(page_at):
    opened = page_at("/?screen=1&rotate=5", width=1920, height=1080)
    page = opened.page
    first = wait_until(page, lambda: _current(page), timeout=10, message="缺少轮播说明「当前：…」")
    wait_until(page, lambda: (c := _current(page)) and c != first, timeout=15,
               message=f"轮播 15 秒内未切换（仍为「{first}」）/ the carousel did not turn")
    assert "每 5 秒轮换" in page.locator(CAPTION, has_text="当前：").first.inner_text()

    # Ride the carousel round once: every view comes up in turn (seen by its caption; a busy machine may
    # draw a view for less than its turn, so fitting is checked per view below, each opened with ?view=).
    total = int(first.rsplit("/", 1)[1].rstrip("）)"))
    seen: set[str] = set()

    def sample():
        if current := _current(page):
            seen.add(current.split("（")[0].removeprefix("当前：").strip())
        return len(seen) >= total

    wait_until(page, sample, timeout=60, interval=0.3,
               message=f"轮播一圈未完成 / the carousel did not show all {total} views: {sorted(seen)}")
    too_big = {}
    for view in sorted(seen):
        shown = page_at(f"/?screen=1&pause=1&view={view}", width=1920, height=1080)
        wait_until(shown.page, lambda p=shown.page, v=view: (_current(p) or "").startswith(f"当前：{v}"),
                   timeout=20, message=f"?view={view} 未打开该视图 / the view did not open")
        shown.wait_ready()
        m = scroll_metrics(shown.page)
        if m["mainScrollHeight"] > m["mainClientHeight"] + 2 or m["mainScrollWidth"] > m["mainClientWidth"] + 1:
            too_big[view] = m
    assert not too_big, f"这些大屏视图超出 1920×1080 / views larger than the screen: {too_big}"
    assert not problems(page), problems(page)
