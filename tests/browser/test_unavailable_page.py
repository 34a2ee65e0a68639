"""With every replica out (all restarting, a host rebooting), a browser opening the dashboard through nginx sees a
Chinese page that says so, readable on the wall, and reloads itself: when a replica answers again, the screen
comes back without anyone walking up to it. nginx's own page was the English 「502 Bad Gateway」, and stayed."""
from __future__ import annotations

import http.server
import threading

import pytest
from browser_helpers import screenshot_dir, wait_until

from devtools.streamlit_server import free_port
from test_nginx_headers import _nginx

pytestmark = [pytest.mark.browser, pytest.mark.deploy]


class _Back(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = "<!doctype html><html><body><h1>看板已恢复</h1></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


def test_the_wall_shows_a_chinese_page_and_comes_back_with_a_replica(browser, tmp_path):
    replica_port = free_port()  # nothing listens yet
    with _nginx(tmp_path, [replica_port]) as port:
        ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, ignore_https_errors=True)
        replica = None
        try:
            page = ctx.new_page()
            page.goto(f"https://127.0.0.1:{port}/?screen=1")
            text = page.locator("body").inner_text()
            assert "看板正在重新启动或暂时无法访问" in text and "自动重试" in text
            assert page.title() == "光武街道基层治理看板"
            size = page.locator("p").first.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
            assert size >= 40, size  # 3rem: legible from the back of the briefing room
            page.screenshot(path=str(screenshot_dir() / "unavailable-1920x1080.png"))
            replica = http.server.ThreadingHTTPServer(("127.0.0.1", replica_port), _Back)
            threading.Thread(target=replica.serve_forever, daemon=True).start()
            wait_until(page, lambda: "看板已恢复" in page.locator("body").inner_text(), timeout=30,
                       message="副本恢复后页面未自动重新载入")
        finally:
            ctx.close()
            if replica is not None:
                replica.shutdown()
