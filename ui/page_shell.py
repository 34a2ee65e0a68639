"""The HTML page Streamlit's frontend starts from, in Chinese before the app has drawn anything.

Streamlit serves the same index.html for every page: <html lang="en">, the title 「Streamlit」, and nothing of
ours until the first run of app.py has sent ui/layout.py's script — until then the browser tab, the
「Skip to main content」 link and the date fields' placeholders are English, and a screen reader reads the
page with an English voice. This ASGI middleware (mounted by serve.py through st.App's `middleware=`)
answers a page's address with that same file, changed in three places: lang="zh-CN", the dashboard's
title, and ui/layout.py's script in <head>, so Streamlit's words are replaced as they are first drawn; and
for every page but the wall (lib.display_links.wall_mode, from the address's ?screen= and the cookies), the
desk CSS (ui/layout.DESK_CSS) at the end of <body> — after Streamlit's own styles, as when a run sent it, so
a selection change no longer sends 7 kB of CSS. Everything else (scripts, styles, the WebSocket, routes,
unknown paths) passes through.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import parse_qs

from starlette.requests import cookie_parser
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from lib.display_links import COOKIE, wall_mode
from ui import layout, not_found

TITLE = "光武街道基层治理看板"
_mounted = False  # set when serve.py mounts the middleware (its app is built before any session runs)


def in_head() -> bool:
    """True when pages are served through this middleware: the page script (and, but on the wall, the desk CSS)
    is already in the page, so a run need not send it (`streamlit run app.py` and AppTest have no middleware
    and send both with each run)."""
    return _mounted


@functools.cache
def index_html(*, desk: bool = True) -> str:
    """Streamlit's index.html with lang, title, the page script and, with `desk`, the desk CSS (built once per
    process and variant)."""
    from streamlit import file_util

    text = (Path(file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
    script = layout.script()
    script = script[script.index("<script>"):]  # the marker <span> belongs in the app's body, not in <head>
    text = re.sub(r"<html[^>]*>", '<html lang="zh-CN">', text, count=1)
    text = re.sub(r"<title>.*?</title>", f"<title>{TITLE}</title>", text, count=1, flags=re.S)
    text = text.replace("</head>", script + "\n</head>", 1)
    return text.replace("</body>", layout.DESK_CSS + "</body>", 1) if desk else text


def _wall(scope: Scope) -> bool:
    """The wall display, by the same rule as a run's (ui.bridge.screen_mode): the last ?screen= and the cookie."""
    screen = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("screen", [None])[-1]
    cookies = b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie").decode("latin-1")
    return wall_mode(screen, cookie_parser(cookies).get(COOKIE) if cookies else None)


class PageShellMiddleware:
    """GET/HEAD of "/" or a page (ui.not_found.is_page): the Chinese index.html; anything else passes."""

    def __init__(self, app: ASGIApp) -> None:
        global _mounted
        self.app = app
        _mounted = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "/")
        if (scope["type"] == "http" and scope.get("method") in ("GET", "HEAD")
                and (path == "/" or not path.endswith("/"))  # "/checks/": Streamlit's redirect to "/checks"
                and not_found.is_page(path, not_found.base_path())):
            response = HTMLResponse(index_html(desk=not _wall(scope)), headers={"Cache-Control": "no-cache"})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
