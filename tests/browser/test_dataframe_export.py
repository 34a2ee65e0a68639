"""st.dataframe's own toolbar has no CSV download (it writes = + - @ cells verbatim); search stays."""
from __future__ import annotations

import pytest
from browser_helpers import page_url, wait_until

pytestmark = pytest.mark.browser


def _toolbar(page_at, width: int, height: int):
    """The 数据来源 page with its first table's toolbar shown (the pointer on the table): the page, its buttons."""
    page = page_at(page_url("sources"), width=width, height=height).page
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    grid.hover()
    buttons = page.locator('[data-testid="stElementToolbar"] button')
    wait_until(page, lambda: buttons.count() >= 2, timeout=10, message="表格工具栏未出现 / no dataframe toolbar")
    return page, buttons


def test_dataframe_toolbar_offers_no_csv_download(page_at):
    _, buttons = _toolbar(page_at, 1440, 900)
    labels = [buttons.nth(i).get_attribute("aria-label") or "" for i in range(buttons.count())]
    assert "搜索" in labels, labels  # the toolbar is there (its labels in Chinese, ui/chrome_words.py) …
    assert not [label for label in labels if label.startswith(("Download", "下载"))], labels  # … without the download


def test_table_toolbar_buttons_do_not_overlap_on_a_tablet(page_at):
    """Each toolbar button is a 44 px target, but their icons sat 16 px apart: the targets overlapped and a tap on
    「搜索」 opened 「全屏」. Now no two targets overlap (the toolbar fades when the pointer leaves, so what lies under a
    point is not asserted: that depended on timing)."""
    page, _ = _toolbar(page_at, 768, 1024)
    box = page.locator('[data-testid="stElementToolbar"]').first.bounding_box()
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    page.wait_for_timeout(300)
    found = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stElementToolbar"] button')].map(b => {
        const r = b.getBoundingClientRect();
        return {label: b.getAttribute('aria-label'), left: r.left, right: r.right, w: r.width, h: r.height}; })""")
    assert all(b["w"] >= 44 and b["h"] >= 44 for b in found), found
    spans = sorted((b["left"], b["right"]) for b in found)
    assert all(a[1] <= b[0] + 0.5 for a, b in zip(spans, spans[1:])), spans
