"""Every page loads at 1440×900 without errors and without requests to any other host."""
from __future__ import annotations

import pytest
from browser_helpers import PAGES, page_url, problems, url_path

pytestmark = pytest.mark.browser

# Error alerts a page shows on purpose with the seeded data.
INTENDED_ERRORS: dict[str, list[str]] = {"eldercare": ["空床仅"]}  # the free-bed warning


@pytest.mark.parametrize("path", list(PAGES))
def test_page_loads_offline_without_errors(page_at, path):
    opened = page_at(page_url(path), width=1440, height=900)
    page = opened.page
    opened.screenshot(path)

    assert url_path(page.url) == page_url(path).strip("/"), page.url
    active = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').all_inner_texts()
    assert any(PAGES[path] in t for t in active), f"侧栏当前页应为「{PAGES[path]}」，实际 {active}"
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, "页面没有标题 / page has no title"

    errors = [e for e in problems(page) if not any(ok in e for ok in INTENDED_ERRORS.get(path, []))]
    assert not errors, f"{path} 页面出现异常或错误提示 / errors on the page: {errors}"
    assert not opened.page_errors, f"{path} 页面 JavaScript 错误 / page errors: {opened.page_errors}"
    foreign = opened.foreign_requests()
    assert not foreign, (f"{path} 页面请求了本地服务器以外的地址（离线部署会失败）/ requests to other hosts: "
                         + ", ".join(foreign))
