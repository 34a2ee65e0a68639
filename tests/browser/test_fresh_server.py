"""The first request after a server start may be a bookmarked deep link (a tablet on 征迁 or 大屏)."""
from __future__ import annotations

import pytest
from browser_helpers import PAGES, problems

pytestmark = pytest.mark.browser


# Each page's url_path is its file's name: before app.py has run once, Streamlit routes by file name,
# and a url_path that differs from it (e.g. "model" for model_communities.py) showed "Page not found".
@pytest.mark.parametrize("path", ["stars", "model_communities"])
def test_deep_link_is_first_request_after_start(fresh_page_at, path):
    opened = fresh_page_at(f"{path}?community=西华", width=1440, height=900)
    page = opened.page
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    missing = [t for t in PAGES.values() if t not in nav]
    assert not missing, (
        "服务器启动后第一个请求为深链接 /stars 时，Streamlit 绕过 app.py 直接运行 pages/stars.py"
        "（MPA v1：app.py 旁存在 pages/ 目录，直到有人先打开首页），侧栏缺少：" + "、".join(missing)
        + f"；侧栏实际为 {nav.split()!r}。修复：把 pages/ 改名（如 app_pages/）并更新 app.py 中的路径 / "
        "a deep link as the first request ran pages/stars.py without app.py (pages/ dir triggers MPA v1)")
    selector = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first.input_value()
    assert selector in ("西华", "西华社区"), f"深链接的 ?community=西华 未生效：{selector!r}"
    assert not problems(page), problems(page)
