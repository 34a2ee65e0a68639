"""ui/page_shell.py: a page's address gets Streamlit's index.html in Chinese (lang, title, the script in <head>)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from async_helpers import call_middleware

from ui import page_shell


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


@pytest.mark.parametrize("mounted", [False, True])
def test_a_run_sends_the_page_script_only_without_the_page_shell(app_db, monkeypatch, mounted):
    """`streamlit run app.py` (no serve.py middleware) gets the script with each run; served pages have it in
    <head> already, and a run does not send its 7 kB again."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(page_shell, "_mounted", mounted)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60).run()
    bodies = [el.proto.body for el in at.get("html")]
    assert not at.exception and any("min-height: 44px" in b for b in bodies)  # the touch-size CSS either way
    assert any("__gwLayout" in b for b in bodies) is (not mounted)
