"""ui/page_shell.py: a page's address gets Streamlit's index.html in Chinese (lang, title, the script in <head>)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from async_helpers import call_middleware

from ui import layout, page_shell


def _call(path: str, method: str = "GET") -> dict:
    return call_middleware(page_shell.PageShellMiddleware, path, method=method)


def test_index_is_chinese_with_the_script_in_head():
    text = page_shell.index_html()
    head = text[:text.index("</head>")]
    assert re.search(r"<html[^>]*>", text).group() == '<html lang="zh-CN">'
    assert "<title>光武街道基层治理看板</title>" in head and "Streamlit</title>" not in text
    assert "__gwLayout" in head and "跳到正文" in head and "展开侧栏" in head  # the translation tables
    assert 'id="gw-layout-script"' not in head
    assert 'src="./static/js/' in text or "./static/" in text  # Streamlit's own bundle is still loaded


@pytest.mark.parametrize("path", ["/", "/checks", "/account", "/check_form"])
def test_pages_get_the_chinese_index(path):
    got = _call(path)
    assert not got["passed"] and got["status"] == 200 and 'lang="zh-CN"' in got["body"].decode()


@pytest.mark.parametrize("path", ["/checks/", "/static/js/index.js", "/_stcore/health", "/favicon.png", "/foo",
                                  "/readyz"])
def test_everything_else_passes(path):
    assert _call(path)["passed"]


def test_posts_pass():
    assert _call("/checks", method="POST")["passed"]


@pytest.mark.parametrize(("path", "query", "cookie", "desk"), [
    ("/", "", "", True),
    ("/checks", "community=%E4%B8%AD%E5%85%B4", "gw_session=abc", True),
    ("/", "screen=1", "", False),
    ("/", "screen=yes&community=%E4%B8%AD%E5%85%B4", "", False),
    ("/", "screen=0", "", True),
    ("/stars", "", "gw_session=abc; gw_display=signed.token", False),  # a 大屏链接's browser: any address
])
def test_the_desk_css_is_served_with_every_page_but_the_wall(path, query, cookie, desk):
    """Served at the end of <body> (after Streamlit's own styles, as a run's st.html was), so a run need not
    send it; the wall (same rule as a run's screen mode) gets none: it sends its own with each run."""
    body = call_middleware(page_shell.PageShellMiddleware, path, query=query, cookie=cookie)["body"].decode()
    tail = body[body.index("</head>"):]
    assert (layout.DESK_CSS in tail) is desk and (layout.CSS in body) is desk
    assert '[data-testid="stSidebarNavLink"]' in layout.CSS and "size: A4 landscape" in layout.BASE_CSS
    if desk:
        assert tail.index(layout.DESK_CSS) > tail.index('id="root"') and tail.rstrip().endswith("</html>")


@pytest.mark.parametrize(("screen", "cookie", "wall"), [
    ("1", None, True), ("true", None, True), ("yes", None, True), ("0", None, False), ("", None, False),
    (None, None, False), (None, "token", True), (None, "", False), ("no", "token", True),
])
def test_wall_mode_rule(screen, cookie, wall):
    from lib.display_links import wall_mode

    assert wall_mode(screen, cookie) is wall


@pytest.mark.parametrize("mounted", [False, True])
@pytest.mark.parametrize("screen", [False, True])
def test_a_run_sends_the_page_script_and_css_only_without_the_page_shell(app_db, monkeypatch, mounted, screen):
    """`streamlit run app.py` (no serve.py middleware) gets the script and the desk CSS with each run; served
    pages have them already, and a run sends neither again. The wall sends its own CSS either way."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(page_shell, "_mounted", mounted)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    if screen:
        at.query_params["screen"] = "1"
    at.run()
    bodies = [el.proto.body for el in at.get("html")]
    assert not at.exception
    assert any("__gwLayout" in b for b in bodies) is (not mounted and not screen)
    assert any('[data-testid="stSidebarNavLink"]' in b for b in bodies) is (not mounted and not screen)  # CSS
    assert any("size: A4 landscape" in b for b in bodies) is (screen or not mounted)  # BASE_CSS
    assert any("font-size: max(12px" in b for b in bodies) is screen  # the wall's rem rule