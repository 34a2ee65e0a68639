"""ui/not_found.py: unknown addresses get the Chinese 「页面不存在」 page; pages, files and routes pass through."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from async_helpers import call_middleware

from ui import not_found

REPO = Path(__file__).resolve().parents[1]


def _call(path: str, *, method: str = "GET", query: str = "", cookie: str = "") -> dict:
    return call_middleware(not_found.NotFoundMiddleware, path, method=method, query=query, cookie=cookie)


@pytest.mark.parametrize("path", ["/", "/checks", "/checks/", "/check_form", "/account", "/favicon.png",
                                  "/manifest.json", "/_stcore/health", "/_stcore/stream", "/static/js/x.js",
                                  "/media/abc.png", "/readyz", "/display/end", "/session/login"])
def test_pages_files_and_routes_pass(path):
    assert _call(path)["passed"], path


@pytest.mark.parametrize("path", ["/foo", "/nonexistent", "/check_form/extra", "/Checks", "/index.html",
                                  "/overview/x"])
def test_unknown_paths_get_the_chinese_page(path):
    got = _call(path, query="community=%E4%B8%AD%E5%85%B4")
    assert not got["passed"] and got["status"] == 404
    body = got["body"].decode()
    assert "<h1>页面不存在</h1>" in body and 'lang="zh-CN"' in body
    assert 'href="/?community=%E4%B8%AD%E5%85%B4"' in body  # home keeps the selected community
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", " ", body, flags=re.S)
    assert not re.search(r"[A-Za-z]{2,}", visible), visible  # no English word on the page


def test_other_methods_pass():
    assert _call("/foo", method="POST")["passed"]


def test_query_is_escaped():
    body = _call("/foo", query='a="><script>')["body"].decode()
    assert "<script>" not in body and "&quot;&gt;&lt;script&gt;" in body


def test_default_pages_go_home():
    """Streamlit serves the default pages at "/" (their own url_path would show its 「Page not found」)."""
    got = _call("/overview", query="community=x")
    assert got["status"] == 303 and got["headers"]["location"] == "/?community=x"
    assert _call("/screen")["headers"]["location"] == "/?screen=1"


def test_a_wall_screen_goes_to_the_big_screen():
    got = _call("/foo", cookie="gw_display=abc; other=1")
    assert got["status"] == 303 and got["headers"]["location"] == "/"


def test_every_page_of_app_py_is_known():
    """The middleware knows app.py's pages by their file names: each url_path must be its file's name."""
    text = (REPO / "app.py").read_text(encoding="utf-8")
    pages = re.findall(r'(?:st\.Page|nav\.page)\("pages/(\w+)\.py".*?url_path="(\w+)"', text)
    assert len(pages) >= 16
    for stem, url_path in pages:
        assert stem == url_path
        assert url_path in not_found.PAGE_PATHS or url_path in not_found.ALIASES


def test_every_route_of_serve_py_is_known():
    """serve.py's own routes pass the middleware (/metrics was once answered with 「页面不存在」)."""
    import serve

    for route in serve.OPS_ROUTES:
        assert _call(route.path)["passed"], route.path
