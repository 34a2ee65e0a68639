"""Tablets: what opens from a control is touch-sized too — a drop-down's options and the date picker's days and
month arrows (≥ 44 px). A tablet review measured them at 40, 32 and 24 px: a 网格员's finger picked the
neighbouring community or day."""
from __future__ import annotations

import pytest
from browser_helpers import open_sidebar, page_url, wait_until

pytestmark = pytest.mark.browser

MIN_TOUCH = 44


def _sizes(page, selector: str) -> list[tuple[str, float, float]]:
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)].map(el => {
        const r = el.getBoundingClientRect();
        return [(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 16), r.width, r.height];
    }).filter(([, w, h]) => w && h)""", selector)


@pytest.mark.parametrize("size", [(1024, 768), (820, 1180)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_options_and_calendar_days_are_touch_sized(page_at, size):
    opened = page_at(page_url("overview"), width=size[0], height=size[1], touch=True)
    page = opened.page
    open_sidebar(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"] [role="combobox"]').first.click()
    options = page.locator('[role="option"]')
    wait_until(page, lambda: options.count() > 3, timeout=10, message="下拉选项未打开 / options not shown")
    small = [o for o in _sizes(page, '[role="option"]') if o[2] < MIN_TOUCH - 0.5]
    assert not small, f"选项低于 {MIN_TOUCH}px / options below {MIN_TOUCH}px: {small}"
    tops = sorted(page.evaluate("""() => [...document.querySelectorAll('[role="option"]')].map(el => {
        const r = el.getBoundingClientRect(); return [r.top, r.bottom]; })"""))
    assert all(a[1] <= b[0] + 0.5 for a, b in zip(tops, tops[1:])), tops  # taller, and not on top of each other
    page.keyboard.press("Escape")
    sidebar.locator('[data-testid="stDateInputCalendarButton"]').first.click()
    calendar = '[data-testid="stDateInputCalendar"]'
    days = page.locator(f'{calendar} [role="gridcell"] [role="button"]')
    wait_until(page, lambda: days.count() > 27, timeout=10, message="日历未打开 / calendar not shown")
    page.wait_for_timeout(300)  # the pop-up's entry transition
    cells = _sizes(page, f'{calendar} [role="gridcell"] [role="button"]')
    header = _sizes(page, f'{calendar} header button')  # 上个月 / 月 / 年 / 下个月
    small = [c for c in cells + header if c[2] < MIN_TOUCH - 0.5 or c[1] < MIN_TOUCH - 0.5]
    assert not small, f"日历按键低于 {MIN_TOUCH}px / calendar targets below {MIN_TOUCH}px: {small}"
    opened.screenshot(f"calendar-{size[0]}")
    box = page.locator(calendar).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size[0] + 0.5, box  # the bigger calendar still fits
