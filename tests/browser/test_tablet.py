"""Tablets (touch): no sideways scrolling on any page, and touch-sized controls (≥ 44 px high)."""
from __future__ import annotations

import pytest
from browser_helpers import PAGES, page_url, problems, scroll_metrics, wider_than_viewport

pytestmark = pytest.mark.browser

MIN_TOUCH = 44
# Controls a finger has to hit: buttons, link buttons, popovers, selects and text/date/number inputs, and the bars that
# open something (an expander's was 38 px, the 预警 list's 「另有 N 条（点击展开）」 26 px).
CONTROLS = (".stButton button, .stDownloadButton button, .stLinkButton a, [data-testid=\"stPopover\"] button, "
            "[data-baseweb=\"select\"] > div, .stDateInput input, .stTextInput input, .stNumberInput input, "
            "[data-testid=\"stExpander\"] summary, .gw-alert-more summary")


def _small_controls(page) -> list[str]:
    return page.evaluate("""([selector, min]) => {
        const out = [];
        for (const el of document.querySelectorAll(selector)) {
            const r = el.getBoundingClientRect();
            if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;  // not shown
            if (r.height < min - 0.5) {
                const label = (el.innerText || el.getAttribute('aria-label') || el.placeholder || '').trim();
                out.push(`${label.slice(0, 20) || el.tagName} ${Math.round(r.width)}×${r.height.toFixed(1)}`);
            }
        }
        return out;
    }""", [CONTROLS, MIN_TOUCH])


@pytest.mark.parametrize("size", [(1024, 768), (820, 1180)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_tablet_pages(page_at, size):
    width, height = size
    failures: list[str] = []
    opened = None
    for path in PAGES:
        if opened is None:
            opened = page_at(page_url(path), width=width, height=height, touch=True)
        else:
            opened.goto(page_url(path))
        page = opened.page
        opened.screenshot(path)
        m = scroll_metrics(page)
        if m["docScrollWidth"] > m["docClientWidth"] + 1 or m["mainScrollWidth"] > m["mainClientWidth"] + 1:
            failures.append(f"{path}: 横向滚动 / horizontal scroll {m} — {wider_than_viewport(page)}")
        controls = page.locator(CONTROLS)
        if not controls.count():
            failures.append(f"{path}: 页面上没有可检查的按钮或下拉框 / no controls found")
        small = _small_controls(page)
        if small:
            failures.append(f"{path}: 控件低于 {MIN_TOUCH}px / controls below {MIN_TOUCH}px: {small}")
        errors = [e for e in problems(page) if "空床仅" not in e]
        if errors:
            failures.append(f"{path}: 错误 / errors: {errors}")
    assert not failures, "\n".join(failures)
    assert not opened.foreign_requests(), opened.foreign_requests()
