"""Addresses of serve.py's own routes opened directly in a browser, against a running server (`streamlit run
serve.py`): /session/login and the sign-out routes only take the form's POST, and a wrong path under /session/,
/display/ or Streamlit's own routes used to get Streamlit's English index page (blank, or its 「Page not found」).
Each now gets a Chinese page with a link back and a fitting status; the routes themselves still work."""
from __future__ import annotations

import http.client
import re

import pytest
from async_helpers import run

from devtools.streamlit_server import running
from lib import display_links
from ui import not_found

STREAMLIT_INDEX = ("Streamlit", "enable JavaScript", "Page not found", "Method Not Allowed", "Not Found",
                   "File not found", "Component not found")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("direct-routes")
    with running(f"sqlite:///{folder / 'app.db'}", folder) as srv:
        yield srv


def fetch(server, path: str, method: str = "GET", cookie: str = "") -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request(method, path, headers={"Cookie": cookie} if cookie else {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def visible(body: str) -> str:
    return re.sub(r"<style>.*?</style>|<[^>]+>", " ", body, flags=re.S)


def assert_chinese_page(body: str, *texts: str) -> None:
    assert "lang=" in body and "zh-CN" in body, body[:300]
    for text in texts:
        assert text in body, (text, visible(body))
    for english in STREAMLIT_INDEX:
        assert english not in body, (english, body[:300])
    assert not re.search(r"[A-Za-z]{2,}", visible(body)), visible(body)  # no English word on the page


@pytest.mark.parametrize(("path", "texts"), [
    ("/session/login", ["请从看板的登录页登录", 'href="/account"']),
    ("/session/login?next=/check_form", ["请从看板的登录页登录", 'href="/account"']),
    ("/session/logout", ["请在看板中退出登录", "退出登录", 'href="/account"']),
    ("/session/logout-all", ["请在看板中退出登录", "在所有设备上退出", 'href="/account"']),
])
def test_the_form_routes_opened_directly_say_where_to_go(server, path, texts):
    status, headers, body = fetch(server, path)
    assert status == 405 and headers.get("allow") == "POST", (status, headers)
    assert_chinese_page(body, *texts, 'href="/"')
    head_status, head_headers, _ = fetch(server, path, "HEAD")
    assert head_status == 405 and head_headers.get("allow") == "POST"


@pytest.mark.parametrize("path", ["/session", "/session/x", "/session/login/x", "/session/logout/extra",
                                  "/display", "/display/end/x", "/display/end/x/y", "/display/abc/x", "/display/a/b/c",
                                  "/_stcore/x", "/_stcore/health/x", "/static/x", "/static/js/missing.js",
                                  "/app/static/x", "/media/missing.png", "/component/x"])
def test_wrong_paths_under_the_routes_get_the_chinese_404(server, path):
    status, headers, body = fetch(server, path + "?community=%E4%B8%AD%E5%85%B4")
    assert status == 404, (status, headers, body[:200])
    assert_chinese_page(body, "<h1>页面不存在</h1>", 'href="/?community=%E4%B8%AD%E5%85%B4"', 'href="/account"')
    assert fetch(server, path, "HEAD")[0] == 404


def test_a_wall_screen_typing_a_wrong_path_goes_to_the_big_screen(server):
    status, headers, _ = fetch(server, "/display/end/x", cookie=f"{display_links.COOKIE}=abc")
    assert status == 303 and headers["location"] == "/"


def test_an_invalid_display_link_is_a_chinese_403_with_a_way_back(server):
    status, _, body = fetch(server, "/display/forged.token")
    assert status == 403
    assert_chinese_page(body, "大屏链接无效", "用户管理", 'href="/"')


def test_the_routes_and_pages_still_work(server):
    status, headers, _ = fetch(server, "/display/end")
    assert status == 303 and headers["location"] == "/" and "max-age=0" in headers.get("set-cookie", "").lower()
    status, headers, _ = fetch(server, "/session/logout", "POST")
    assert status == 303 and headers["location"] == "/account?signout=here"
    status, _, index = fetch(server, "/")
    assert status == 200 and 'lang="zh-CN"' in index
    assert fetch(server, "/check_form")[0] == 200
    status, _, body = fetch(server, "/_stcore/health")
    assert status == 200 and body == "ok"
    script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', index)
    assert script, index[:500]
    status, headers, _ = fetch(server, "/" + script.group(1))
    assert status == 200 and "javascript" in headers["content-type"]
    assert fetch(server, "/readyz")[0] == 200


def _behind_the_middleware(path: str, status: int, content_type: str, body: bytes) -> tuple[int, bytes]:
    """ui.not_found's middleware in front of an app that answers GET `path` with (status, content type, body)."""
    got = {"status": None, "body": b""}

    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type)]})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            got["status"] = message["status"]
        else:
            got["body"] += message.get("body", b"")

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": [], "root_path": ""}
    run(not_found.NotFoundMiddleware(inner)(scope, receive, send))
    return got["status"], got["body"]


@pytest.mark.parametrize(("path", "status", "content_type", "replaced"), [
    ("/static/x", 200, b"text/html; charset=utf-8", True),  # Streamlit's index.html for a file it lacks
    ("/media/gone.png", 404, b"text/plain; charset=utf-8", True),  # 「File not found」
    ("/component/c/index.html", 200, b"text/html", False),  # a component's own page is a real file
    ("/media/report.html", 200, b"text/html", False),  # so is a served file
    ("/_stcore/health", 200, b"text/plain; charset=utf-8", False),
    ("/static/js/app.js", 200, b"text/javascript", False),
    ("/display/forged", 403, b"text/html; charset=utf-8", False),  # the routes' own Chinese pages stand
    ("/checks", 200, b"text/html", False),  # a page: ui/page_shell.py answers it
])
def test_only_streamlits_fallback_is_replaced(path, status, content_type, replaced):
    got_status, body = _behind_the_middleware(path, status, content_type, b"ORIGINAL")
    if replaced:
        assert got_status == 404 and "页面不存在".encode() in body and b"ORIGINAL" not in body
    else:
        assert (got_status, body) == (status, b"ORIGINAL")
