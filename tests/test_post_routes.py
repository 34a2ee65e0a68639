"""Requests with a method other than GET/HEAD (a form POSTed to a wrong address, a script's PUT/DELETE) against a
running server (`streamlit run serve.py`): Starlette's English 「Method Not Allowed」/「Not Found」 text used to come
back. Now an unknown path gets the Chinese 「页面不存在」 (404) and a known path opened with a method it does not
take gets a Chinese page (405) whose Allow header lists the methods it does take; the real routes are untouched."""
from __future__ import annotations

import http.client
import re
import urllib.parse

import pytest
from test_direct_routes import assert_chinese_page, fetch, server  # noqa: F401 - the running server fixture

OTHER_METHODS = ["POST", "PUT", "DELETE", "PATCH"]
UNKNOWN = ["/foo", "/session/nope", "/session/login/x", "/display/end/x", "/display/a/b", "/_stcore/nope",
           "/_stcore/health/x", "/_stcore/stream", "/static/x", "/static/js/missing.js", "/app/static/x"]
# path -> the Allow header its 405 page must carry
KNOWN = {
    "/session/login": "POST", "/session/logout": "POST", "/session/logout-all": "POST",
    "/display/end": "GET, HEAD", "/display/nope": "GET, HEAD",
    "/": "GET, HEAD", "/checks": "GET, HEAD", "/favicon.png": "GET, HEAD",
    "/readyz": "GET, HEAD", "/metrics": "GET, HEAD", "/_stcore/health": "GET, HEAD, OPTIONS",
}


@pytest.mark.parametrize("method", OTHER_METHODS)
@pytest.mark.parametrize("path", UNKNOWN)
def test_an_unknown_path_is_the_chinese_404_for_every_method(server, path, method):
    status, headers, body = fetch(server, path + "?community=%E4%B8%AD%E5%85%B4", method)
    assert status == 404, (method, path, status, headers, body[:200])
    assert_chinese_page(body, "<h1>页面不存在</h1>", 'href="/?community=%E4%B8%AD%E5%85%B4"', 'href="/account"')


@pytest.mark.parametrize(("path", "method"), [(p, m) for p in KNOWN for m in OTHER_METHODS if m != KNOWN[p]])
def test_a_known_path_with_a_wrong_method_is_a_chinese_405(server, path, method):
    status, headers, body = fetch(server, path, method)
    assert status == 405 and headers.get("allow") == KNOWN[path], (method, path, status, headers, body[:200])
    assert_chinese_page(body, "<h1>不支持此操作</h1>", 'href="/"', 'href="/account"')


def test_a_get_of_a_route_that_takes_no_get_is_a_chinese_405(server):
    status, headers, body = fetch(server, "/_stcore/upload_file/a/b")
    assert status == 405 and headers.get("allow") == "PUT, DELETE, OPTIONS", (status, headers, body[:200])
    assert_chinese_page(body, "<h1>不支持此操作</h1>")


def test_a_static_file_takes_only_get(server):
    _, _, index = fetch(server, "/")
    script = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', index)
    assert script, index[:500]
    status, headers, body = fetch(server, "/" + script.group(1), "POST")
    assert status == 405 and headers.get("allow") == "GET, HEAD", (status, headers, body[:200])
    assert_chinese_page(body, "<h1>不支持此操作</h1>")


def _post_form(server, path: str, fields: dict[str, str]) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("POST", path, body=urllib.parse.urlencode(fields),
                     headers={"Content-Type": "application/x-www-form-urlencoded",
                              "Origin": f"http://127.0.0.1:{server.port}"})
        resp = conn.getresponse()
        resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()


def test_the_real_routes_are_unaffected(server):
    status, headers = _post_form(server, "/session/login", {"username": "nobody", "password": "wrong-password-1",
                                                             "next": "/check_form"})
    assert status == 303 and headers["location"].startswith("/check_form?signin="), (status, headers)
    status, headers = _post_form(server, "/session/logout", {})
    assert status == 303 and headers["location"] == "/account?signout=here"
    status, _, body = fetch(server, "/_stcore/health")
    assert status == 200 and body == "ok"
    assert fetch(server, "/_stcore/health", "OPTIONS")[0] == 204
    assert fetch(server, "/_stcore/health", "HEAD")[0] == 200
    assert fetch(server, "/readyz")[0] == 200
    status, headers, body = fetch(server, "/metrics")
    assert status == 200 and "text/plain" in headers["content-type"] and "# HELP" in body
    status, _, index = fetch(server, "/")
    assert status == 200 and 'lang="zh-CN"' in index


def test_the_websocket_still_opens(server):
    import websocket

    ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/_stcore/stream", subprotocols=["streamlit"],
                                     timeout=10, origin=f"http://127.0.0.1:{server.port}")
    try:
        assert ws.getstatus() == 101
    finally:
        ws.close()
