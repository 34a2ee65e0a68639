"""Unknown addresses (/foo, /check_form/extra): a Chinese 「页面不存在」 page from the server, never Streamlit's.

Streamlit answers every unknown path with its app page (a single-page app), which then flashes the English
「Page not found … Running the app's main page」 dialog, and a path of two or more segments even loads its
scripts from the wrong place and stays blank. This ASGI middleware (mounted by serve.py through st.App's
`middleware=`, the supported hook) answers such a GET/HEAD itself with a small Chinese page (HTTP 404) and a
link home that keeps the query (?community=…). A wall screen (大屏链接 cookie) is sent to "/" instead: any
address typed there shows the big screen.

Known: "/", each page of app.py's navigation (its url_path is the file's name in pages/; tests check that),
Streamlit's own routes and root files, and the routes serve.py adds. A wrong path under a known route prefix
(/session/x, /display/end/x, /static/x, /_stcore/x) still reaches Streamlit, whose static files answer it with the
app's index.html (the same blank English page) or with an English 404 text: the middleware watches what comes
back for a GET/HEAD of anything but a page, and puts the Chinese page in place of either.

`render()` is the look of every page the server itself answers with (ui/session_routes.py uses it too).
"""
from __future__ import annotations

import html
from pathlib import Path

from starlette.requests import cookie_parser
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from lib import display_links

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"
# The default pages live at "/" (Streamlit gives their own url_path its 「Page not found」): sent there.
ALIASES = {"overview": "", "screen": "screen=1"}
PAGE_PATHS = frozenset(p.stem for p in PAGES_DIR.glob("*.py") if not p.stem.startswith("_")) - set(ALIASES)
# Paths served by a route: Streamlit's (_stcore/, media/, component/, static/, app/static/) and serve.py's
# (/readyz, /metrics, /session/…, /display/…).
ROUTE_PREFIXES = ("_stcore/", "media/", "component/", "static/", "app/static/", "session/", "display/")
ROUTES = frozenset({"readyz", "metrics"})
ROOT_FILES = frozenset({"favicon.png", "manifest.json"})  # Streamlit's static root (index.html is the app)
# Where a 200 HTML answer can be a real file (a component's page, a downloaded file): only a bare 404 is replaced.
FILE_PREFIXES = ("component/", "media/", "_stcore/bidi-components/")

TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · 光武街道基层治理看板</title>
<style>
body {{ margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  background: #0e1117; color: #fafafa; font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
  sans-serif; }}
main {{ max-width: 36rem; padding: 2rem; }}
h1 {{ font-size: 2rem; margin: 0 0 1rem; }}
p {{ font-size: 1.1rem; line-height: 1.7; color: #d0d3da; }}
a {{ display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; padding: 0 1.4rem;
  margin: 0.6rem 0.8rem 0 0; border-radius: 0.5rem; background: #e8463a; color: #fff; text-decoration: none;
  font-size: 1.1rem; }}
a.secondary {{ background: transparent; border: 1px solid #6b7280; }}
</style></head>
<body><main>
<h1>{title}</h1>
<p>{text}</p>
{links}
</main></body></html>
"""


def render(title: str, text: str, links: list[tuple[str, str]]) -> str:
    """A small Chinese page: heading, one paragraph, links [(href, label)] (the first is the main one, id "home"
    when it goes home). Everything is escaped."""
    tags = []
    for i, (href, label) in enumerate(links):
        attrs = ' class="secondary"' if i else (' id="home"' if label == "返回首页" else "")
        tags.append(f'<a{attrs} href="{html.escape(href, quote=True)}">{html.escape(label)}</a>')
    return TEMPLATE.format(title=html.escape(title), text=html.escape(text), links="".join(tags))


def _relative(path: str, base: str) -> str | None:
    """`path` without the app's base path and slashes; None when it lies outside the base path."""
    rel, base = path.strip("/"), base.strip("/")
    if base:
        if rel != base and not rel.startswith(base + "/"):
            return None
        rel = rel[len(base):].strip("/")
    return rel


def is_known(path: str, base: str = "") -> bool:
    """Whether `path` (the request's URL path) is a page of the app or a route: anything else is unknown."""
    rel = _relative(path, base)
    if not rel:
        return True  # "/" or outside the base path (not ours to answer)
    return rel in PAGE_PATHS or rel in ROOT_FILES or rel in ROUTES or (rel + "/").startswith(ROUTE_PREFIXES)


def is_page(path: str, base: str = "") -> bool:
    """Whether `path` is "/" or one of the app's pages (what Streamlit answers with its index.html)."""
    rel = _relative(path, base)
    return rel is not None and (rel == "" or rel in PAGE_PATHS)


def page(query: str = "", base: str = "") -> str:
    """The 「页面不存在」 page; its home link keeps the query string (escaped)."""
    root = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    home = root + (f"?{query}" if query else "")
    return render("页面不存在", "您要打开的页面不存在：网址可能输入有误，或该页面已不再提供。",
                  [(home, "返回首页"), (root + "account", "登录 / 账号")])


def base_path() -> str:
    """Streamlit's server.baseUrlPath (empty unless the app is served under a prefix)."""
    from streamlit import config

    return config.get_option("server.baseUrlPath") or ""


def _header(headers, name: bytes) -> str:
    return next((v for k, v in headers or [] if k.lower() == name), b"").decode("latin-1").lower()


def is_fallback(rel: str, start: dict) -> bool:
    """Whether `start`, answering a GET/HEAD of `rel` (a route or file, not a page), is Streamlit's answer for a
    file it does not have: its index.html (200, HTML) or a bare English 404 (「File not found」, 「not found」)."""
    html_body = _header(start.get("headers"), b"content-type").startswith("text/html")
    if start["status"] == 404:
        return not html_body
    return start["status"] == 200 and html_body and not (rel + "/").startswith(FILE_PREFIXES)


def _unknown(scope: Scope, base: str):
    """The answer to an unknown address: 「页面不存在」 (404), or on a wall screen the big screen."""
    query = scope.get("query_string", b"").decode("latin-1")
    root = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    cookies = cookie_parser(dict(scope.get("headers") or []).get(b"cookie", b"").decode("latin-1"))
    if display_links.COOKIE in cookies:
        return RedirectResponse(root + (f"?{query}" if query else ""), status_code=303)
    return HTMLResponse(page(query, base), status_code=404, headers={"Cache-Control": "no-cache"})


class NotFoundMiddleware:
    """Answers GET/HEAD for unknown paths (see module docstring); passes everything else through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        base = base_path()
        path = scope.get("path", "/")
        if is_page(path, base) or _relative(path, base) is None:
            await self.app(scope, receive, send)
            return
        if is_known(path, base):
            await self._watched(scope, receive, send, base)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        root = "/" + base.strip("/") + "/" if base.strip("/") else "/"
        alias = ALIASES.get(_relative(path, base))
        if alias is not None:
            joined = "&".join(q for q in (alias, query) if q)
            await RedirectResponse(root + (f"?{joined}" if joined else ""), status_code=303)(scope, receive, send)
            return
        await _unknown(scope, base)(scope, receive, send)

    async def _watched(self, scope: Scope, receive: Receive, send: Send, base: str) -> None:
        """A route or file: passed through, unless what comes back is Streamlit's fallback (then the Chinese page
        goes out instead, and the rest of the fallback is dropped)."""
        replaced = False
        rel = _relative(scope.get("path", "/"), base) or ""

        async def watch(message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and is_fallback(rel, message):
                replaced = True
                await _unknown(scope, base)(scope, receive, send)
            elif not replaced:
                await send(message)

        await self.app(scope, receive, watch)
