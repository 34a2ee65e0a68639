"""st.dataframe's own toolbar has no CSV download (it writes = + - @ cells verbatim); search stays."""
from __future__ import annotations

import pytest
from browser_helpers import page_url, wait_until

pytestmark = pytest.mark.browser


def test_dataframe_toolbar_offers_no_csv_download(page_at):
    opened = page_at(page_url("sources"), width=1440, height=900)
    page = opened.page
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    grid.hover()
    buttons = page.locator('[data-testid="stElementToolbarButton"] button')
    wait_until(page, lambda: buttons.count() > 0, timeout=10, message="表格工具栏未出现 / no dataframe toolbar")
    labels = [buttons.nth(i).get_attribute("aria-label") or "" for i in range(buttons.count())]
    assert "搜索" in labels, labels  # the toolbar is there (its labels in Chinese, ui/chrome_words.py) …
    assert not [label for label in labels if label.startswith(("Download", "下载"))], labels  # … without the download
